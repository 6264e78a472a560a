using System.Security.Claims;
using Aperture.Auth;
using Aperture.MediaServers;
using Aperture.Pages.Shared;
using Htmx;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.Setup;

// First run: only someone who can read this instance's log (the setup code) may connect a server.
public sealed class IndexModel(MediaServerSettings settings, SetupState setup, ILogger<IndexModel> logger) : PageModel
{
    [BindProperty] public MediaServerForm Form { get; set; } = new();

    public bool CodeAccepted { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if ((await settings.GetAsync(ct)).IsConfigured)
        {
            return Redirect("/login");
        }
        CodeAccepted = await HasSetupCookieAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostCodeAsync(string? code, CancellationToken ct)
    {
        if ((await settings.GetAsync(ct)).IsConfigured)
        {
            return Redirect("/login");
        }
        if (!setup.CheckCode(code))
        {
            logger.LogWarning("A wrong setup code was entered from {Address}", HttpContext.Connection.RemoteIpAddress);
            Error = "That is not the setup code. It is printed in Aperture's log at start-up, like: Setup code: ABCD-EFGH.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await HttpContext.SignInAsync(AuthExtensions.SetupScheme,
            new ClaimsPrincipal(new ClaimsIdentity([new Claim("setup", "1")], AuthExtensions.SetupScheme)));
        return Redirect("/setup");
    }

    public async Task<IActionResult> OnPostTestAsync(CancellationToken ct)
    {
        if (!await HasSetupCookieAsync() || (await settings.GetAsync(ct)).IsConfigured)
        {
            return Forbid(AuthExtensions.SetupScheme);
        }
        var result = await settings.TestAsync(Form.ToInput(), ct);
        return Partial("_ConnectionTest", result);
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        var current = await settings.GetAsync(ct);
        if (current.IsConfigured)
        {
            return Redirect("/login");
        }
        if (!await HasSetupCookieAsync())
        {
            return Redirect("/setup");
        }
        CodeAccepted = true;
        var input = Form.ToInput();
        Form.Errors = MediaServerSettings.Validate(input, requireComplete: true, current);
        if (Form.Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        // Setup saves only a server that answers: otherwise nobody could sign in to fix it.
        var test = await settings.TestAsync(input, ct);
        if (!test.Ok)
        {
            Error = test.Error;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await settings.SaveAsync(input, test.Facts, ct);
        await HttpContext.SignOutAsync(AuthExtensions.SetupScheme);
        logger.LogInformation("Setup complete: connected to {Product} {Version} ({Name})", test.Facts!.Product, test.Facts.Version, test.Facts.ServerName);
        return Redirect("/login?connected=1");
    }

    private async Task<bool> HasSetupCookieAsync() =>
        (await HttpContext.AuthenticateAsync(AuthExtensions.SetupScheme)).Succeeded;
}
