using Aperture.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages;

[AllowAnonymous]
public sealed class LogoutModel(SessionStore sessions) : PageModel
{
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (SessionStore.SessionId(User) is { } sessionId)
        {
            await sessions.RevokeAsync(sessionId, ct);
        }
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/login");
    }

    // "Sign out everywhere": every browser of this user, this one included.
    public async Task<IActionResult> OnPostEverywhereAsync(CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            await sessions.RevokeAllAsync(User.UserId(), ct);
        }
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/login");
    }
}
