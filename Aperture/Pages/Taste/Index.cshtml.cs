using Aperture.Auth;
using Aperture.Browse;
using Aperture.Data;
using Aperture.Recommendations;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.Taste;

// My Taste: the synopsis (with Regenerate), which genres match, recent history. Admins may open anyone's.
public sealed class IndexModel(TasteService tastes, Catalog.LibraryService libraries) : PageModel
{
    public MediaKind Kind { get; private set; }
    public TasteProfileView Taste { get; private set; } = null!;
    public bool Own { get; private set; }
    public IReadOnlyList<MediaKind> Kinds { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? kind, string? user, CancellationToken ct) =>
        await LoadAsync(kind, user, regenerate: false, ct);

    public async Task<IActionResult> OnPostRegenerateAsync(string? kind, string? user, CancellationToken ct)
    {
        var result = await LoadAsync(kind, user, regenerate: true, ct);
        if (result is PageResult && Request.IsHtmx())
        {
            Response.Htmx(h => h.WithVary());
            return Partial("_Synopsis", this);
        }
        return result is PageResult ? RedirectToPage(new { kind, user }) : result;
    }

    private async Task<IActionResult> LoadAsync(string? kind, string? user, bool regenerate, CancellationToken ct)
    {
        Kinds = await libraries.KindsAsync(ct);
        if (BrowseKinds.FromSlug(kind ?? Kinds[0].Slug()) is not { } parsed)
        {
            return NotFound();
        }
        if (!Kinds.Contains(parsed))
        {
            return Redirect($"/taste/{Kinds[0].Slug()}{(string.IsNullOrEmpty(user) ? "" : $"?user={Uri.EscapeDataString(user)}")}");
        }
        var userId = string.IsNullOrEmpty(user) ? User.UserId() : user;
        if (!User.MayAccessUser(userId))
        {
            return Forbid();
        }
        var view = regenerate ? await tastes.RegenerateAsync(userId, parsed, ct) : await tastes.GetAsync(userId, parsed, ct);
        if (view is null)
        {
            return NotFound();
        }
        Kind = parsed;
        Taste = view;
        Own = string.Equals(userId, User.UserId(), StringComparison.OrdinalIgnoreCase);
        return Page();
    }

    public string Query => Own ? "" : $"?user={Uri.EscapeDataString(Taste.UserId)}";
}
