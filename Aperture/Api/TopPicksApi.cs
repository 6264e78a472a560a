using Aperture.Auth;
using Aperture.Data;
using Aperture.TopPicks;

namespace Aperture.Api;

// Top Picks: the settings (admin) and the current lists (every signed-in user: they are global).
public static class TopPicksApi
{
    public static void MapTopPicksApi(this RouteGroupBuilder api)
    {
        api.MapGet("/top-picks/{kind}", async (string kind, TopPicksService topPicks, CancellationToken ct) =>
            RecommendationsApi.ParseKind(kind) is { } k ? Results.Ok(await topPicks.ListAsync(k, ct)) : UnknownKind());

        var settings = api.MapGroup("/settings/top-picks").RequireAuthorization(ClaimsPrincipalExtensions.AdminPolicy);
        settings.MapGet("", async (TopPicksSettings s, CancellationToken ct) =>
            Results.Ok(new { movies = await s.GetForEditAsync(MediaKind.Movie, ct), series = await s.GetForEditAsync(MediaKind.Series, ct) }));
        settings.MapGet("/{kind}", async (string kind, TopPicksSettings s, CancellationToken ct) =>
            RecommendationsApi.ParseKind(kind) is { } k ? Results.Ok(await s.GetForEditAsync(k, ct)) : UnknownKind());
        settings.MapPatch("/{kind}", async (string kind, HttpRequest request, TopPicksSettings s, CancellationToken ct) =>
        {
            if (RecommendationsApi.ParseKind(kind) is not { } k)
            {
                return UnknownKind();
            }
            var (patch, error) = await ApiJson.ReadAsync<TopPicksSettingsPatch>(request, ct);
            if (error is not null)
            {
                return error;
            }
            var (result, errors) = await s.ApplyAsync(k, patch!, ct);
            if (errors.Count > 0)
            {
                return ApiJson.Invalid(errors);
            }
            await s.SaveAsync(k, result, ct);
            return Results.Ok(result);
        });
    }

    private static IResult UnknownKind() => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Use /movies or /series.");
}
