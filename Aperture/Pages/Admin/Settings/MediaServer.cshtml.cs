using Aperture.MediaServers;
using Aperture.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.Admin.Settings;

public sealed class MediaServerModel(MediaServerSettings settings) : PageModel
{
    [BindProperty] public MediaServerForm Form { get; set; } = new();

    public MediaServerConfig Config { get; private set; } = null!;
    public bool Saved { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(bool saved, CancellationToken ct)
    {
        Config = await settings.GetAsync(ct);
        Form = new MediaServerForm { Type = Config.Type, BaseUrl = Config.BaseUrl, PublicUrl = Config.PublicUrl, ApiKeySet = Config.HasApiKey };
        Saved = saved;
    }

    // The saved address and key, tested now (the page loads this after rendering).
    public async Task<IActionResult> OnGetStateAsync(CancellationToken ct) =>
        Partial("_SavedServerState", (await settings.GetAsync(ct)).BaseUrl is null ? null : await settings.TestAsync(new MediaServerConfigInput(null, null, null), ct));

    public async Task<IActionResult> OnPostTestAsync(CancellationToken ct) =>
        Partial("_ConnectionTest", await settings.TestAsync(Form.ToInput(), ct));

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Config = await settings.GetAsync(ct);
        Form.ApiKeySet = Config.HasApiKey;
        var input = Form.ToInput();
        Form.Errors = MediaServerSettings.Validate(input, requireComplete: true, Config);
        if (Form.Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        // A server that does not answer is still saved (it may be rebooting); the page says so.
        var test = await settings.TestAsync(input, ct);
        await settings.SaveAsync(input, test.Ok ? test.Facts : null, ct);
        if (!test.Ok)
        {
            Config = await settings.GetAsync(ct);
            Error = $"Saved, but the server did not answer the test: {test.Error}";
            Form.ApiKey = null;
            Form.ApiKeySet = Config.HasApiKey;
            return Page();
        }
        return Redirect("/admin/settings/media-server?saved=true");
    }
}
