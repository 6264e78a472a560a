using Aperture.Api;
using Aperture.Data;
using Aperture.Feedback;
using Aperture.Recommendations;
using Aperture.Settings;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.Admin.Settings;

// Admin › AI Config: weights and taste settings per kind.
public sealed class RecommendationsModel(RecommendationSettings settings, Catalog.LibraryService libraries, SettingsStore store) : PageModel
{
    // Whether users may tune their own picks (My Taste › Tune); off: every run uses these settings for everyone.
    public bool TuningEnabled { get; private set; } = true;
    public bool TuningSaved { get; private set; }
    public KindRecommendationSettings Movies { get; private set; } = new();
    public KindRecommendationSettings Series { get; private set; } = new();
    public Dictionary<string, string> Errors { get; private set; } = [];
    public string? ErrorKind { get; private set; }
    public string? Saved { get; private set; }
    // What was typed, shown again beside the errors instead of the stored values.
    public RecommendationSettingsPatch? Typed { get; private set; }

    // The labels the form shows, by the field names the settings report errors with, and the server's ranges.
    public static readonly IReadOnlyList<(string Name, string Label, string Help, string Step, double Min, double Max)> Fields =
    [
        ("PicksPerUser", "Picks per user", "How many picks each user gets (1–500).", "1", 1, 500),
        ("Similarity", "Taste match weight", "Closeness to the user's taste vector (0–10).", "0.01", 0, 10),
        ("Novelty", "Discovery weight", "Genres the user rarely watches (0–10).", "0.01", 0, 10),
        ("Rating", "Quality weight", "Community rating, shrunk when few voted (0–10).", "0.01", 0, 10),
        ("Popularity", "Popular here weight", "How many users of this server watched it (0–10).", "0.01", 0, 10),
        ("Collaborative", "People like you weight", "Watched by users with overlapping histories (0–10).", "0.01", 0, 10),
        ("Diversity", "Variety", "Re-ranking against repeats of the same kind of title (0–1).", "0.01", 0, 1),
        ("HalfLifeDays", "Recency half-life (days)", "A watch this old counts half, never below a quarter (1–3650).", "1", 1, 3650),
        ("FavoriteBoost", "Favourite boost", "How much more a favourite counts (1–5).", "0.1", 1, 5),
        ("DislikeAtOrBelow", "Dislike at or below", "A user rating at or below this (0–10) pulls the taste away; empty: never.", "0.5", 0, 10),
        ("MinCollaborativeUsers", "Users needed for co-watch", "Below this many users with history (2–10000), co-watch and popularity stay off.", "1", 2, 10000),
    ];

    // Every field's internal name in a message becomes the label the admin sees ("novelty" → "Discovery weight").
    public static string Labelled(string message)
    {
        foreach (var f in Fields.OrderByDescending(f => f.Name.Length))
        {
            var name = char.ToLowerInvariant(f.Name[0]) + f.Name[1..];
            message = System.Text.RegularExpressions.Regex.Replace(message, $@"\b{name}\b", f.Label);
        }
        return message.Length > 0 ? char.ToUpperInvariant(message[0]) + message[1..] : message;
    }

    // Only the kinds the server has: no Series form on a server without a TV library.
    public IReadOnlyList<MediaKind> Kinds { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Kinds = await libraries.KindsAsync(ct);
        Movies = await settings.GetForEditAsync(MediaKind.Movie, ct);
        Series = await settings.GetForEditAsync(MediaKind.Series, ct);
        TuningEnabled = await FeedbackInputs.TuningEnabledAsync(store, ct);
    }

    // The per-server tuning switch; the unchecked box posts the hidden "false" only.
    public async Task<IActionResult> OnPostTuningAsync(bool enabled, CancellationToken ct)
    {
        await FeedbackInputs.SetTuningEnabledAsync(store, enabled, ct);
        TuningSaved = true;
        await OnGetAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string kind, RecommendationSettingsPatch input, CancellationToken ct)
    {
        if (MediaKinds.Parse(kind) is not { } k)
        {
            return NotFound();
        }
        var (result, errors) = RecommendationSettings.Apply(await settings.GetForEditAsync(k, ct), input with { ClearDislike = input.DislikeAtOrBelow is null });
        foreach (var (key, entry) in ModelState)
        {
            // A number the binder could not read ("abc") is reported, not silently kept.
            if (entry.Errors.Count > 0)
            {
                var name = key.Replace("input.", "", StringComparison.Ordinal);
                errors[name] = $"{Fields.FirstOrDefault(f => f.Name == name).Label ?? name} must be a number.";
            }
        }
        if (errors.Count == 0)
        {
            await settings.SaveAsync(k, result, ct);
            Saved = k.Slug();
        }
        else
        {
            Errors = errors.ToDictionary(e => e.Key, e => Labelled(e.Value), StringComparer.OrdinalIgnoreCase);
            ErrorKind = k.Slug();
            Typed = input;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        await OnGetAsync(ct);
        return Page();
    }

    // "Restore defaults": the kind's stored settings go, so it follows the defaults (and better ones in later versions).
    public async Task<IActionResult> OnPostDefaultsAsync(string kind, CancellationToken ct)
    {
        if (MediaKinds.Parse(kind) is not { } k)
        {
            return NotFound();
        }
        await settings.SaveAsync(k, new KindRecommendationSettings(), ct);
        Saved = k.Slug();
        await OnGetAsync(ct);
        return Page();
    }

    public static RecommendationSettingsPatch Defaults(KindRecommendationSettings s) => new(s.PicksPerUser, s.Weights.Similarity, s.Weights.Novelty,
        s.Weights.Rating, s.Weights.Popularity, s.Weights.Collaborative, s.Weights.Diversity, s.HalfLifeDays, s.FavoriteBoost, s.DislikeAtOrBelow, null,
        s.UseCollaborative, s.MinCollaborativeUsers);
}
