using Aperture.Data;
using Microsoft.EntityFrameworkCore;

namespace Aperture.TopPicks;

// One watch-state row inside the window. EpisodeId is set for an episode (TitleId is then its series).
public sealed record WindowWatch(string UserId, long TitleId, long? EpisodeId, bool Played, int PlayCount, double? PlayedPercentage);

public sealed record TopPickFigures(long TitleId, int Viewers, int Plays, double Completion, double Score);

// Global popularity per kind over a window of days: per title the distinct viewers, their plays and how much of it they
// completed, each normalised to 0..1 and weighted. A watch counts when its last play falls inside the window (the servers
// keep only the last play date and a total count, so a rewatched title brings its whole play count along).
public static class TopPicksCalculator
{
    // The window's watch states of titles in enabled libraries still on the server, in one query.
    public static async Task<List<WindowWatch>> WatchesAsync(AppDbContext db, MediaKind kind, DateTimeOffset since, CancellationToken ct)
    {
        var libraries = db.Libraries.Where(l => l.Kind == kind && l.Enabled && l.PresentOnServer).Select(l => l.Id);
        return await db.WatchStates.AsNoTracking()
            .Where(w => w.Title.Kind == kind && libraries.Contains(w.Title.LibraryId))
            .Where(w => w.LastPlayedAt != null && w.LastPlayedAt >= since)
            .Where(w => w.Played || w.PlayCount > 0 || w.PlayedPercentage > 0)
            .Select(w => new WindowWatch(w.UserId, w.TitleId, w.EpisodeId, w.Played, w.PlayCount, w.PlayedPercentage))
            .ToListAsync(ct);
    }

    public static async Task<IReadOnlyList<TopPickFigures>> ComputeAsync(AppDbContext db, MediaKind kind, KindTopPicksSettings settings,
        DateTimeOffset now, CancellationToken ct)
    {
        var watches = await WatchesAsync(db, kind, now - TimeSpan.FromDays(settings.WindowDays), ct);
        var episodeCounts = new Dictionary<long, int>();
        if (kind == MediaKind.Series && watches.Count > 0)
        {
            var series = watches.Select(w => w.TitleId).Distinct().ToList();
            foreach (var chunk in series.Chunk(2000))
            {
                foreach (var row in await db.Episodes.AsNoTracking().Where(e => chunk.Contains(e.SeriesId))
                    .GroupBy(e => e.SeriesId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
                {
                    episodeCounts[row.Key] = row.Count;
                }
            }
        }
        return Rank(kind, watches, episodeCounts, settings);
    }

    // Pure, so the figures can be checked on a hand-made history.
    public static IReadOnlyList<TopPickFigures> Rank(MediaKind kind, IEnumerable<WindowWatch> watches, IReadOnlyDictionary<long, int> episodeCounts,
        KindTopPicksSettings settings)
    {
        var raw = new List<(long TitleId, int Viewers, int Plays, double Completion)>();
        foreach (var title in watches.GroupBy(w => w.TitleId))
        {
            var viewers = title.GroupBy(w => w.UserId, StringComparer.OrdinalIgnoreCase).ToList();
            var plays = 0;
            var completion = 0.0;
            foreach (var viewer in viewers)
            {
                if (kind == MediaKind.Movie)
                {
                    // One row per user and movie; a started but unfinished film counts as one play.
                    var w = viewer.First();
                    plays += Math.Max(w.PlayCount, 1);
                    completion += Share(w);
                }
                else
                {
                    var episodes = viewer.Where(w => w.EpisodeId is not null).GroupBy(w => w.EpisodeId).Select(g => g.First()).ToList();
                    plays += episodes.Count == 0 ? 1 : episodes.Sum(e => Math.Max(e.PlayCount, 1));
                    // The series itself marked played counts as all of it; otherwise the share of its episodes watched.
                    var whole = viewer.Any(w => w.EpisodeId is null && w.Played);
                    var total = Math.Max(episodeCounts.GetValueOrDefault(title.Key), episodes.Count);
                    completion += whole ? 1 : total == 0 ? 0 : Math.Min(1, episodes.Sum(Share) / total);
                }
            }
            raw.Add((title.Key, viewers.Count, plays, completion / viewers.Count));
        }

        var eligible = raw.Where(r => r.Viewers >= settings.MinViewers).ToList();
        if (eligible.Count == 0)
        {
            return [];
        }
        var maxViewers = (double)eligible.Max(r => r.Viewers);
        var maxPlays = (double)Math.Max(1, eligible.Max(r => r.Plays));
        var weights = settings.Weights;
        var sum = weights.Sum <= 0 ? 1 : weights.Sum;
        return eligible
            .Select(r => new TopPickFigures(r.TitleId, r.Viewers, r.Plays, r.Completion,
                (weights.UniqueViewers * r.Viewers / maxViewers + weights.PlayCount * r.Plays / maxPlays + weights.Completion * r.Completion) / sum))
            // Ties: more viewers, then more plays, then the older title id, so the same history always gives the same list.
            .OrderByDescending(f => Math.Round(f.Score, 9)).ThenByDescending(f => f.Viewers).ThenByDescending(f => f.Plays).ThenBy(f => f.TitleId)
            .Take(settings.Count)
            .ToList();
    }

    private static double Share(WindowWatch w) => w.Played ? 1 : Math.Clamp((w.PlayedPercentage ?? 0) / 100, 0, 1);
}
