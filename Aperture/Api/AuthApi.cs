using System.Security.Claims;
using Aperture.Auth;
using Aperture.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Api;

public static class AuthApi
{
    public sealed record LoginRequest(string? Username, string? Password);

    public sealed record MeResponse(string Id, string Name, bool IsAdmin);

    // How many sessions a revoke ended (this user's own "sign out everywhere", or an admin's for a user).
    public sealed record SessionsEnded(int Ended);

    public static void MapAuthApi(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth");
        auth.MapPost("/login", LoginAsync).AllowAnonymous();
        auth.MapPost("/logout", LogoutAsync);
        auth.MapPost("/sessions/revoke-all", RevokeAllAsync);
        auth.MapGet("/me", MeAsync);
    }

    public static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> LoginAsync(HttpContext http, LoginService login, CancellationToken ct)
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
                return TypedResults.Ok(new MeResponse(result.User!.Id, result.User.Name, result.User.IsAdmin));
            case LoginStatus.InvalidCredentials:
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: result.Error);
            case LoginStatus.Throttled:
                http.Response.Headers.RetryAfter = ((int)result.RetryAfter!.Value.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: result.Error);
            default:
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: result.Error);
        }
    }

    // The session row goes first, so the cookie is dead on every instance even if the browser keeps it.
    public static async Task<NoContent> LogoutAsync(HttpContext http, SessionStore sessions, CancellationToken ct)
    {
        if (SessionStore.SessionId(http.User) is { } sessionId)
        {
            await sessions.RevokeAsync(sessionId, ct);
        }
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    // "Sign out everywhere": every session of the signed-in user, this one included.
    public static async Task<Ok<SessionsEnded>> RevokeAllAsync(HttpContext http, SessionStore sessions, CancellationToken ct)
    {
        var ended = await sessions.RevokeAllAsync(http.User.UserId(), ct);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.Ok(new SessionsEnded(ended));
    }

    public static async Task<Results<Ok<MeResponse>, UnauthorizedHttpResult>> MeAsync(ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var id = user.UserId();
        return await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct) is { } me
            ? TypedResults.Ok(new MeResponse(me.Id, me.Name, me.IsAdmin))
            : TypedResults.Unauthorized();
    }
}
