using Aperture.Auth;
using Aperture.Browse;
using Aperture.Data;
using Aperture.Feedback;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.Feedback;

// The feedback buttons' endpoint, for the signed-in user's own feedback only (antiforgery as every POST: the token rides on
// htmx's header). A 👎 in a list answers with the list item's replacement, so the title is gone from the page at once.
public sealed class IndexModel(FeedbackService feedback) : PageModel
{
    // Feedback is only ever posted (buttons over htmx); someone who opens the address lands on their feedback list.
    public IActionResult OnGet() => Redirect("/taste");

    public async Task<IActionResult> OnPostSetAsync(string? kind, long titleId, string? reaction, string? reason, int? rating, string? removeId,
        CancellationToken ct)
    {
        if (MediaKinds.Parse(kind ?? "") is not { } k)
        {
            return BadRequest(MediaKinds.NotAKind(kind));
        }
        var (change, errors) = FeedbackService.Parse(new FeedbackInput(reaction, reason, rating));
        var safeRemove = FeedbackBar.SafeRemoveId(removeId);
        if (change is null)
        {
            var bar = await BarAsync(k, titleId, safeRemove, ct);
            return Fragment("_Feedback", bar with { Message = string.Join(" ", errors.Values) });
        }
        if (await feedback.SetAsync(User.UserId(), k, titleId, change, ct) is not { } view)
        {
            return NotFound();
        }
        var result = new FeedbackBar(k.Slug(), titleId, view.Reaction, view.Reason, view.Rating, safeRemove, view.WriteBack);
        Response.Htmx(h => h.WithTrigger("feedbackChanged"));
        return view.Removed && safeRemove is not null ? Fragment("_FeedbackRemoved", result) : Fragment("_Feedback", result);
    }

    public async Task<IActionResult> OnPostUndoAsync(string? kind, long titleId, string? removeId, CancellationToken ct)
    {
        if (MediaKinds.Parse(kind ?? "") is not { } k)
        {
            return BadRequest(MediaKinds.NotAKind(kind));
        }
        await feedback.UndoAsync(User.UserId(), k, titleId, ct);
        Response.Htmx(h => h.WithTrigger("feedbackChanged"));
        var safeRemove = FeedbackBar.SafeRemoveId(removeId);
        var bar = new FeedbackBar(k.Slug(), titleId, null, null, null, safeRemove, "Undone: this title can come back at the next run.");
        return safeRemove is not null ? Fragment("_FeedbackRemoved", bar) : Fragment("_Feedback", bar);
    }

    private async Task<FeedbackBar> BarAsync(MediaKind kind, long titleId, string? removeId, CancellationToken ct) =>
        await feedback.GetAsync(User.UserId(), titleId, ct) is { } f
            ? new FeedbackBar(kind.Slug(), titleId, f.Reaction is { } r ? FeedbackService.Word(r) : null, f.Reason is { } why ? FeedbackService.Word(why) : null, f.Rating, removeId)
            : new FeedbackBar(kind.Slug(), titleId, null, null, null, removeId);

    private PartialViewResult Fragment(string name, FeedbackBar model)
    {
        Response.Htmx(h => h.WithVary());
        return Partial(name, model);
    }

    public static async Task<Dictionary<long, FeedbackBar>> BarsAsync(FeedbackService feedback, string userId, MediaKind kind, IEnumerable<long> titleIds,
        Func<long, string?> removeId, CancellationToken ct)
    {
        var given = (await feedback.ListAsync(userId, kind, ct)).ToDictionary(f => f.TitleId);
        return titleIds.Distinct().ToDictionary(id => id, id => given.TryGetValue(id, out var f)
            ? new FeedbackBar(kind.Slug(), id, f.Reaction, f.Reason, f.Rating, removeId(id))
            : new FeedbackBar(kind.Slug(), id, null, null, null, removeId(id)));
    }
}
