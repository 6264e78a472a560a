using Aperture.Data;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Catalog;

// Where a server item sits in the synced catalogue: a movie or series is its own title; an episode points at its series.
public readonly record struct CatalogRef(long TitleId, long? EpisodeId);

public sealed class CatalogLookup(AppDbContext db)
{
    // Every synced item of a kind by server id, in two queries: what the history sync maps its items with.
    public async Task<Dictionary<string, CatalogRef>> LoadAsync(MediaKind kind, CancellationToken ct)
    {
        var map = await db.Titles.AsNoTracking().Where(t => t.Kind == kind)
            .Select(t => new { t.ServerItemId, t.Id })
            .ToDictionaryAsync(t => t.ServerItemId, t => new CatalogRef(t.Id, null), StringComparer.OrdinalIgnoreCase, ct);
        if (kind == MediaKind.Series)
        {
            var episodes = await db.Episodes.AsNoTracking().Where(e => e.Series.Kind == kind)
                .Select(e => new { e.ServerItemId, e.SeriesId, e.Id })
                .ToListAsync(ct);
            foreach (var e in episodes)
            {
                map[e.ServerItemId] = new CatalogRef(e.SeriesId, e.Id);
            }
        }
        return map;
    }
}
