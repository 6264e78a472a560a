using Aperture.Browse;
using Aperture.Data;
using Aperture.TopPicks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.TopPicks;

// Top Picks: what this server's users watched most lately, the same list for everyone.
public sealed class IndexModel(TopPicksService topPicks) : PageModel
{
    public MediaKind Kind { get; private set; }
    public TopPicksList List { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string? kind, CancellationToken ct)
    {
        if (BrowseKinds.FromSlug(kind ?? "movies") is not { } parsed)
        {
            return NotFound();
        }
        Kind = parsed;
        List = await topPicks.ListAsync(parsed, ct);
        return Page();
    }
}
