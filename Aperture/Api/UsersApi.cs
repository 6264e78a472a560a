using Aperture.Auth;
using Aperture.History;
using Aperture.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aperture.Api;

// A user reads their own routes; an admin reads anyone's and the list of users.
public static class UsersApi
{
    public const int DefaultHistoryPageSize = 50;

    public static void MapUsersApi(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users");
        users.MapGet("", ListAsync).RequireAuthorization(ClaimsPrincipalExtensions.AdminPolicy);

        var user = users.MapGroup("/{id}").AddEndpointFilter(ApiProblems.OwnUserOnly);
        user.MapGet("", GetAsync);
        user.MapGet("/watch-history", HistoryAsync);
        // An admin ends every session of a user (a lost phone, a shared computer): they sign in again at their next request.
        user.MapPost("/sessions/revoke", RevokeSessionsAsync).RequireAuthorization(ClaimsPrincipalExtensions.AdminPolicy);
        user.MapGet("/stats", StatsAsync);
    }

    public static async Task<Ok<IReadOnlyList<UserSummary>>> ListAsync(UserActivity activity, CancellationToken ct) =>
        TypedResults.Ok(await activity.UsersAsync(ct));

    public static async Task<Results<Ok<UserSummary>, ProblemHttpResult>> GetAsync(string id, UserActivity activity, CancellationToken ct) =>
        await activity.UserAsync(id, ct) is { } user ? TypedResults.Ok(user) : ApiProblems.UnknownUser(id);

    public static async Task<Results<Ok<HistoryPage>, ProblemHttpResult>> HistoryAsync(string id, HttpRequest request, UserActivity activity,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var paging = Paging.Parse(request.Query, DefaultHistoryPageSize, errors);
        if (errors.Count > 0)
        {
            return ApiJson.Invalid(errors);
        }
        return await activity.UserAsync(id, ct) is null
            ? ApiProblems.UnknownUser(id)
            : TypedResults.Ok(await activity.HistoryAsync(id, paging.Page, paging.PageSize, ct));
    }

    public static async Task<Results<Ok<AuthApi.SessionsEnded>, ProblemHttpResult>> RevokeSessionsAsync(string id, UserActivity activity,
        SessionStore sessions, CancellationToken ct) =>
        await activity.UserAsync(id, ct) is null
            ? ApiProblems.UnknownUser(id)
            : TypedResults.Ok(new AuthApi.SessionsEnded(await sessions.RevokeAllAsync(id, ct)));

    public static async Task<Results<Ok<UserStats>, ProblemHttpResult>> StatsAsync(string id, UserActivity activity, CancellationToken ct) =>
        await activity.StatsAsync(id, ct) is { } stats ? TypedResults.Ok(stats) : ApiProblems.UnknownUser(id);
}
