using System.Text.Json.Serialization;
using Aperture.Data;
using Aperture.Settings;

namespace Aperture.Recommendations;

// Per-kind settings (Admin › AI Config, /api/settings/recommendations). Stored as one JSON value per kind;
// what is not stored takes the benchmark's defaults, so improving a default reaches every install that kept it.
public sealed record KindRecommendationSettings
{
    public int PicksPerUser { get; init; } = 50;
    public ScoringWeights Weights { get; init; } = new();
    public double HalfLifeDays { get; init; } = new TasteOptions().HalfLifeDays;
    public double FavoriteBoost { get; init; } = new TasteOptions().FavoriteBoost;
    // Titles the user rated at or below this (0–10) pull the taste away; null: ratings never pull away.
    public double? DislikeAtOrBelow { get; init; } = new TasteOptions().DislikeAtOrBelow;
    public bool UseCollaborative { get; init; } = true;
    // Fewer users with history than this: the co-watch signal is too thin to trust and stays off.
    public int MinCollaborativeUsers { get; init; } = 5;

    [JsonIgnore]
    public TasteOptions Taste => new()
    {
        HalfLifeDays = HalfLifeDays,
        FavoriteBoost = FavoriteBoost,
        DislikeAtOrBelow = DislikeAtOrBelow ?? -1,
    };
}

public sealed record ScoringWeightsPatch(double? Similarity, double? Novelty, double? Rating, double? Popularity, double? Collaborative, double? Diversity);

// The weights come flat (similarity, novelty, ...) or nested as GET returns them (weights.similarity, ...): what GET
// answers, PATCH takes back unchanged. A flat field wins over its nested twin.
public sealed record RecommendationSettingsPatch(
    int? PicksPerUser, double? Similarity, double? Novelty, double? Rating, double? Popularity, double? Collaborative, double? Diversity,
    double? HalfLifeDays, double? FavoriteBoost, double? DislikeAtOrBelow, bool? ClearDislike, bool? UseCollaborative, int? MinCollaborativeUsers,
    ScoringWeightsPatch? Weights = null)
{
    public RecommendationSettingsPatch Flattened() => this with
    {
        Similarity = Similarity ?? Weights?.Similarity,
        Novelty = Novelty ?? Weights?.Novelty,
        Rating = Rating ?? Weights?.Rating,
        Popularity = Popularity ?? Weights?.Popularity,
        Collaborative = Collaborative ?? Weights?.Collaborative,
        Diversity = Diversity ?? Weights?.Diversity,
        Weights = null,
    };
}

public sealed class RecommendationSettings(JsonSettings json, SettingsStore store)
{
    public static SettingKey Key(MediaKind kind) => new($"recommendations.{kind.Slug()}");

    // For the jobs: a stored value that cannot be read fails them (StoredSettingException naming the key).
    public Task<KindRecommendationSettings> GetAsync(MediaKind kind, CancellationToken ct) =>
        json.GetAsync(Key(kind), () => new KindRecommendationSettings(), ct);

    // For pages and edits: defaults in memory when the stored value cannot be read (it stays stored as it was).
    public Task<KindRecommendationSettings> GetForEditAsync(MediaKind kind, CancellationToken ct) =>
        json.GetOrDefaultsAsync(Key(kind), () => new KindRecommendationSettings(), ct);

    public static (KindRecommendationSettings Result, Dictionary<string, string> Errors) Apply(KindRecommendationSettings current, RecommendationSettingsPatch patch)
    {
        patch = patch.Flattened();
        var errors = new Dictionary<string, string>();
        void Range(double? value, string field, double min, double max)
        {
            if (value is { } v && (double.IsNaN(v) || v < min || v > max))
            {
                errors[field] = $"{field} must be between {min} and {max}.";
            }
        }
        if (patch.PicksPerUser is { } picks && picks is < 1 or > 500)
        {
            errors["picksPerUser"] = "picksPerUser must be between 1 and 500.";
        }
        Range(patch.Similarity, "similarity", 0, 10);
        Range(patch.Novelty, "novelty", 0, 10);
        Range(patch.Rating, "rating", 0, 10);
        Range(patch.Popularity, "popularity", 0, 10);
        Range(patch.Collaborative, "collaborative", 0, 10);
        Range(patch.Diversity, "diversity", 0, 1);
        Range(patch.HalfLifeDays, "halfLifeDays", 1, 3650);
        Range(patch.FavoriteBoost, "favoriteBoost", 1, 5);
        Range(patch.DislikeAtOrBelow, "dislikeAtOrBelow", 0, 10);
        if (patch.MinCollaborativeUsers is { } min && min is < 2 or > 10_000)
        {
            errors["minCollaborativeUsers"] = "minCollaborativeUsers must be between 2 and 10000.";
        }
        var w = current.Weights;
        var weights = new ScoringWeights(
            patch.Similarity ?? w.Similarity, patch.Novelty ?? w.Novelty, patch.Rating ?? w.Rating,
            patch.Popularity ?? w.Popularity, patch.Collaborative ?? w.Collaborative, patch.Diversity ?? w.Diversity);
        if (errors.Count == 0 && weights.Similarity + weights.Novelty + weights.Rating + weights.Popularity + weights.Collaborative <= 0)
        {
            errors["similarity"] = "At least one of similarity, novelty, rating, popularity and collaborative must be above 0.";
        }
        var result = current with
        {
            PicksPerUser = patch.PicksPerUser ?? current.PicksPerUser,
            Weights = weights,
            HalfLifeDays = patch.HalfLifeDays ?? current.HalfLifeDays,
            FavoriteBoost = patch.FavoriteBoost ?? current.FavoriteBoost,
            DislikeAtOrBelow = patch.ClearDislike == true ? null : patch.DislikeAtOrBelow ?? current.DislikeAtOrBelow,
            UseCollaborative = patch.UseCollaborative ?? current.UseCollaborative,
            MinCollaborativeUsers = patch.MinCollaborativeUsers ?? current.MinCollaborativeUsers,
        };
        return (result, errors);
    }

    public async Task SaveAsync(MediaKind kind, KindRecommendationSettings value, CancellationToken ct)
    {
        await json.SetAsync(Key(kind), value, ct);
        await store.SaveAsync(ct);
    }
}
