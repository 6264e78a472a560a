using Aperture.Auth;
using Aperture.Browse;
using Aperture.Data;
using Aperture.Recommendations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.Picks;

// One pick: why it is there (insight bars, matched genres, the watched titles that led to it, the explanation).
public sealed class PickModel(PickQueries picks) : PageModel
{
    public MediaKind Kind { get; private set; }
    public PickInsights Pick { get; private set; } = null!;
    public bool OwnPicks { get; private set; }

    public async Task<IActionResult> OnGetAsync(string kind, long id, string? user, CancellationToken ct)
    {
        if (BrowseKinds.FromSlug(kind) is not { } parsed)
        {
            return NotFound();
        }
        var userId = string.IsNullOrEmpty(user) ? User.UserId() : user;
        if (!User.MayAccessUser(userId))
        {
            return Forbid();
        }
        if (await picks.InsightsAsync(userId, parsed, id, ct) is not { } pick)
        {
            return NotFound();
        }
        Kind = parsed;
        Pick = pick;
        OwnPicks = string.Equals(userId, User.UserId(), StringComparison.OrdinalIgnoreCase);
        return Page();
    }

    public string Query => OwnPicks ? "" : $"?user={Uri.EscapeDataString(Pick.UserId)}";
}
