using Aperture.Data;
using Aperture.VectorSearch;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Embeddings;

public sealed record SimilarTitle(long Id, string Name, int? Year, bool HasPoster, float Similarity);

// "More like this": the nearest titles of the same kind, without the title itself or its other copies.
public sealed class SimilarTitles(AppDbContext db, IVectorIndex index)
{
    // Null when the title does not exist; empty while it has no vector yet.
    public async Task<IReadOnlyList<SimilarTitle>?> ForAsync(MediaKind kind, long titleId, int k, CancellationToken ct)
    {
        var title = await db.Titles.AsNoTracking().Where(t => t.Id == titleId && t.Kind == kind)
            .Select(t => new { t.Id, t.TmdbId, t.ImdbId }).FirstOrDefaultAsync(ct);
        if (title is null)
        {
            return null;
        }
        var vector = await index.GetVectorAsync(kind, titleId, ct);
        if (vector is null)
        {
            return [];
        }
        var copies = await db.Titles.AsNoTracking()
            .Where(t => t.Kind == kind && t.Id != titleId
                && ((title.TmdbId != null && t.TmdbId == title.TmdbId) || (title.ImdbId != null && t.ImdbId == title.ImdbId)))
            .Select(t => t.Id).ToListAsync(ct);
        var hits = await index.NearestAsync(kind, vector, k, new VectorFilter(Exclude: copies.Append(titleId).ToHashSet()), ct);
        var ids = hits.Select(h => h.Id).ToList();
        var titles = await db.Titles.AsNoTracking().Where(t => ids.Contains(t.Id))
            .Select(t => new { t.Id, t.Name, t.Year, t.PrimaryImageTag }).ToDictionaryAsync(t => t.Id, ct);
        return hits.Where(h => titles.ContainsKey(h.Id))
            .Select(h => new SimilarTitle(h.Id, titles[h.Id].Name, titles[h.Id].Year, titles[h.Id].PrimaryImageTag is not null, h.Score))
            .ToList();
    }
}
