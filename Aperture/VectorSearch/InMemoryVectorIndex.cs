using System.Collections.Concurrent;
using Aperture.Data;
using Aperture.Settings;
using Microsoft.EntityFrameworkCore;

namespace Aperture.VectorSearch;

// The SQLite path: the active vector set of a kind loaded once into one contiguous matrix, reloaded
// when the embedding job bumps the set's generation.
// Not IDisposable on purpose: it is handed out through a scoped factory (IVectorIndex), and the
// container would dispose it at the end of the first request. Its SemaphoreSlim has no wait handle to release.
#pragma warning disable CA1001
public sealed class InMemoryVectorIndex(IServiceScopeFactory scopes) : IVectorIndex
#pragma warning restore CA1001
{
    private sealed record Snapshot(string Key, string Generation, ExactVectorIndex Index, Dictionary<long, string> LibraryOf);

    private readonly ConcurrentDictionary<MediaKind, Snapshot> snapshots = new();
    private readonly SemaphoreSlim loading = new(1, 1);

    public async Task<float[]?> GetVectorAsync(MediaKind kind, long titleId, CancellationToken ct)
    {
        var snapshot = await CurrentAsync(kind, ct);
        // A copy: the caller may keep or change it.
        return snapshot?.Index.SharedVector(titleId)?.ToArray();
    }

    public async Task<Dictionary<long, float[]>> VectorsAsync(MediaKind kind, string modelKey, IEnumerable<long> ids, CancellationToken ct)
    {
        var snapshot = await CurrentAsync(kind, ct);
        if (snapshot is null || snapshot.Key != modelKey)
        {
            // Another model became active since the caller read its key: read that model's vectors as stored.
            await using var scope = scopes.CreateAsyncScope();
            return await StoredVectors.ReadAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), kind, modelKey, ids, ct);
        }
        var result = new Dictionary<long, float[]>();
        foreach (var id in ids)
        {
            if (snapshot.Index.SharedVector(id) is { } vector)
            {
                result[id] = vector;
            }
        }
        return result;
    }

    public async Task<IReadOnlyList<VectorHit>> NearestAsync(MediaKind kind, float[] query, int k, VectorFilter filter, CancellationToken ct) =>
        (await NearestBatchAsync(kind, [query], k, [filter], ct))[0];

    public async Task<IReadOnlyList<VectorHit>[]> NearestBatchAsync(MediaKind kind, IReadOnlyList<float[]> queries, int k,
        IReadOnlyList<VectorFilter> filters, CancellationToken ct)
    {
        var snapshot = await CurrentAsync(kind, ct);
        if (snapshot is null)
        {
            return queries.Select(_ => (IReadOnlyList<VectorHit>)[]).ToArray();
        }
        var predicates = filters.Select(f => Predicate(f, snapshot.LibraryOf)).ToList();
        return snapshot.Index.NearestBatch(queries, k, predicates);
    }

    private static Func<long, bool>? Predicate(VectorFilter filter, Dictionary<long, string> libraryOf) =>
        (filter.Exclude, filter.LibraryIds) switch
        {
            (null, null) => null,
            (var ex, null) => id => !ex!.Contains(id),
            (null, var libs) => id => libs!.Contains(libraryOf[id]),
            (var ex, var libs) => id => !ex!.Contains(id) && libs!.Contains(libraryOf[id]),
        };

    private async Task<Snapshot?> CurrentAsync(MediaKind kind, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<SettingsStore>();
        var state = await store.GetManyAsync([SettingKeys.ActiveEmbeddingModel(kind), SettingKeys.EmbeddingGeneration(kind)], ct);
        var key = state[SettingKeys.ActiveEmbeddingModel(kind)].Value;
        var generation = state[SettingKeys.EmbeddingGeneration(kind)].Value ?? "0";
        if (key is null)
        {
            return null;
        }
        if (snapshots.TryGetValue(kind, out var current) && current.Key == key && current.Generation == generation)
        {
            return current;
        }
        await loading.WaitAsync(ct);
        try
        {
            if (snapshots.TryGetValue(kind, out current) && current.Key == key && current.Generation == generation)
            {
                return current;
            }
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var rows = await db.TitleEmbeddings.AsNoTracking()
                .Where(e => e.Kind == kind && e.ModelKey == key)
                .Join(db.Titles, e => e.TitleId, t => t.Id, (e, t) => new { e.TitleId, e.Vector, e.Dimensions, t.LibraryId })
                .ToListAsync(ct);
            var dims = rows.Count == 0 ? 1 : rows[0].Dimensions;
            var index = new ExactVectorIndex(dims, rows.Select(r => (r.TitleId, r.Vector)).ToList());
            current = new Snapshot(key, generation, index, rows.ToDictionary(r => r.TitleId, r => r.LibraryId));
            snapshots[kind] = current;
            return current;
        }
        finally
        {
            loading.Release();
        }
    }
}
