using Aperture.Auth;
using Aperture.Browse;
using Aperture.Data;
using Aperture.Web;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.Browse;

// Browse › Movies and Browse › Series: one page, the kind comes from the address.
public sealed class IndexModel(CatalogBrowser browser, Catalog.LibraryService libraries) : PageModel
{
    public MediaKind Kind { get; private set; }
    public BrowseQuery Query { get; private set; } = new();
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();
    public BrowsePage Results { get; private set; } = new([], 0, 1, BrowseQuery.DefaultPageSize);
    public IReadOnlyList<GenreCount> Genres { get; private set; } = [];
    public IReadOnlyList<MediaKind> Kinds { get; private set; } = [];

    // True when nothing of this kind has been synced at all (as opposed to filters matching nothing).
    public bool CatalogEmpty { get; private set; }

    public string Path => "/browse/" + Kind.Slug();

    // The values as typed, so a rejected value stays in the form for the user to fix.
    public string? Typed(string name) => Request.Query.TryGetValue(name, out var v) ? v.ToString() : null;

    public async Task<IActionResult> OnGetAsync(string? kind, CancellationToken ct)
    {
        Kinds = await libraries.KindsAsync(ct);
        if (kind is null)
        {
            return Redirect($"/browse/{Kinds[0].Slug()}");
        }
        if (MediaKinds.Parse(kind) is not { } parsed)
        {
            return NotFound();
        }
        if (!Kinds.Contains(parsed))
        {
            // No library of this kind on the server: no tab leads here, and "no series synced yet" would be a false lead.
            return Redirect($"/browse/{Kinds[0].Slug()}");
        }
        Kind = parsed;
        (Query, var errors) = BrowseQueryParser.Parse(Request.Query);
        Errors = errors;
        Results = await browser.SearchAsync(Kind, Query, User.UserId(), ct);
        CatalogEmpty = Results.Total == 0 && !await browser.AnyAsync(Kind, ct);

        if (Request.IsHtmx() && !Request.IsHtmxHistoryRestoreRequest())
        {
            // The address bar follows the filters, so a refresh or a shared link shows the same grid.
            Response.Htmx(h => h.WithVary().PushUrl(Query.Url(Path)));
            return Partial("_Results", this);
        }
        Genres = await browser.GenresAsync(Kind, ct);
        return Page();
    }
}
