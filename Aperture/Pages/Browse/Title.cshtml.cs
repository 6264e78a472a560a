using Aperture.Auth;
using Aperture.Browse;
using Aperture.Data;
using Aperture.Embeddings;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.Browse;

// One movie or series with the signed-in user's own watch state.
public sealed class TitleModel(CatalogBrowser browser, SimilarTitles similar) : PageModel
{
    public MediaKind Kind { get; private set; }
    public TitleDetails Title { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string kind, long id, CancellationToken ct)
    {
        if (BrowseKinds.FromSlug(kind) is not { } parsed || await browser.GetAsync(parsed, id, User.UserId(), ct) is not { } title)
        {
            return NotFound();
        }
        Kind = parsed;
        Title = title;
        return Page();
    }

    // "More like this", loaded by htmx after the page so the vector search never delays it.
    public async Task<IActionResult> OnGetSimilarAsync(string kind, long id, CancellationToken ct)
    {
        if (BrowseKinds.FromSlug(kind) is not { } parsed || await similar.ForAsync(parsed, id, 12, ct) is not { } titles)
        {
            return NotFound();
        }
        Kind = parsed;
        return Partial("_Similar", (Kind: parsed, Titles: titles));
    }

    public static string Runtime(int minutes) => minutes < 60 ? $"{minutes} min" : $"{minutes / 60} h {minutes % 60:00} min";
}
