using Aperture.Browse;
using Aperture.Data;
using Aperture.TopPicks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.TopPicks;

// Top Picks: what this server's users watched most lately, the same list for everyone.
public sealed class IndexModel(TopPicksService topPicks, Catalog.LibraryService libraries) : PageModel
{
    public MediaKind Kind { get; private set; }
    public TopPicksList List { get; private set; } = null!;
    public IReadOnlyList<MediaKind> Kinds { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? kind, CancellationToken ct)
    {
        Kinds = await libraries.KindsAsync(ct);
        if (MediaKinds.Parse(kind ?? Kinds[0].Slug()) is not { } parsed)
        {
            return NotFound();
        }
        if (!Kinds.Contains(parsed))
        {
            return Redirect($"/top-picks/{Kinds[0].Slug()}");
        }
        Kind = parsed;
        List = await topPicks.ListAsync(parsed, ct);
        return Page();
    }
}
