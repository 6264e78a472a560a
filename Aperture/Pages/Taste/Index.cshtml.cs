using Aperture.Auth;
using Aperture.Browse;
using Aperture.Data;
using Aperture.Feedback;
using Aperture.Recommendations;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.Taste;

// My Taste: the synopsis (with Regenerate), which genres match, recent history. Admins may open anyone's.
public sealed class IndexModel(TasteService tastes, Catalog.LibraryService libraries, FeedbackService feedback) : PageModel
{
    public MediaKind Kind { get; private set; }
    public TasteProfileView Taste { get; private set; } = null!;
    public bool Own { get; private set; }
    public IReadOnlyList<MediaKind> Kinds { get; private set; } = [];
    // Your feedback (own page only): every 👍, 👎, "not interested" and rating of this kind, each undoable.
    public List<FeedbackView> Feedback { get; private set; } = [];
    public bool FavoriteWriteBack { get; private set; }
    public string? FeedbackNotice { get; private set; }

    public async Task<IActionResult> OnPostUndoAsync(string? kind, long titleId, CancellationToken ct)
    {
        if (MediaKinds.Parse(kind ?? "movies") is not { } parsed)
        {
            return NotFound();
        }
        var undone = await feedback.UndoAsync(User.UserId(), parsed, titleId, ct);
        FeedbackNotice = undone ? "Undone: that title can come back at the next run." : "There was nothing to undo.";
        return await FeedbackFragmentAsync(kind, ct);
    }

    public async Task<IActionResult> OnPostWriteBackAsync(string? kind, bool favoriteWriteBack, CancellationToken ct)
    {
        await feedback.SetWriteBackAsync(User.UserId(), favoriteWriteBack, ct);
        FeedbackNotice = favoriteWriteBack ? "From now on a 👍 also marks the title as a favourite on your media server." : "A 👍 stays in Aperture.";
        return await FeedbackFragmentAsync(kind, ct);
    }

    private async Task<IActionResult> FeedbackFragmentAsync(string? kind, CancellationToken ct)
    {
        var result = await LoadAsync(kind, null, regenerate: false, ct);
        if (result is PageResult && Request.IsHtmx())
        {
            Response.Htmx(h => h.WithVary());
            return Partial("_FeedbackList", this);
        }
        return result is PageResult ? RedirectToPage(new { kind }) : result;
    }

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
        if (MediaKinds.Parse(kind ?? Kinds[0].Slug()) is not { } parsed)
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
        if (Own)
        {
            Feedback = await feedback.ListAsync(userId, parsed, ct);
            FavoriteWriteBack = await feedback.WriteBackAllowedAsync(userId, ct);
        }
        return Page();
    }

    public string Query => Own ? "" : $"?user={Uri.EscapeDataString(Taste.UserId)}";
}
