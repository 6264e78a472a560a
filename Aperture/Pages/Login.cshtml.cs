using Aperture.Auth;
using Aperture.MediaServers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages;

public sealed class LoginModel(LoginService login, MediaServerSettings settings) : PageModel
{
    [BindProperty] public string? Username { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }
    public string? Notice { get; private set; }
    public string ServerLabel { get; private set; } = "Jellyfin or Emby";

    public async Task<IActionResult> OnGetAsync(string? connected, CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            return LocalRedirect(SafeReturnUrl());
        }
        await LoadLabelAsync(ct);
        if (connected is not null)
        {
            Notice = $"Aperture is connected to {ServerLabel}. Sign in with an administrator account of that server.";
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await login.LoginAsync(Username, Password, HttpContext.Connection.RemoteIpAddress, ct);
        if (result.Status == LoginStatus.Success)
        {
            await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, result.Principal!);
            return LocalRedirect(SafeReturnUrl());
        }
        await LoadLabelAsync(ct);
        Error = result.Error;
        Password = null;
        Response.StatusCode = result.Status switch
        {
            LoginStatus.InvalidCredentials => StatusCodes.Status401Unauthorized,
            LoginStatus.Throttled => StatusCodes.Status429TooManyRequests,
            _ => StatusCodes.Status503ServiceUnavailable,
        };
        if (result.RetryAfter is { } wait)
        {
            Response.Headers.RetryAfter = ((int)wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return Page();
    }

    private string SafeReturnUrl() => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";

    private async Task LoadLabelAsync(CancellationToken ct)
    {
        var config = await settings.GetAsync(ct);
        if (config.Detected is { } facts)
        {
            ServerLabel = $"{facts.Type} ({facts.ServerName})";
        }
    }
}
