using Aperture.Data;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Recommendations;

// What a run reads, each in one query: every user's history of a kind and the catalogue with its priors (vectors:
// IVectorIndex.VectorsAsync, or StoredVectors).
public static class RecommendationInputs
{
    // Per user: the titles they watched (or started, favourited or rated) as taste signals, and the titles
    // never to recommend them: those plus other copies of them (same TMDB or IMDb id).
    public static async Task<Dictionary<string, UserHistory>> HistoriesAsync(AppDbContext db, MediaKind kind, CancellationToken ct,
        string? onlyUser = null)
    {
        var rows = await db.WatchStates.AsNoTracking()
            .Where(w => w.Title.Kind == kind)
            .Where(w => onlyUser == null || w.UserId == onlyUser)
            .Where(w => w.Played || w.PlayCount > 0 || w.PlayedPercentage > 0 || w.IsFavorite || w.Rating != null)
            .Select(w => new { w.UserId, w.TitleId, IsEpisode = w.EpisodeId != null, w.Played, w.PlayCount, w.LastPlayedAt, w.IsFavorite, w.Rating, w.PlayedPercentage })
            .ToListAsync(ct);
        var episodeCounts = kind == MediaKind.Series
            ? await db.Episodes.AsNoTracking().GroupBy(e => e.SeriesId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct)
            : [];
        var copies = await CopiesAsync(db, kind, rows.Select(r => r.TitleId).ToHashSet(), ct);

        var result = new Dictionary<string, UserHistory>(StringComparer.OrdinalIgnoreCase);
        foreach (var user in rows.GroupBy(r => r.UserId, StringComparer.OrdinalIgnoreCase))
        {
            var signals = new List<WatchSignal>();
            foreach (var title in user.GroupBy(r => r.TitleId))
            {
                var own = title.FirstOrDefault(r => !r.IsEpisode);
                double completion;
                int plays;
                DateTimeOffset? last;
                if (kind == MediaKind.Series)
                {
                    // Only series have episode rows: a movie's title is read without a list of none per title.
                    var episodes = title.Where(r => r.IsEpisode).ToList();
                    // A series counts by the share of its episodes watched (a started episode counts by its progress).
                    var total = Math.Max(1, episodeCounts.GetValueOrDefault(title.Key, episodes.Count));
                    var watched = episodes.Sum(e => e.Played ? 1 : (e.PlayedPercentage ?? 0) / 100);
                    completion = own?.Played == true && episodes.Count == 0 ? 1 : Math.Min(1, watched / total);
                    plays = Math.Max(own?.PlayCount ?? 0, episodes.Count == 0 ? 0 : episodes.Max(e => e.PlayCount));
                    last = episodes.Select(e => e.LastPlayedAt).Append(own?.LastPlayedAt).Max();
                }
                else
                {
                    completion = own!.Played ? 1 : (own.PlayedPercentage ?? 0) / 100;
                    plays = own.PlayCount;
                    last = own.LastPlayedAt;
                }
                // A favourite or a rating without a play is still a statement of taste.
                if (completion <= 0 && own?.IsFavorite != true && own?.Rating is null)
                {
                    continue;
                }
                signals.Add(new WatchSignal(title.Key, last, plays, own?.IsFavorite == true, own?.Rating, completion <= 0 ? 0.5 : completion));
            }
            var excluded = user.Select(r => r.TitleId).ToHashSet();
            foreach (var id in excluded.ToList())
            {
                if (copies.TryGetValue(id, out var others))
                {
                    excluded.UnionWith(others);
                }
            }
            result[user.Key] = new UserHistory(user.Key, signals, excluded);
        }
        return result;
    }

    // Other titles with the same provider id as a watched one (a 4K and an HD copy are one film).
    private static async Task<Dictionary<long, List<long>>> CopiesAsync(AppDbContext db, MediaKind kind, HashSet<long> watched, CancellationToken ct)
    {
        var ids = await db.Titles.AsNoTracking().Where(t => t.Kind == kind && (t.TmdbId != null || t.ImdbId != null))
            .Select(t => new { t.Id, t.TmdbId, t.ImdbId }).ToListAsync(ct);
        var byTmdb = ids.Where(t => t.TmdbId != null).ToLookup(t => t.TmdbId!);
        var byImdb = ids.Where(t => t.ImdbId != null).ToLookup(t => t.ImdbId!, StringComparer.OrdinalIgnoreCase);
        var result = new Dictionary<long, List<long>>();
        foreach (var t in ids.Where(t => watched.Contains(t.Id)))
        {
            var others = (t.TmdbId is null ? [] : byTmdb[t.TmdbId]).Concat(t.ImdbId is null ? [] : byImdb[t.ImdbId])
                .Select(o => o.Id).Where(o => o != t.Id).Distinct().ToList();
            if (others.Count > 0)
            {
                result[t.Id] = others;
            }
        }
        return result;
    }

    // Every title of the kind, without overviews (megabytes of text only the explanations of the picks read: see
    // OverviewsAsync); candidates are those in enabled libraries. Popularity is on this server. With
    // fewer users than the co-watch threshold it is noise ("one other person watched it") and stays 0, so
    // taste and the community rating decide.
    public static async Task<Dictionary<long, CatalogTitle>> CatalogueAsync(AppDbContext db, MediaKind kind,
        IReadOnlyDictionary<string, UserHistory> histories, int minUsers, DateTimeOffset now, CancellationToken ct)
    {
        var enabled = (await db.Libraries.AsNoTracking().Where(l => l.Kind == kind && l.Enabled && l.PresentOnServer).Select(l => l.Id).ToListAsync(ct)).ToHashSet();
        var rows = await db.Titles.AsNoTracking().Where(t => t.Kind == kind)
            .Select(t => new { t.Id, t.Name, t.Year, t.Genres, t.CommunityRating, t.LibraryId }).ToListAsync(ct);
        // Popular here lately: plays weighted by a 30-day half-life (README › quality: recent beats all-time).
        var popularity = histories.Count < minUsers ? []
            : PopularityPrior.Build(histories.Values.SelectMany(h => h.Signals).Select(sig => (sig.TitleId, sig.LastPlayed)), now, PopularityPrior.RecentHalfLifeDays);
        return rows.ToDictionary(t => t.Id, t => new CatalogTitle(t.Id, t.Name, t.Year, t.Genres,
            CandidateScorer.RatingPrior(t.CommunityRating), popularity.GetValueOrDefault(t.Id), enabled.Contains(t.LibraryId),
            t.CommunityRating));
    }

    // The overviews of a few titles (a block's picks), for their explanations.
    public static async Task<Dictionary<long, string?>> OverviewsAsync(AppDbContext db, IEnumerable<long> ids, CancellationToken ct)
    {
        var result = new Dictionary<long, string?>();
        foreach (var chunk in ids.Distinct().Chunk(2000))
        {
            foreach (var row in await db.Titles.AsNoTracking().Where(t => chunk.Contains(t.Id)).Select(t => new { t.Id, t.Overview }).ToListAsync(ct))
            {
                result[row.Id] = row.Overview;
            }
        }
        return result;
    }

    public static ItemCooccurrence? Cooccurrence(IReadOnlyDictionary<string, UserHistory> histories, KindRecommendationSettings settings)
    {
        if (!settings.UseCollaborative)
        {
            return null;
        }
        var positive = histories.Values.Where(h => h.Signals.Count >= 2)
            .ToDictionary(h => h.UserId, h => (IReadOnlyCollection<long>)h.Signals.Where(s => s.Rating is not { } r || r > (settings.DislikeAtOrBelow ?? -1))
                .Select(s => s.TitleId).ToList());
        if (positive.Count < settings.MinCollaborativeUsers)
        {
            return null;
        }
        var model = ItemCooccurrence.Build(positive);
        return model.IsUsable(settings.MinCollaborativeUsers) ? model : null;
    }

    // A deterministic spread over the catalogue (every n-th id), so the match % is stable between runs.
    public static List<long> CalibrationIds(IEnumerable<long> candidates, int size)
    {
        var all = candidates.Order().ToList();
        if (all.Count <= size)
        {
            return all;
        }
        var step = all.Count / (double)size;
        return Enumerable.Range(0, size).Select(i => all[(int)(i * step)]).ToList();
    }

    public static EvidenceKind Reason(WatchSignal s) =>
        s.FromFeedback && (s.Favorite || s.Rating >= 8) ? EvidenceKind.Liked
        : s.Favorite ? EvidenceKind.Favorite
        : s.Rating >= 8 ? EvidenceKind.HighlyRated
        : s.PlayCount > 1 ? EvidenceKind.Rewatched
        : EvidenceKind.Watched;
}
