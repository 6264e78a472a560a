using System.Collections.Concurrent;
using Aperture.Data;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Channels;

// The catalogue vocabulary of each kind, built once per catalogue state (title count and last sync) and shared:
// building it reads every title's text, which is worth doing once per sync, not once per channel.
public sealed class ChannelVocabularies : IDisposable
{
    private readonly ConcurrentDictionary<MediaKind, (string Stamp, CatalogVocabulary Vocabulary)> cache = new();
    private readonly SemaphoreSlim building = new(1, 1);

    public async Task<CatalogVocabulary> ForAsync(AppDbContext db, MediaKind kind, CancellationToken ct)
    {
        var stamp = await StampAsync(db, kind, ct);
        if (cache.TryGetValue(kind, out var hit) && hit.Stamp == stamp)
        {
            return hit.Vocabulary;
        }
        await building.WaitAsync(ct);
        try
        {
            if (cache.TryGetValue(kind, out hit) && hit.Stamp == stamp)
            {
                return hit.Vocabulary;
            }
            var rows = await db.Titles.AsNoTracking().Where(t => t.Kind == kind)
                .Select(t => new { t.Id, t.Name, t.Year, t.Genres, t.Tags, t.People, t.Studios, t.Overview, t.Taglines })
                .ToListAsync(ct);
            var vocabulary = CatalogVocabulary.Build(rows.Select(t => new VocabularyDocument(t.Id, t.Name, t.Year, t.Genres, t.Tags,
                t.People.Where(p => p.Type is "Director" or "Creator" or "Actor" or "GuestStar" or "Writer").Select(p => p.Name).ToList(),
                t.Studios, t.Overview, t.Taglines)).ToList());
            cache[kind] = (stamp, vocabulary);
            return vocabulary;
        }
        finally
        {
            building.Release();
        }
    }

    // The catalogue's genres for these kinds (its own spelling), for validation and the channel form.
    public async Task<IReadOnlyList<string>> GenresAsync(AppDbContext db, IReadOnlyList<MediaKind> kinds, CancellationToken ct)
    {
        var names = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var kind in kinds)
        {
            names.UnionWith((await ForAsync(db, kind, ct)).GenreNames);
        }
        return names.ToList();
    }

    public void Dispose() => building.Dispose();

    // Read whole rather than as MAX(): SQLite stores these offsets as converted numbers EF will not aggregate.
    private static async Task<string> StampAsync(AppDbContext db, MediaKind kind, CancellationToken ct)
    {
        var rows = await db.Titles.AsNoTracking().Where(t => t.Kind == kind).Select(t => new { t.Id, t.SyncedAt }).ToListAsync(ct);
        var last = rows.Count == 0 ? 0 : rows.Max(r => r.SyncedAt.UtcTicks);
        var maxId = rows.Count == 0 ? 0 : rows.Max(r => r.Id);
        return $"{rows.Count}:{maxId}:{last}";
    }
}
