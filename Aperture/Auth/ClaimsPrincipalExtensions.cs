using System.Security.Claims;

namespace Aperture.Auth;

public static class ClaimsPrincipalExtensions
{
    public const string AdminRole = "admin";
    public const string AdminPolicy = "Admin";

    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The request has no signed-in user.");

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(AdminRole);

    // A user reads only their own data; an admin reads anyone's.
    public static bool MayAccessUser(this ClaimsPrincipal user, string userId) =>
        user.IsAdmin() || string.Equals(user.FindFirstValue(ClaimTypes.NameIdentifier), userId, StringComparison.OrdinalIgnoreCase);
}
