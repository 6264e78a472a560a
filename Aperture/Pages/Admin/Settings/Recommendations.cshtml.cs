using Aperture.Api;
using Aperture.Data;
using Aperture.Recommendations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.Admin.Settings;

// Admin › AI Config: weights and taste settings per kind.
public sealed class RecommendationsModel(RecommendationSettings settings) : PageModel
{
    public KindRecommendationSettings Movies { get; private set; } = new();
    public KindRecommendationSettings Series { get; private set; } = new();
    public Dictionary<string, string> Errors { get; private set; } = [];
    public string? ErrorKind { get; private set; }
    public string? Saved { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Movies = await settings.GetForEditAsync(MediaKind.Movie, ct);
        Series = await settings.GetForEditAsync(MediaKind.Series, ct);
    }

    public async Task<IActionResult> OnPostAsync(string kind, RecommendationSettingsPatch input, CancellationToken ct)
    {
        if (RecommendationsApi.ParseKind(kind) is not { } k)
        {
            return NotFound();
        }
        var (result, errors) = RecommendationSettings.Apply(await settings.GetForEditAsync(k, ct), input with { ClearDislike = input.DislikeAtOrBelow is null });
        foreach (var (key, entry) in ModelState)
        {
            // A number the binder could not read ("abc") is reported, not silently kept.
            if (entry.Errors.Count > 0)
            {
                errors[key.Replace("input.", "", StringComparison.Ordinal)] = $"{key.Replace("input.", "", StringComparison.Ordinal)} must be a number.";
            }
        }
        if (errors.Count == 0)
        {
            await settings.SaveAsync(k, result, ct);
            Saved = k.Slug();
        }
        else
        {
            Errors = errors;
            ErrorKind = k.Slug();
        }
        await OnGetAsync(ct);
        return Page();
    }

    public static RecommendationSettingsPatch Defaults(KindRecommendationSettings s) => new(s.PicksPerUser, s.Weights.Similarity, s.Weights.Novelty,
        s.Weights.Rating, s.Weights.Popularity, s.Weights.Collaborative, s.Weights.Diversity, s.HalfLifeDays, s.FavoriteBoost, s.DislikeAtOrBelow, null,
        s.UseCollaborative, s.MinCollaborativeUsers);
}
