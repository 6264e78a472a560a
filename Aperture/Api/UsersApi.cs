using Aperture.Auth;
using Aperture.History;
using Aperture.Web;

namespace Aperture.Api;

// A user reads their own routes; an admin reads anyone's and the list of users.
public static class UsersApi
{
    public const int DefaultHistoryPageSize = 50;

    public static void MapUsersApi(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users");

        users.MapGet("", async (UserActivity activity, CancellationToken ct) => Results.Ok(await activity.UsersAsync(ct)))
            .RequireAuthorization(ClaimsPrincipalExtensions.AdminPolicy);

        users.MapGet("/{id}", async (string id, HttpContext http, UserActivity activity, CancellationToken ct) =>
            ApiProblems.NotOwnUser(http.User, id) ?? (await activity.UserAsync(id, ct) is { } user ? Results.Ok(user) : ApiProblems.UnknownUser(id)));

        users.MapGet("/{id}/watch-history", async (string id, HttpContext http, UserActivity activity, CancellationToken ct) =>
        {
            if (ApiProblems.NotOwnUser(http.User, id) is { } denied)
            {
                return denied;
            }
            var errors = new Dictionary<string, string>();
            var paging = Paging.Parse(http.Request.Query, DefaultHistoryPageSize, errors);
            if (errors.Count > 0)
            {
                return ApiJson.Invalid(errors);
            }
            return await activity.UserAsync(id, ct) is null ? ApiProblems.UnknownUser(id) : Results.Ok(await activity.HistoryAsync(id, paging.Page, paging.PageSize, ct));
        });

        // An admin ends every session of a user (a lost phone, a shared computer): they sign in again at their next request.
        users.MapPost("/{id}/sessions/revoke", async (string id, UserActivity activity, SessionStore sessions, CancellationToken ct) =>
            await activity.UserAsync(id, ct) is null ? ApiProblems.UnknownUser(id) : Results.Ok(new { ended = await sessions.RevokeAllAsync(id, ct) }))
            .RequireAuthorization(ClaimsPrincipalExtensions.AdminPolicy);

        users.MapGet("/{id}/stats", async (string id, HttpContext http, UserActivity activity, CancellationToken ct) =>
            ApiProblems.NotOwnUser(http.User, id) ?? (await activity.StatsAsync(id, ct) is { } stats ? Results.Ok(stats) : ApiProblems.UnknownUser(id)));
    }
}
