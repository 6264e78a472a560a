using Aperture.Api;
using Aperture.Data;
using Aperture.TopPicks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.Admin;

// Admin › Top Picks: the settings per kind, and the current lists with their figures.
public sealed class TopPicksModel(TopPicksSettings settings, TopPicksService topPicks, Catalog.LibraryService libraries) : PageModel
{
    public Dictionary<MediaKind, KindTopPicksSettings> Settings { get; } = [];
    public Dictionary<MediaKind, TopPicksList> Lists { get; } = [];
    // Only the kinds the server has: no Series Top Picks form on a server without a TV library.
    public IReadOnlyList<MediaKind> Kinds { get; private set; } = [];
    public Dictionary<string, string> Errors { get; private set; } = [];
    public MediaKind? ErrorKind { get; private set; }
    public MediaKind? Saved { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Kinds = await libraries.KindsAsync(ct);
        foreach (var kind in Enum.GetValues<MediaKind>())
        {
            Settings[kind] = await settings.GetForEditAsync(kind, ct);
            Lists[kind] = await topPicks.ListAsync(kind, ct);
        }
    }

    public async Task<IActionResult> OnPostAsync(string kind, TopPicksSettingsPatch input, CancellationToken ct)
    {
        if (MediaKinds.Parse(kind) is not { } k)
        {
            return NotFound();
        }
        // An empty name box means the default name.
        var (result, errors) = await settings.ApplyAsync(k, input with { LibraryName = input.LibraryName ?? "" }, ct);
        foreach (var (key, entry) in ModelState)
        {
            // A number the binder could not read ("abc") is reported, not silently kept.
            if (entry.Errors.Count > 0)
            {
                var field = FieldName(key.Replace("input.", "", StringComparison.Ordinal));
                errors[field] = $"{field} must be a number.";
            }
        }
        if (errors.Count == 0)
        {
            await settings.SaveAsync(k, result, ct);
            Saved = k;
        }
        else
        {
            Errors = errors;
            ErrorKind = k;
        }
        await OnGetAsync(ct);
        return Page();
    }

    // "Weights.UniqueViewers" → "weights.uniqueViewers", the API's field names.
    public static string FieldName(string path) =>
        string.Join('.', path.Split('.').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));

    public bool Invalid(MediaKind kind, string field) => ErrorKind == kind && Errors.ContainsKey(field);
}
