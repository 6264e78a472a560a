using Aperture.Data;
using Aperture.Recommendations;
using Aperture.Settings;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Feedback;

public sealed record TuningView(string Kind, bool Enabled, bool UsesAdminWeights, ScoringWeights Weights, ScoringWeights AdminWeights,
    int PicksPerUser, int AdminPicksPerUser, bool IncludeStarted, IReadOnlyDictionary<string, string> Genres, IReadOnlyList<string> KnownGenres);

public sealed record PreviewRow(long TitleId, string Name, int? Year, int Rank, int CurrentRank, double Score);

// My Taste › Tune and /api/users/{id}/tuning: the user's own weights over the admin's, saved per kind; the next run uses them
// (FeedbackInputs.LoadAsync). The preview re-ranks the user's current picks with unsaved values.
public sealed class TuningService(AppDbContext db, RecommendationSettings recommendationSettings, SettingsStore store)
{
    public async Task<UserTuning> StoredAsync(string userId, MediaKind kind, CancellationToken ct) =>
        UserTuning.Parse(await db.UserPreferences.AsNoTracking().Where(p => p.UserId == userId)
            .Select(p => kind == MediaKind.Movie ? p.MovieTuning : p.SeriesTuning).FirstOrDefaultAsync(ct));

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
        var row = await db.UserPreferences.FirstOrDefaultAsync(p => p.UserId == userId, ct);
        if (row is null)
        {
            db.UserPreferences.Add(row = new UserPreferences { UserId = userId });
        }
        if (kind == MediaKind.Movie)
        {
            row.MovieTuning = tuning.Serialize();
        }
        else
        {
            row.SeriesTuning = tuning.Serialize();
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    // The current picks scored again with these weights and genre leans (the signals each pick was stored with), then
    // diversified as a run does: what the next run would make of the same candidates.
    public async Task<List<PreviewRow>> PreviewAsync(string userId, MediaKind kind, UserTuning tuning, CancellationToken ct)
    {
        var admin = await recommendationSettings.GetForEditAsync(kind, ct);
        var weights = tuning.Weights ?? admin.Weights;
        var picks = await db.Picks.AsNoTracking().Where(p => p.UserId == userId && p.Kind == kind).OrderBy(p => p.Rank)
            .Select(p => new { p.TitleId, p.Rank, p.Title.Name, p.Title.Year, p.Title.Genres, p.Similarity, p.Novelty, p.Rating, p.Popularity, p.Collaborative })
            .ToListAsync(ct);
        var modelKey = (await store.GetAsync(SettingKeys.ActiveEmbeddingModel(kind), ct)).Value;
        var vectors = modelKey is null ? [] : await RecommendationInputs.VectorsAsync(db, kind, modelKey, picks.Select(p => p.TitleId), ct);
        var adjustments = (await FeedbackInputs.LoadAsync(db, kind, tuningEnabled: false, [userId], ct)).GetValueOrDefault(userId) ?? UserAdjustments.None;
        var factors = new Dictionary<string, double>(adjustments.GenreFactors, StringComparer.OrdinalIgnoreCase);
        foreach (var (genre, lean) in tuning.Genres.Where(g => g.Value != GenreLean.Never))
        {
            factors[genre] = factors.GetValueOrDefault(genre, 1) * (lean == GenreLean.More ? UserTuning.MoreFactor : UserTuning.LessFactor);
        }
        var lens = adjustments with
        {
            GenreFactors = factors,
            NeverGenres = tuning.Genres.Where(g => g.Value == GenreLean.Never).Select(g => g.Key).ToHashSet(StringComparer.OrdinalIgnoreCase),
        };
        var ranked = picks.Where(p => lens.Allows(p.Genres))
            .Select(p => new RankedCandidate(p.TitleId,
                CandidateScorer.Score(new CandidateSignals(p.TitleId, p.Similarity, p.Novelty, p.Rating, p.Popularity, p.Collaborative), weights) * lens.GenreFactor(p.Genres),
                vectors.GetValueOrDefault(p.TitleId), p.Genres))
            .ToList();
        var chosen = Reranker.Diversify(ranked, tuning.PicksPerUser ?? admin.PicksPerUser, weights.Diversity);
        var byId = picks.ToDictionary(p => p.TitleId);
        return [.. chosen.Select((c, i) => new PreviewRow(c.TitleId, byId[c.TitleId].Name, byId[c.TitleId].Year, i + 1, byId[c.TitleId].Rank, Math.Round(c.Score, 4)))];
    }
}
