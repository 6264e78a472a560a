using Aperture.Auth;
using Aperture.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Api;

public static class AuthApi
{
    public sealed record LoginRequest(string? Username, string? Password);

    public sealed record MeResponse(string Id, string Name, bool IsAdmin);

    public static void MapAuthApi(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth");

        auth.MapPost("/login", async (HttpContext http, LoginService login, CancellationToken ct) =>
        {
            var (body, error) = await ApiJson.ReadAsync<LoginRequest>(http.Request, ct);
            if (error is not null)
            {
                return error;
            }
            if (string.IsNullOrWhiteSpace(body!.Username))
            {
                return ApiJson.Invalid("username", "Enter your media server user name.");
            }
            var result = await login.LoginAsync(body.Username, body.Password, http.Connection.RemoteIpAddress, ct);
            switch (result.Status)
            {
                case LoginStatus.Success:
                    await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, result.Principal!);
                    return Results.Ok(new MeResponse(result.User!.Id, result.User.Name, result.User.IsAdmin));
                case LoginStatus.InvalidCredentials:
                    return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: result.Error);
                case LoginStatus.Throttled:
                    http.Response.Headers.RetryAfter = ((int)result.RetryAfter!.Value.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: result.Error);
                default:
                    return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: result.Error);
            }
        }).AllowAnonymous();

        // The session row goes first, so the cookie is dead on every instance even if the browser keeps it.
        auth.MapPost("/logout", async (HttpContext http, SessionStore sessions, CancellationToken ct) =>
        {
            if (SessionStore.SessionId(http.User) is { } sessionId)
            {
                await sessions.RevokeAsync(sessionId, ct);
            }
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.NoContent();
        });

        // "Sign out everywhere": every session of the signed-in user, this one included.
        auth.MapPost("/sessions/revoke-all", async (HttpContext http, SessionStore sessions, CancellationToken ct) =>
        {
            var ended = await sessions.RevokeAllAsync(http.User.UserId(), ct);
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Ok(new { ended });
        });

        auth.MapGet("/me", async (HttpContext http, AppDbContext db, CancellationToken ct) =>
        {
            var id = http.User.UserId();
            var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
            return user is null ? Results.Unauthorized() : Results.Ok(new MeResponse(user.Id, user.Name, user.IsAdmin));
        });
    }
}
