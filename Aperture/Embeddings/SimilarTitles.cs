using Aperture.Data;
using Aperture.Recommendations;
using Aperture.VectorSearch;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Embeddings;

// Label: what the percentage is ("82% similar") or "same series"; Similarity: the blended score behind it.
public sealed record SimilarTitle(long Id, string Name, int? Year, bool HasPoster, float Similarity, string Kind, string Label);

// "More like this": the same series first, then the nearest titles of the same kind by content, blended with
// co-watch when the server has enough users; without the title itself or its other copies.
public sealed class SimilarTitles(AppDbContext db, IVectorIndex index, CoWatchModels coWatch, RecommendationSettings settings)
{
    // Null when the title does not exist; empty while it has no vector yet.
    public async Task<IReadOnlyList<SimilarTitle>?> ForAsync(MediaKind kind, long titleId, int k, CancellationToken ct)
    {
        var title = await db.Titles.AsNoTracking().Where(t => t.Id == titleId && t.Kind == kind)
            .Select(t => new { t.Id, t.Name, t.Year, t.TmdbId, t.ImdbId, t.People }).FirstOrDefaultAsync(ct);
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
        var exclude = copies.Append(titleId).ToHashSet();
        var hits = await index.NearestAsync(kind, vector, Math.Max(k * 5, 50), new VectorFilter(Exclude: exclude), ct);
        var model = await coWatch.ForAsync(db, await settings.GetAsync(kind, ct), kind, ct);
        var together = model?.NeighboursOf(titleId).Where(n => !exclude.Contains(n.Item)).Take(Math.Max(k * 5, 50)).ToList();

        // The same series: titles whose name has the same stem (then checked with their people).
        var stem = SimilarBlend.SeriesStem(title.Name);
        var seriesIds = stem is null ? [] : (await db.Titles.AsNoTracking().Where(t => t.Kind == kind).Select(t => new { t.Id, t.Name }).ToListAsync(ct))
            .Where(t => !exclude.Contains(t.Id) && SimilarBlend.SeriesStem(t.Name) == stem).Select(t => t.Id).Take(50).ToList();
        var series = (await db.Titles.AsNoTracking().Where(t => seriesIds.Contains(t.Id)).Select(t => new { t.Id, t.Name, t.Year, t.People }).ToListAsync(ct))
            .Select(t => new SimilarCandidate(t.Id, t.Name, t.Year, t.People.Select(p => p.Name).ToList())).ToList();

        var ranked = SimilarBlend.Rank(new SimilarCandidate(title.Id, title.Name, title.Year, title.People.Select(p => p.Name).ToList()),
            hits.Select(h => (h.Id, h.Score)).ToList(), together, series, k);
        if (ranked.Count == 0)
        {
            return [];
        }
        // A co-watch neighbour beyond the content search counts 0 on content: it is there for its audience alone.
        var ids = ranked.Select(r => r.Id).ToList();
        var titles = await db.Titles.AsNoTracking().Where(t => ids.Contains(t.Id))
            .Select(t => new { t.Id, t.Name, t.Year, t.PrimaryImageTag }).ToDictionaryAsync(t => t.Id, ct);
        return ranked.Where(r => titles.ContainsKey(r.Id))
            .Select(r => new SimilarTitle(r.Id, titles[r.Id].Name, titles[r.Id].Year, titles[r.Id].PrimaryImageTag is not null, (float)r.Similarity,
                r.Kind.ToString(), SimilarBlend.Label(r.Kind, r.Similarity)))
            .ToList();
    }
}
