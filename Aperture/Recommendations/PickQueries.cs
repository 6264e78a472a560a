using System.Text.Json.Serialization;
using Aperture.Catalog;
using Aperture.Browse;
using Aperture.Data;
using Aperture.Feedback;
using Aperture.MediaServers;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Recommendations;

public sealed record PickSummary(long TitleId, string Kind, int Rank, string Name, int? Year, int MatchPercent, IReadOnlyList<string> Genres,
    IReadOnlyList<string> MatchedGenres, [property: JsonPropertyName("posterUrl")] TitleImage? Poster, string? Explanation, PickReason? LeadReason);

// Why a pick that does not sit close to the taste was picked, for the card's badge: a "12% match" beside a pick that
// many people like this user watched reads as a bad pick when it is a good one for another reason.
public sealed record PickReason(string Text, string Help);

public sealed record PickList(string UserId, string UserName, string Kind, bool Enabled, DateTimeOffset? GeneratedAt, long? RunId, IReadOnlyList<PickSummary> Picks);

// The bars on a pick page, each 0–100; the taste bar is the match % itself, so the two never disagree.
public sealed record PickInsightBars(int TasteMatch, int Discovery, int Quality, int Variety, int Popularity, int PeopleLikeYou)
{
    public static PickInsightBars Of(int matchPercent, double novelty, double rating, double variety, double popularity, double collaborative) =>
        new(Math.Clamp(matchPercent, 0, 100), Percent(novelty), Percent(rating), Percent(variety), Percent(popularity), Percent(collaborative));

    private static int Percent(double value) => (int)Math.Round(100 * Math.Clamp(value, 0, 1));
}

// The one definition of the match %, shown on the pick page; below LowMatch a pick is not said to match the taste.
public static class MatchScale
{
    public const int LowMatch = 50;

    public const string Definition = "Match % is how close this title sits to your taste against the whole catalogue: 90 % means closer than 90 % of the titles here.";

    public static bool SaysTaste(int matchPercent) => matchPercent >= LowMatch;

    // The first reason that holds strongly, in the order they weigh in the score by default (collaborative first); none
    // when the match % is high enough to speak for itself, or when nothing else stands out (the figure is then honest).
    public static PickReason? LeadReason(PickInsightBars bars) =>
        SaysTaste(bars.TasteMatch) ? null
        : bars.PeopleLikeYou >= 60 ? new("people like you", "Watched by people whose history overlaps yours")
        : bars.Popularity >= 60 ? new("popular here", "Many people on this server watched it")
        : bars.Quality >= 75 ? new("highly rated", "A high community rating")
        : bars.Discovery >= 50 ? new("something new", "Further from the genres you usually watch")
        : null;
}

public sealed record EvidenceView(long TitleId, string Name, int? Year, string Reason, double Similarity, [property: JsonPropertyName("posterUrl")] TitleImage? Poster);

public sealed record PickInsights(
    string UserId, string Kind, long TitleId, string Name, int? Year, string? Overview, int Rank, int MatchPercent, double Score,
    PickInsightBars Insights, IReadOnlyList<string> Genres, IReadOnlyList<string> MatchedGenres, IReadOnlyList<EvidenceView> Evidence,
    string? Explanation, string? ExplanationSource, [property: JsonPropertyName("posterUrl")] TitleImage? Poster, [property: JsonPropertyName("backdropUrl")] TitleImage? Backdrop, ServerLink? OpenInServer, string ServerItemId,
    long RunId, DateTimeOffset? GeneratedAt);

public sealed record RunView(long Id, string Kind, string Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, int WatchedCount,
    int CandidateCount, int PickCount, bool UsedCollaborative, string? ModelKey, long? JobRunId, string? Error, bool Current);

public sealed class PickQueries(AppDbContext db, MediaServerSettings servers, DataMemo memo)
{
    // My Picks and the picks API read this on every view: kept per user and data state (a new run, a 👎, a renamed title or
    // picks switched on or off is a new state), see DataMemo.
    public Task<PickList?> ListAsync(string userId, MediaKind kind, CancellationToken ct) =>
        memo.ForUserAsync(db, userId, $"picks:{(int)kind}", c => ReadListAsync(userId, kind, c), ct);

    private async Task<PickList?> ReadListAsync(string userId, MediaKind kind, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.Id, u.Name, u.PicksKinds }).FirstOrDefaultAsync(ct);
        if (user is null)
        {
            return null;
        }
        // Filtered on read as well as deleted on feedback: a run that started before a 👎 must not bring the title back.
        var rows = await db.Picks.AsNoTracking().Where(p => p.UserId == userId && p.Kind == kind)
            .Where(p => !db.UserFeedback.Any(f => f.UserId == p.UserId && f.TitleId == p.TitleId
                && (f.Reaction == FeedbackReaction.Down || f.Reaction == FeedbackReaction.NotInterested)))
            .OrderBy(p => p.Rank)
            .Select(p => new { p.TitleId, p.Rank, p.Title.Name, p.Title.Year, p.MatchPercent, p.Title.Genres, p.MatchedGenres, p.Title.PrimaryImageTag, p.Explanation, p.RunId,
                p.Novelty, p.Rating, p.Variety, p.Popularity, p.Collaborative })
            .ToListAsync(ct);
        var runId = rows.Count == 0 ? (long?)null : rows[0].RunId;
        var generated = runId is null ? null
            : await db.RecommendationRuns.AsNoTracking().Where(r => r.Id == runId).Select(r => r.FinishedAt).FirstOrDefaultAsync(ct);
        var enabled = user.PicksKinds.Contains(kind);
        return new PickList(user.Id, user.Name, kind.Slug(), enabled, generated, runId,
            [.. rows.Select(r => new PickSummary(r.TitleId, kind.Slug(), r.Rank, r.Name, r.Year, r.MatchPercent, r.Genres, MatchScale.SaysTaste(r.MatchPercent) ? r.MatchedGenres : [],
                TitleImage.Of(r.TitleId, ServerImageType.Primary, r.PrimaryImageTag), r.Explanation,
                MatchScale.LeadReason(PickInsightBars.Of(r.MatchPercent, r.Novelty, r.Rating, r.Variety, r.Popularity, r.Collaborative))))]);
    }

    public async Task<PickInsights?> InsightsAsync(string userId, MediaKind kind, long titleId, CancellationToken ct)
    {
        var pick = await db.Picks.AsNoTracking().Where(p => p.UserId == userId && p.Kind == kind && p.TitleId == titleId)
            .Include(p => p.Title).FirstOrDefaultAsync(ct);
        if (pick is null)
        {
            return null;
        }
        var generated = await db.RecommendationRuns.AsNoTracking().Where(r => r.Id == pick.RunId).Select(r => r.FinishedAt).FirstOrDefaultAsync(ct);
        var evidenceIds = pick.Evidence.Select(e => e.TitleId).ToList();
        var posters = await db.Titles.AsNoTracking().Where(t => evidenceIds.Contains(t.Id))
            .Select(t => new { t.Id, t.PrimaryImageTag }).ToDictionaryAsync(t => t.Id, t => t.PrimaryImageTag, ct);
        var config = await servers.GetAsync(ct);
        var t = pick.Title;
        return new PickInsights(userId, kind.Slug(), t.Id, t.Name, t.Year, t.Overview, pick.Rank, pick.MatchPercent, Math.Round(pick.Score, 4),
            PickInsightBars.Of(pick.MatchPercent, pick.Novelty, pick.Rating, pick.Variety, pick.Popularity, pick.Collaborative),
            t.Genres, MatchScale.SaysTaste(pick.MatchPercent) ? pick.MatchedGenres : [],
            [.. pick.Evidence.Where(e => posters.ContainsKey(e.TitleId)).Select(e => new EvidenceView(e.TitleId, e.Name, e.Year, ReasonText(e.Reason), e.Similarity,
                TitleImage.Of(e.TitleId, ServerImageType.Primary, posters[e.TitleId])))],
            pick.Explanation, pick.ExplanationSource,
            TitleImage.Of(t.Id, ServerImageType.Primary, t.PrimaryImageTag),
            TitleImage.Of(t.Id, ServerImageType.Backdrop, t.BackdropImageTag),
            MediaServerLinks.ForItem(config.Detected, config.LinkBaseUrl, t.ServerItemId), t.ServerItemId, pick.RunId, generated);
    }

    public async Task<IReadOnlyList<RunView>> RunsAsync(string userId, int take, CancellationToken ct)
    {
        var current = await db.Picks.AsNoTracking().Where(p => p.UserId == userId).Select(p => p.RunId).Distinct().ToListAsync(ct);
        var runs = await db.RecommendationRuns.AsNoTracking().Where(r => r.UserId == userId)
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).Take(take).ToListAsync(ct);
        return [.. runs.Select(r => new RunView(r.Id, r.Kind.Slug(), r.Status.ToString().ToLowerInvariant(), r.StartedAt, r.FinishedAt, r.WatchedCount,
            r.CandidateCount, r.PickCount, r.UsedCollaborative, r.ModelKey, r.JobRunId, r.Error, current.Contains(r.Id)))];
    }

    public static string ReasonText(EvidenceKind reason) => reason switch
    {
        EvidenceKind.Favorite => "favourite",
        EvidenceKind.HighlyRated => "highly rated",
        EvidenceKind.Rewatched => "watched more than once",
        EvidenceKind.Liked => "you gave it 👍",
        _ => "watched",
    };

}
