using Aperture.Auth;
using Aperture.Browse;
using Aperture.Data;
using Aperture.Embeddings;
using Aperture.Feedback;
using Aperture.Pages.Feedback;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.Browse;

// One movie or series with the signed-in user's own watch state.
public sealed class TitleModel(CatalogBrowser browser, SimilarTitles similar, FeedbackService feedback) : PageModel
{
    public MediaKind Kind { get; private set; }
    public TitleDetails Title { get; private set; } = null!;
    public FeedbackBar? Bar { get; private set; }

    public async Task<IActionResult> OnGetAsync(string kind, long id, CancellationToken ct)
    {
        if (MediaKinds.Parse(kind) is not { } parsed || await browser.GetAsync(parsed, id, User.UserId(), ct) is not { } title)
        {
            return NotFound();
        }
        Kind = parsed;
        Title = title;
        Bar = (await Feedback.IndexModel.BarsAsync(feedback, User.UserId(), parsed, [id], _ => null, ct))[id];
        return Page();
    }

    // "More like this", loaded by htmx after the page so the vector search never delays it.
    public async Task<IActionResult> OnGetSimilarAsync(string kind, long id, CancellationToken ct)
    {
        if (MediaKinds.Parse(kind) is not { } parsed || await similar.ForAsync(parsed, id, 12, ct) is not { } titles)
        {
            return NotFound();
        }
        Kind = parsed;
        return Partial("_Similar", (Kind: parsed, Titles: titles));
    }

    public static string Runtime(int minutes) => minutes < 60 ? $"{minutes} min" : $"{minutes / 60} h {minutes % 60:00} min";
}
