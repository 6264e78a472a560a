using Aperture.Data;
using Microsoft.EntityFrameworkCore;

namespace Aperture.VectorSearch;

// Which titles may come back: not the excluded ones (watched, other copies), only from these libraries.
public sealed record VectorFilter(IReadOnlySet<long>? Exclude = null, IReadOnlySet<string>? LibraryIds = null)
{
    public static readonly VectorFilter None = new();
}

// Nearest titles by cosine similarity within the ACTIVE vector set of a kind. Exact and in-process
// over SQLite; pgvector HNSW on PostgreSQL. Both answer the same question the same way.
public interface IVectorIndex
{
    Task<float[]?> GetVectorAsync(MediaKind kind, long titleId, CancellationToken ct);

    // The vectors of many titles under a model key, for a run that reads most of the catalogue's (the picks run). The
    // in-process index hands out the arrays it holds, so the run keeps no second copy of them: callers only read them.
    // Missing titles are left out.
    Task<Dictionary<long, float[]>> VectorsAsync(MediaKind kind, string modelKey, IEnumerable<long> ids, CancellationToken ct);

    Task<IReadOnlyList<VectorHit>> NearestAsync(MediaKind kind, float[] query, int k, VectorFilter filter, CancellationToken ct);

    // Many queries at once (the recommender scores every user in one pass).
    Task<IReadOnlyList<VectorHit>[]> NearestBatchAsync(MediaKind kind, IReadOnlyList<float[]> queries, int k,
        IReadOnlyList<VectorFilter> filters, CancellationToken ct);
}

// Vectors read from the database, a chunk of ids per query.
public static class StoredVectors
{
    public static async Task<Dictionary<long, float[]>> ReadAsync(AppDbContext db, MediaKind kind, string modelKey, IEnumerable<long> ids, CancellationToken ct)
    {
        var result = new Dictionary<long, float[]>();
        foreach (var chunk in ids.Distinct().Chunk(2000))
        {
            var list = chunk.ToList();
            foreach (var row in await db.TitleEmbeddings.AsNoTracking().Where(e => e.Kind == kind && e.ModelKey == modelKey && list.Contains(e.TitleId))
                .Select(e => new { e.TitleId, e.Vector }).ToListAsync(ct))
            {
                result[row.TitleId] = row.Vector;
            }
        }
        return result;
    }
}
