using Aperture.Data;
using Aperture.Recommendations;
using Aperture.Settings;
using Aperture.VectorSearch;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Feedback;

public sealed record TuningView(string Kind, bool Enabled, bool UsesAdminWeights, ScoringWeights Weights, ScoringWeights AdminWeights,
    int PicksPerUser, int AdminPicksPerUser, bool IncludeStarted, IReadOnlyDictionary<string, string> Genres, IReadOnlyList<string> KnownGenres);

// CurrentRank: the title's rank in the stored picks; null when the preview brings in a title that is not among them.
public sealed record PreviewRow(long TitleId, string Name, int? Year, int Rank, int? CurrentRank, double Score);

// My Taste › Tune and /api/users/{id}/tuning: the user's own weights over the admin's, saved per kind; the next run uses them
// (FeedbackInputs.LoadAsync). The preview re-ranks the user's current picks with unsaved values.
public sealed class TuningService(AppDbContext db, RecommendationSettings recommendationSettings, SettingsStore store, IVectorIndex index,
    TimeProvider time, ILogger<TuningService> logger)
{
    public async Task<UserTuning> StoredAsync(string userId, MediaKind kind, CancellationToken ct) =>
        UserTuning.Read(await db.UserKindSettings.AsNoTracking().Where(p => p.UserId == userId && p.Kind == kind)
            .Select(p => p.Tuning).FirstOrDefaultAsync(ct), userId, kind, logger);

    public async Task<TuningView> ViewAsync(string userId, MediaKind kind, UserTuning? tuning, CancellationToken ct)
    {
        tuning ??= await StoredAsync(userId, kind, ct);
        var admin = await recommendationSettings.GetForEditAsync(kind, ct);
        var genres = (await db.Titles.AsNoTracking().Where(t => t.Kind == kind).Select(t => t.Genres).ToListAsync(ct))
            .SelectMany(g => g).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
        return new TuningView(kind.Slug(), await FeedbackInputs.TuningEnabledAsync(store, ct), tuning.Weights is null, tuning.Weights ?? admin.Weights,
            admin.Weights, tuning.PicksPerUser ?? admin.PicksPerUser, admin.PicksPerUser, tuning.IncludeStarted,
            tuning.Genres.ToDictionary(g => g.Key, g => g.Value.ToString().ToLowerInvariant(), StringComparer.OrdinalIgnoreCase), genres);
    }

    public async Task<(UserTuning Tuning, Dictionary<string, string> Errors)> ApplyAsync(string userId, MediaKind kind, UserTuningPatch patch, CancellationToken ct)
    {
        var admin = await recommendationSettings.GetForEditAsync(kind, ct);
        return UserTuningPatch.Apply(await StoredAsync(userId, kind, ct), admin.Weights, patch);
    }

    public async Task SaveAsync(string userId, MediaKind kind, UserTuning tuning, CancellationToken ct)
    {
        var row = await db.UserKindSettings.FirstOrDefaultAsync(p => p.UserId == userId && p.Kind == kind, ct);
        if (row is null)
        {
            db.UserKindSettings.Add(row = new UserKindSettings { UserId = userId, Kind = kind });
        }
        else if (UserTuning.TryParse(row.Tuning, out _) is { } problem)
        {
            // The user's own save replaces what could not be read; the old text goes to the log so it can still be recovered.
            logger.LogWarning("The unreadable stored tuning of user {UserId} for {Kind} ({Problem}) is replaced by their save; it was: {OldTuning}",
                userId, kind.Word(), problem, row.Tuning);
        }
        row.Tuning = tuning.Serialize();
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    // What the next run would make of this user with these values, cheaply: the user's own history and feedback, the same pool
    // a run draws (the current picks, the titles nearest the taste from the vector index, the best-loved here) and the engine's
    // own scoring (UserRecommender.Recommend with the unsaved tuning). So a slider can bring in a title that is not among the
    // current picks. What only a whole run knows is taken from the stored picks: the co-watch score ("people like you"), which
    // needs every user's history, is the one each current pick was stored with and 0 for a title from outside the list.
    public async Task<List<PreviewRow>> PreviewAsync(string userId, MediaKind kind, UserTuning tuning, CancellationToken ct)
    {
        var settings = await recommendationSettings.GetAsync(kind, ct);
        var picks = await db.Picks.AsNoTracking().Where(p => p.UserId == userId && p.Kind == kind)
            .Select(p => new { p.TitleId, p.Rank, p.Collaborative }).ToListAsync(ct);
        var modelKey = (await store.GetAsync(SettingKeys.ActiveEmbeddingModel(kind), ct)).Value;
        if (picks.Count == 0 || modelKey is null)
        {
            return [];
        }
        var adjustments = (await FeedbackInputs.LoadAsync(db, kind, tuningEnabled: true, [userId], logger, ct, tuning)).GetValueOrDefault(userId) ?? UserAdjustments.None;
        var history = FeedbackInputs.Apply((await RecommendationInputs.HistoriesAsync(db, kind, ct, userId)).GetValueOrDefault(userId)
            ?? new UserHistory(userId, [], new HashSet<long>()), adjustments);
        // "Popular here" as the run computes it, from every user's watched titles and their last play (one narrow query).
        var plays = await db.WatchStates.AsNoTracking()
            .Where(w => w.Title.Kind == kind && (w.Played || w.PlayCount > 0 || w.PlayedPercentage > 0 || w.IsFavorite || w.Rating != null))
            .Select(w => new { w.UserId, w.TitleId, w.LastPlayedAt }).ToListAsync(ct);
        var everyone = plays.GroupBy(p => p.UserId, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key,
            g => new UserHistory(g.Key, [.. g.GroupBy(p => p.TitleId).Select(t => new WatchSignal(t.Key, t.Max(p => p.LastPlayedAt), 1, false, null, 1))],
                new HashSet<long>()), StringComparer.OrdinalIgnoreCase);
        var now = time.GetUtcNow();
        var catalogue = await RecommendationInputs.CatalogueAsync(db, kind, everyone, settings.MinCollaborativeUsers, now, ct);
        var sampleIds = RecommendationInputs.CalibrationIds(catalogue.Values.Where(t => t.Candidate).Select(t => t.Id), CalibrationSampleSize);
        var vectors = await StoredVectors.ReadAsync(db, kind, modelKey, history.Signals.Select(s => s.TitleId).Concat(sampleIds), ct);
        var context = new RecommendationContext(catalogue, id => vectors.GetValueOrDefault(id), null,
            [.. sampleIds.Where(vectors.ContainsKey).Select(id => (id, vectors[id]))], settings, now);
        var taste = UserRecommender.Taste(history, context);
        var libraries = catalogue.Values.Where(t => t.Candidate).Select(t => t.Id).ToHashSet();
        var nearest = taste is null ? [] : (await index.NearestBatchAsync(kind, [taste], UserRecommender.PoolSize(settings),
            [new VectorFilter(history.Excluded, null)], ct))[0].Select(h => h.Id).Where(libraries.Contains).ToList();
        var collaborative = picks.Where(p => p.Collaborative > 0).ToDictionary(p => p.TitleId, p => p.Collaborative);
        var pool = UserRecommender.Pool(history, nearest.Concat(picks.Select(p => p.TitleId)), collaborative, context);
        foreach (var (id, vector) in await StoredVectors.ReadAsync(db, kind, modelKey, pool.Where(id => !vectors.ContainsKey(id)), ct))
        {
            vectors[id] = vector;
        }
        var result = UserRecommender.Recommend(history, taste, pool, collaborative, context, adjustments);
        var current = picks.ToDictionary(p => p.TitleId, p => p.Rank);
        return [.. result.Picks.Select(p => new PreviewRow(p.TitleId, catalogue[p.TitleId].Name, catalogue[p.TitleId].Year, p.Rank,
            current.TryGetValue(p.TitleId, out var rank) ? rank : null, Math.Round(p.Score, 4)))];
    }

    private const int CalibrationSampleSize = 2000;
}
