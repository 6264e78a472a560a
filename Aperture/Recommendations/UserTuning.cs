using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aperture.Data;
using Aperture.Settings;

namespace Aperture.Recommendations;

public enum GenreLean { More, Less, Never }

// A user's own tuning for one kind (My Taste › Tune, /api/users/{id}/tuning/{kind}). Null weights and count: the admin's.
public sealed record UserTuning
{
    public ScoringWeights? Weights { get; init; }
    public int? PicksPerUser { get; init; }
    public bool IncludeStarted { get; init; }
    public Dictionary<string, GenreLean> Genres { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    // The stored-settings serializer's options: unknown members skipped, missing ones keep their defaults.
    public static readonly JsonSerializerOptions Json = JsonSettings.Options;

    // The stored tuning of one user and kind. Text this version cannot read is not the user's fault and is never replaced
    // behind their back (the same rule as JsonSettings): the error is logged naming the user and the kind, the stored text
    // stays as it is until the user saves, and meanwhile the user gets the defaults (the admin's settings).
    public static UserTuning Read(string? json, string userId, MediaKind kind, ILogger logger)
    {
        if (TryParse(json, out var tuning) is { } problem)
        {
            logger.LogError("The stored tuning of user {UserId} for {Kind} cannot be read ({Problem}); it is kept as it was and the admin's settings are used until the user saves their tuning again",
                userId, kind.Word(), problem);
        }
        return tuning;
    }

    // Null when the text reads (or there is none); otherwise why not, with the defaults in tuning.
    public static string? TryParse(string? json, out UserTuning tuning)
    {
        tuning = new UserTuning();
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }
        try
        {
            var parsed = JsonSerializer.Deserialize<UserTuning>(json, Json) ?? new UserTuning();
            // Stored dictionaries come back case-sensitive: genres compare as the catalogue spells them, in any case.
            tuning = parsed with { Genres = new Dictionary<string, GenreLean>(parsed.Genres ?? [], StringComparer.OrdinalIgnoreCase) };
            return null;
        }
        catch (JsonException e)
        {
            return $"{e.Path}: {e.Message.Split('\n')[0].Trim()}";
        }
    }

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    // How a genre lean moves a title's score: a factor per genre, multiplied over the title's genres.
    public const double MoreFactor = 1.4;
    public const double LessFactor = 0.6;
}

// The sliders and choices as the page and the API send them; a missing field keeps its current value.
public sealed record UserTuningPatch(
    double? Similarity, double? Novelty, double? Rating, double? Popularity, double? Collaborative, double? Diversity,
    int? PicksPerUser, bool? IncludeStarted, Dictionary<string, string?>? Genres, bool? UseAdminWeights = null)
{
    // The names the user sees on the sliders, used in every error message.
    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        ["similarity"] = "Taste match",
        ["novelty"] = "Discovery",
        ["rating"] = "Quality",
        ["popularity"] = "Popular here",
        ["collaborative"] = "People like you",
        ["diversity"] = "Variety",
        ["picksPerUser"] = "Number of picks",
        ["genres"] = "Genres",
    };

    public const int MaxPicks = 200;

    public static (UserTuning Result, Dictionary<string, string> Errors) Apply(UserTuning current, ScoringWeights adminWeights, UserTuningPatch patch)
    {
        var errors = new Dictionary<string, string>();
        void Range(double? value, string field, double max)
        {
            if (value is { } v && (double.IsNaN(v) || v < 0 || v > max))
            {
                errors[field] = string.Create(CultureInfo.InvariantCulture, $"{Labels[field]} must be between 0 and {max}.");
            }
        }
        Range(patch.Similarity, "similarity", 10);
        Range(patch.Novelty, "novelty", 10);
        Range(patch.Rating, "rating", 10);
        Range(patch.Popularity, "popularity", 10);
        Range(patch.Collaborative, "collaborative", 10);
        Range(patch.Diversity, "diversity", 1);
        if (patch.PicksPerUser is { } n && n is < 1 or > MaxPicks)
        {
            errors["picksPerUser"] = string.Create(CultureInfo.InvariantCulture, $"{Labels["picksPerUser"]} must be between 1 and {MaxPicks}.");
        }
        var genres = new Dictionary<string, GenreLean>(current.Genres, StringComparer.OrdinalIgnoreCase);
        foreach (var (genre, lean) in patch.Genres ?? [])
        {
            if (string.IsNullOrWhiteSpace(genre) || genre.Length > 100)
            {
                errors["genres"] = $"{Labels["genres"]}: a genre name must be 1 to 100 characters.";
                continue;
            }
            switch (lean?.Trim().ToLowerInvariant())
            {
                case null or "" or "normal":
                    genres.Remove(genre);
                    break;
                case "more":
                    genres[genre] = GenreLean.More;
                    break;
                case "less":
                    genres[genre] = GenreLean.Less;
                    break;
                case "never":
                    genres[genre] = GenreLean.Never;
                    break;
                default:
                    errors["genres"] = $"{Labels["genres"]}: '{genre}' must be more, less, never or normal.";
                    break;
            }
        }
        var w = current.Weights ?? adminWeights;
        var touched = patch.Similarity ?? patch.Novelty ?? patch.Rating ?? patch.Popularity ?? patch.Collaborative ?? patch.Diversity;
        ScoringWeights? weights = patch.UseAdminWeights == true ? null
            : touched is null ? current.Weights
            : new ScoringWeights(patch.Similarity ?? w.Similarity, patch.Novelty ?? w.Novelty, patch.Rating ?? w.Rating,
                patch.Popularity ?? w.Popularity, patch.Collaborative ?? w.Collaborative, patch.Diversity ?? w.Diversity);
        if (errors.Count == 0 && weights is not null && weights.Similarity + weights.Novelty + weights.Rating + weights.Popularity + weights.Collaborative <= 0)
        {
            errors["similarity"] = "At least one of Taste match, Discovery, Quality, Popular here and People like you must be above 0.";
        }
        var result = current with
        {
            // Sliders left where the admin set them stay "the admin's": a later change of the defaults then reaches this user too.
            Weights = weights == adminWeights ? null : weights,
            PicksPerUser = patch.PicksPerUser ?? current.PicksPerUser,
            IncludeStarted = patch.IncludeStarted ?? current.IncludeStarted,
            Genres = genres,
        };
        return (result, errors);
    }
}
