using System.Security.Claims;
using Aperture.Data;
using Aperture.MediaServers;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Aperture.Wording;

namespace Aperture.Auth;

public enum LoginStatus { Success, InvalidCredentials, Unreachable, NotConfigured, Throttled }

public sealed record LoginResult(LoginStatus Status, ClaimsPrincipal? Principal, AppUser? User, string? Error)
{
    // Throttled: how long to wait (Retry-After).
    public TimeSpan? RetryAfter { get; init; }

    public const string InvalidMessage = "Invalid username or password.";
    public const string UnreachableMessage = "The media server is unreachable right now. Try again in a moment, or ask your admin to check it.";
}

// Users log in with their Jellyfin/Emby account; Aperture keeps no passwords and no user tokens.
public sealed class LoginService(MediaServerSettings settings, MediaServerClientFactory clients, AppDbContext db,
    SessionStore sessions, SessionCache sessionCache, LoginThrottle throttle, TimeProvider time, ILogger<LoginService> logger)
{
    public async Task<LoginResult> LoginAsync(string? username, string? password, System.Net.IPAddress? address, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(username))
        {
            return new LoginResult(LoginStatus.InvalidCredentials, null, null, LoginResult.InvalidMessage);
        }
        if (throttle.RetryAfter(username, address) is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            logger.LogWarning("Login for {User} from {Address} refused for {Seconds} s after repeated wrong passwords",
                LoginThrottle.ForLog(username), address, seconds);
            return new LoginResult(LoginStatus.Throttled, null, null,
                $"Too many wrong passwords. Try again in {Plural.Count(seconds, "second")}.") { RetryAfter = TimeSpan.FromSeconds(seconds) };
        }
        var connection = await settings.GetConnectionAsync(ct);
        if (connection is null)
        {
            return new LoginResult(LoginStatus.NotConfigured, null, null, "Aperture is not connected to a media server yet.");
        }

        AuthenticationResultDto result;
        try
        {
            result = await clients.Create(connection).AuthenticateByNameAsync(username.Trim(), password ?? "", ct);
        }
        catch (MediaServerException e) when (e.Kind is MediaServerErrorKind.Unauthorized or MediaServerErrorKind.Forbidden)
        {
            logger.LogInformation("Login refused by the media server for {User}", LoginThrottle.ForLog(username));
            throttle.Failed(username, address);
            return new LoginResult(LoginStatus.InvalidCredentials, null, null, LoginResult.InvalidMessage);
        }
        catch (MediaServerException e)
        {
            // The detail (addresses, status codes) goes to the log, not to an anonymous visitor.
            logger.LogWarning("Login for {User} failed: {Reason}", LoginThrottle.ForLog(username), e.Message);
            return new LoginResult(LoginStatus.Unreachable, null, null, LoginResult.UnreachableMessage);
        }

        var remote = result.User!;
        if (remote.IsDisabled)
        {
            throttle.Failed(username, address);
            return new LoginResult(LoginStatus.InvalidCredentials, null, null, LoginResult.InvalidMessage);
        }

        throttle.Succeeded(username);
        var user = await RecordAsync(remote, ct);
        var sessionId = await sessions.CreateAsync(user.Id, ct);
        return new LoginResult(LoginStatus.Success, CreatePrincipal(user, sessionId), user, null);
    }

    public static ClaimsPrincipal CreatePrincipal(AppUser user, string sessionId) => CreatePrincipal(user.Id, user.Name, user.IsAdmin, sessionId);

    public static ClaimsPrincipal CreatePrincipal(string userId, string name, bool isAdmin, string sessionId)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, userId),
            new(ClaimTypes.Name, name),
            new(SessionStore.ClaimType, sessionId),
        };
        if (isAdmin)
        {
            claims.Add(new Claim(ClaimTypes.Role, ClaimsPrincipalExtensions.AdminRole));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    private async Task<AppUser> RecordAsync(UserDto remote, CancellationToken ct)
    {
        try
        {
            return await UpsertAsync(remote, ct);
        }
        catch (DbUpdateException)
        {
            // The user sync (or a second login) inserted this user a moment ago: update that row instead.
            db.ChangeTracker.Clear();
            return await UpsertAsync(remote, ct);
        }
    }

    private async Task<AppUser> UpsertAsync(UserDto remote, CancellationToken ct)
    {
        var id = NormalizeId(remote.Id);
        var now = time.GetUtcNow();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            user = new AppUser { Id = id, Name = remote.Name, CreatedAt = now };
            db.Users.Add(user);
        }
        user.Name = remote.Name;
        user.IsAdmin = remote.IsAdministrator;
        user.IsDisabled = false;
        user.PresentOnServer = true;
        user.FirstLoginAt ??= now;
        user.LastLoginAt = now;
        await db.SaveChangesAsync(ct);
        // The user's other sessions see the name and admin flag the server just gave.
        sessionCache.EvictUser(id);
        return user;
    }

    // Jellyfin accepts any GUID form on input; store one form so ids compare equal.
    public static string NormalizeId(string id) =>
        Guid.TryParse(id, out var guid) ? guid.ToString("N") : id;
}
