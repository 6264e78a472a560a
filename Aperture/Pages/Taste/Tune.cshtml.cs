using Aperture.Auth;
using Aperture.Browse;
using Aperture.Data;
using Aperture.Feedback;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Aperture.Recommendations;

namespace Aperture.Pages.Taste;

// My Taste › Tune: the user's own weights, genre leans, "include titles I started" and number of picks, over the admin's
// defaults. The preview re-ranks the current picks with the unsaved values; Save makes the next run use them.
public sealed class TuneModel(TuningService tuning) : PageModel
{
    public MediaKind Kind { get; private set; }
    public TuningView View { get; private set; } = null!;
    public List<PreviewRow> Preview { get; private set; } = [];
    public Dictionary<string, string> Errors { get; private set; } = [];
    public string? Notice { get; private set; }

    public sealed record Slider(string Field, string Label, string Help, double Value, double Admin, double Max);

    public IEnumerable<Slider> Sliders =>
    [
        new("similarity", "Taste match", "How close a title is to what you watch.", View.Weights.Similarity, View.AdminWeights.Similarity, Max(View.Weights.Similarity)),
        new("novelty", "Discovery", "Genres you rarely watch.", View.Weights.Novelty, View.AdminWeights.Novelty, Max(View.Weights.Novelty)),
        new("rating", "Quality", "The community rating.", View.Weights.Rating, View.AdminWeights.Rating, Max(View.Weights.Rating)),
        new("popularity", "Popular here", "What this server watched lately.", View.Weights.Popularity, View.AdminWeights.Popularity, Max(View.Weights.Popularity)),
        new("collaborative", "People like you", "What people with a history like yours watched.", View.Weights.Collaborative, View.AdminWeights.Collaborative, Max(View.Weights.Collaborative)),
        new("diversity", "Variety", "How unlike each other the picks are.", View.Weights.Diversity, View.AdminWeights.Diversity, 1),
    ];

    private static double Max(double value) => Math.Max(1, Math.Ceiling(value));

    public async Task<IActionResult> OnGetAsync(string kind, CancellationToken ct)
    {
        if (MediaKinds.Parse(kind) is not { } k)
        {
            return NotFound();
        }
        Kind = k;
        var stored = await tuning.StoredAsync(User.UserId(), k, ct);
        View = await tuning.ViewAsync(User.UserId(), k, stored, ct);
        Preview = await tuning.PreviewAsync(User.UserId(), k, stored, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostPreviewAsync(string kind, TuneForm form, CancellationToken ct)
    {
        if (MediaKinds.Parse(kind) is not { } k)
        {
            return NotFound();
        }
        Kind = k;
        var (result, errors) = await tuning.ApplyAsync(User.UserId(), k, form.ToPatch(), ct);
        Errors = errors;
        View = await tuning.ViewAsync(User.UserId(), k, result, ct);
        Preview = errors.Count == 0 ? await tuning.PreviewAsync(User.UserId(), k, result, ct) : [];
        Response.Htmx(h => h.WithVary());
        return Partial("_TunePreview", this);
    }

    public async Task<IActionResult> OnPostSaveAsync(string kind, TuneForm form, CancellationToken ct)
    {
        if (MediaKinds.Parse(kind) is not { } k)
        {
            return NotFound();
        }
        Kind = k;
        var (result, errors) = await tuning.ApplyAsync(User.UserId(), k, form.ToPatch(), ct);
        View = await tuning.ViewAsync(User.UserId(), k, result, ct);
        if (!View.Enabled)
        {
            Errors = new() { ["$"] = "Your admin has switched per-user tuning off on this server." };
        }
        else if (errors.Count > 0)
        {
            Errors = errors;
        }
        else
        {
            await tuning.SaveAsync(User.UserId(), k, result, ct);
            Notice = "Saved: your next picks use these settings.";
        }
        Preview = Errors.Count == 0 ? await tuning.PreviewAsync(User.UserId(), k, result, ct) : [];
        return Page();
    }

    public sealed class TuneForm
    {
        public double? Similarity { get; set; }
        public double? Novelty { get; set; }
        public double? Rating { get; set; }
        public double? Popularity { get; set; }
        public double? Collaborative { get; set; }
        public double? Diversity { get; set; }
        public int? PicksPerUser { get; set; }
        public bool IncludeStarted { get; set; }
        public bool UseAdminWeights { get; set; }
        public Dictionary<string, string?> Genres { get; set; } = [];

        public UserTuningPatch ToPatch() => UseAdminWeights
            ? new UserTuningPatch(null, null, null, null, null, null, PicksPerUser, IncludeStarted, Genres, UseAdminWeights: true)
            : new UserTuningPatch(Similarity, Novelty, Rating, Popularity, Collaborative, Diversity, PicksPerUser, IncludeStarted, Genres);
    }
}
