using Aperture.Data;
using Aperture.Settings;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Recommendations;

// What a user taught Aperture, as inputs to a run: titles never to recommend (👎, "not interested" and their other
// copies), taste signals (👍 and high ratings like a favourite, 👎 and low ratings like a low server rating), genre
// factors ("not my genre", Tune's more/less/never) and their own weights and count over the admin's.
public sealed record UserAdjustments(
    IReadOnlySet<long> Removed,
    IReadOnlyList<WatchSignal> Signals,
    IReadOnlyDictionary<string, double> GenreFactors,
    IReadOnlySet<string> NeverGenres,
    ScoringWeights? Weights,
    int? PicksPerUser,
    bool IncludeStarted)
{
    public static readonly UserAdjustments None = new(new HashSet<long>(), [], new Dictionary<string, double>(), new HashSet<string>(), null, null, false);

    // "Not my genre" halves a genre each time it is said, but never below this: one genre is never silenced by reasons alone (Tune › never does that).
    public const double NotMyGenreFactor = 0.5;
    public const double MinGenreFactor = 0.2;

    public bool Allows(IEnumerable<string> genres) => NeverGenres.Count == 0 || !genres.Any(NeverGenres.Contains);

    public double GenreFactor(IEnumerable<string> genres)
    {
        if (GenreFactors.Count == 0)
        {
            return 1;
        }
        var factor = 1.0;
        foreach (var g in genres.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            factor *= GenreFactors.GetValueOrDefault(g, 1);
        }
        return Math.Clamp(factor, MinGenreFactor, 2);
    }
}

// One user_feedback row as the run reads it (Genres: the title's, for "not my genre").
public sealed record FeedbackEntry(long TitleId, FeedbackReaction? Reaction, FeedbackReason? Reason, int? Rating, DateTimeOffset UpdatedAt,
    IReadOnlyList<string> Genres);

public static class FeedbackInputs
{
    public static readonly SettingKey TuningEnabled = new("tuning.enabled");

    public static async Task<bool> TuningEnabledAsync(SettingsStore store, CancellationToken ct) =>
        (await store.GetAsync(TuningEnabled, ct)).Value is not { } v || !string.Equals(v, "false", StringComparison.OrdinalIgnoreCase);

    // Admins switch per-user tuning off server-wide (Admin › Settings › Recommendations, PUT /api/settings/tuning).
    public static async Task SetTuningEnabledAsync(SettingsStore store, bool enabled, CancellationToken ct)
    {
        await store.SetAsync(TuningEnabled, enabled ? "true" : "false", ct);
        await store.SaveAsync(ct);
    }

    // Every listed user's adjustments for one kind (users without feedback or tuning get None), in two queries.
    // unsaved: the Tune preview's values, used instead of what is stored.
    public static async Task<Dictionary<string, UserAdjustments>> LoadAsync(AppDbContext db, MediaKind kind, bool tuningEnabled,
        IReadOnlyCollection<string> userIds, ILogger logger, CancellationToken ct, UserTuning? unsaved = null)
    {
        var ids = userIds.ToList();
        var rows = await db.UserFeedback.AsNoTracking().Where(f => f.Kind == kind && ids.Contains(f.UserId))
            .Select(f => new { f.UserId, f.TitleId, f.Reaction, f.Reason, f.Rating, f.UpdatedAt, f.Title.Genres }).ToListAsync(ct);
        var tunings = unsaved is not null ? ids.ToDictionary(id => id, _ => unsaved, StringComparer.OrdinalIgnoreCase)
            : tuningEnabled
            ? (await db.UserKindSettings.AsNoTracking().Where(p => p.Kind == kind && ids.Contains(p.UserId))
                .Select(p => new { p.UserId, p.Tuning }).ToListAsync(ct))
                .ToDictionary(p => p.UserId, p => UserTuning.Read(p.Tuning, p.UserId, kind, logger), StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, UserTuning>(StringComparer.OrdinalIgnoreCase);
        var removedIds = rows.Where(r => r.Reaction is FeedbackReaction.Down or FeedbackReaction.NotInterested).Select(r => r.TitleId).ToHashSet();
        var copies = await CopiesAsync(db, kind, removedIds, ct);

        var result = new Dictionary<string, UserAdjustments>(StringComparer.OrdinalIgnoreCase);
        var byUser = rows.ToLookup(r => r.UserId, StringComparer.OrdinalIgnoreCase);
        foreach (var userId in ids.Where(id => byUser[id].Any() || tunings.ContainsKey(id)))
        {
            result[userId] = ForUser(byUser[userId].Select(r => new FeedbackEntry(r.TitleId, r.Reaction, r.Reason, r.Rating, r.UpdatedAt, r.Genres)),
                copies, tunings.GetValueOrDefault(userId) ?? new UserTuning());
        }
        return result;
    }

    // One user's feedback rows and tuning as the run reads them. Pure, so the feedback benchmark replays MovieLens through
    // exactly this code (Aperture.Bench feedback).
    public static UserAdjustments ForUser(IEnumerable<FeedbackEntry> entries, IReadOnlyDictionary<long, List<long>> copies, UserTuning tuning)
    {
        var removed = new HashSet<long>();
        var signals = new List<WatchSignal>();
        var factors = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var r in entries)
        {
            if (r.Reaction is FeedbackReaction.Down or FeedbackReaction.NotInterested)
            {
                removed.Add(r.TitleId);
                removed.UnionWith(copies.GetValueOrDefault(r.TitleId) ?? []);
            }
            if (r.Reaction == FeedbackReaction.NotInterested && r.Reason == FeedbackReason.Genre)
            {
                foreach (var g in r.Genres.Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    factors[g] = Math.Max(UserAdjustments.MinGenreFactor, factors.GetValueOrDefault(g, 1) * UserAdjustments.NotMyGenreFactor);
                }
            }
            if (Signal(r.TitleId, r.Reaction, r.Rating, r.UpdatedAt) is { } signal)
            {
                signals.Add(signal);
            }
        }
        foreach (var (genre, lean) in tuning.Genres)
        {
            if (lean != GenreLean.Never)
            {
                factors[genre] = factors.GetValueOrDefault(genre, 1) * (lean == GenreLean.More ? UserTuning.MoreFactor : UserTuning.LessFactor);
            }
        }
        var never = tuning.Genres.Where(g => g.Value == GenreLean.Never).Select(g => g.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new UserAdjustments(removed, signals, factors, never, tuning.Weights, tuning.PicksPerUser, tuning.IncludeStarted);
    }

    // A reaction or rating as the taste model reads a server's user data: 👍 or 8+ like a favourite, 👎 like a 0 rating
    // (below any dislike threshold), any other rating as that rating. "Not interested" alone says nothing about taste.
    public static WatchSignal? Signal(long titleId, FeedbackReaction? reaction, int? rating, DateTimeOffset at) => reaction switch
    {
        FeedbackReaction.Down => new WatchSignal(titleId, at, 0, false, 0, 1, FromFeedback: true),
        FeedbackReaction.Up => new WatchSignal(titleId, at, 0, true, rating, 1, FromFeedback: true),
        _ when rating is { } r => new WatchSignal(titleId, at, 0, r >= 8, r, 1, FromFeedback: true),
        _ => null,
    };

    // The history the run scores from: feedback signals over the server's (a reaction replaces the server's favourite and
    // rating for that title, its plays stay), removed titles excluded, and started titles back in play when the user asked.
    public static UserHistory Apply(UserHistory history, UserAdjustments adjustments)
    {
        if (ReferenceEquals(adjustments, UserAdjustments.None))
        {
            return history;
        }
        var byTitle = adjustments.Signals.ToDictionary(s => s.TitleId);
        var signals = history.Signals.Select(s => byTitle.Remove(s.TitleId, out var f)
            ? s with { Favorite = f.Favorite, Rating = f.Rating ?? s.Rating, FromFeedback = true }
            : s).Concat(byTitle.Values).ToList();
        var excluded = new HashSet<long>(history.Excluded);
        if (adjustments.IncludeStarted)
        {
            excluded.ExceptWith(history.Signals.Where(Started).Select(s => s.TitleId));
        }
        excluded.UnionWith(adjustments.Removed);
        return history with { Signals = signals, Excluded = excluded };
    }

    // Begun, not finished, and not a favourite or rated (those are statements the user already made about the title).
    private static bool Started(WatchSignal s) => s.Completion < 1 && s.PlayCount == 0 && !s.Favorite && s.Rating is null;

    // Other titles with the same TMDB or IMDb id (a 4K and an HD copy are one film): a 👎 covers both.
    public static async Task<Dictionary<long, List<long>>> CopiesAsync(AppDbContext db, MediaKind kind, IReadOnlyCollection<long> titleIds, CancellationToken ct)
    {
        if (titleIds.Count == 0)
        {
            return [];
        }
        var ids = titleIds.ToList();
        var keys = await db.Titles.AsNoTracking().Where(t => ids.Contains(t.Id)).Select(t => new { t.Id, t.TmdbId, t.ImdbId }).ToListAsync(ct);
        var tmdb = keys.Where(k => k.TmdbId != null).Select(k => k.TmdbId!).Distinct().ToList();
        var imdb = keys.Where(k => k.ImdbId != null).Select(k => k.ImdbId!).Distinct().ToList();
        if (tmdb.Count == 0 && imdb.Count == 0)
        {
            return [];
        }
        var others = await db.Titles.AsNoTracking()
            .Where(t => t.Kind == kind && ((t.TmdbId != null && tmdb.Contains(t.TmdbId)) || (t.ImdbId != null && imdb.Contains(t.ImdbId))))
            .Select(t => new { t.Id, t.TmdbId, t.ImdbId }).ToListAsync(ct);
        return keys.ToDictionary(k => k.Id, k => others
            .Where(o => o.Id != k.Id && ((k.TmdbId != null && o.TmdbId == k.TmdbId) || (k.ImdbId != null && string.Equals(o.ImdbId, k.ImdbId, StringComparison.OrdinalIgnoreCase))))
            .Select(o => o.Id).ToList());
    }
}
