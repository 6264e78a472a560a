using Aperture.Catalog;
using Aperture.MediaServers;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.Admin.Settings;

// Which of the server's movie and TV libraries Aperture syncs.
public sealed class LibrariesModel(LibraryService libraries) : PageModel
{
    public IReadOnlyList<LibraryView> Libraries { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Libraries = await libraries.ListAsync(ct);

    public async Task<IActionResult> OnPostRefreshAsync(CancellationToken ct)
    {
        try
        {
            var result = await libraries.RefreshAsync(ct);
            Message = result is { Added: 0, Updated: 0, Gone: 0 }
                ? "The list matches the server."
                : $"Read from the server: {result.Added} new, {result.Updated} changed, {result.Gone} gone.";
        }
        catch (MediaServerException e)
        {
            Error = $"The libraries could not be read from the media server: {e.Message}";
        }
        Libraries = await libraries.ListAsync(ct);
        if (Request.IsHtmx())
        {
            Response.Htmx(h => h.WithVary());
            return Partial("_LibraryList", this);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostToggleAsync(string id, bool enabled, CancellationToken ct)
    {
        var library = await libraries.SetEnabledAsync(id, enabled, ct);
        if (library is null)
        {
            return NotFound();
        }
        if (Request.IsHtmx())
        {
            Response.Htmx(h => h.WithVary());
            return Partial("_LibraryRow", library);
        }
        return RedirectToPage();
    }
}
