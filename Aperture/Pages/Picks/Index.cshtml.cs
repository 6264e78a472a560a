using Aperture.Auth;
using Aperture.Browse;
using Aperture.Data;
using Aperture.Recommendations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.Picks;

// My Picks: the signed-in user's ranked picks per kind; an admin may open anyone's with ?user=.
public sealed class IndexModel(PickQueries picks) : PageModel
{
    public MediaKind Kind { get; private set; }
    public PickList List { get; private set; } = null!;
    public bool OwnPicks { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? kind, string? user, CancellationToken ct)
    {
        if (BrowseKinds.FromSlug(kind ?? "movies") is not { } parsed)
        {
            return NotFound();
        }
        var userId = string.IsNullOrEmpty(user) ? User.UserId() : user;
        if (!User.MayAccessUser(userId))
        {
            return Forbid();
        }
        if (await picks.ListAsync(userId, parsed, ct) is not { } list)
        {
            return NotFound();
        }
        Kind = parsed;
        List = list;
        OwnPicks = string.Equals(userId, User.UserId(), StringComparison.OrdinalIgnoreCase);
        return Page();
    }

    public string Query => OwnPicks ? "" : $"?user={Uri.EscapeDataString(List.UserId)}";
}
