using Aperture.Auth;
using Aperture.Data;
using Aperture.Recommendations;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Api;

// The seed's routes. A user reads only their own picks; an admin reads anyone's.
public static class RecommendationsApi
{
    public sealed record UserPatch(bool? MoviePicksEnabled, bool? SeriesPicksEnabled);

    public static void MapRecommendationsApi(this RouteGroupBuilder api)
    {
        var recs = api.MapGroup("/recommendations");

        recs.MapGet("/{userId}", async (string userId, string? kind, HttpContext http, PickQueries picks, CancellationToken ct) =>
        {
            if (Denied(http, userId) is { } denied)
            {
                return denied;
            }
            if (ParseKind(kind ?? "movies") is not { } k)
            {
                return ApiJson.Invalid("kind", "kind must be movies or series.");
            }
            return await picks.ListAsync(userId, k, ct) is { } list ? Results.Ok(list) : UnknownUser(userId);
        });

        foreach (var (segment, kind) in new[] { ("movie", MediaKind.Movie), ("series", MediaKind.Series) })
        {
            recs.MapGet($"/{{userId}}/{segment}/{{titleId:long}}/insights", async (string userId, long titleId, HttpContext http, PickQueries picks, CancellationToken ct) =>
                Denied(http, userId) ?? (await picks.InsightsAsync(userId, kind, titleId, ct) is { } insights
                    ? Results.Ok(insights)
                    : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"{titleId} is not among this user's current {kind.Slug()} picks.")));
        }

        recs.MapGet("/{userId}/history", async (string userId, int? take, HttpContext http, PickQueries picks, AppDbContext db, CancellationToken ct) =>
        {
            if (Denied(http, userId) is { } denied)
            {
                return denied;
            }
            if (take is < 1 or > 500)
            {
                return ApiJson.Invalid("take", "take must be between 1 and 500.");
            }
            return await db.Users.AnyAsync(u => u.Id == userId, ct) ? Results.Ok(await picks.RunsAsync(userId, take ?? 50, ct)) : UnknownUser(userId);
        });

        foreach (var (segment, kind) in new[] { ("taste-profile", MediaKind.Movie), ("series-taste-profile", MediaKind.Series) })
        {
            api.MapGet($"/users/{{id}}/{segment}", async (string id, HttpContext http, TasteService tastes, CancellationToken ct) =>
                Denied(http, id) ?? (await tastes.GetAsync(id, kind, ct) is { } view ? Results.Ok(view) : UnknownUser(id)));
            api.MapPost($"/users/{{id}}/{segment}/regenerate", async (string id, HttpContext http, TasteService tastes, CancellationToken ct) =>
                Denied(http, id) ?? (await tastes.RegenerateAsync(id, kind, ct) is { } view ? Results.Ok(view) : UnknownUser(id)));
        }

        // Admin › Users toggles.
        api.MapPut("/users/{id}", async (string id, HttpRequest request, AppDbContext db, CancellationToken ct) =>
        {
            var (patch, error) = await ApiJson.ReadAsync<UserPatch>(request, ct);
            if (error is not null)
            {
                return error;
            }
            if (patch!.MoviePicksEnabled is null && patch.SeriesPicksEnabled is null)
            {
                return ApiJson.Invalid("moviePicksEnabled", "Send moviePicksEnabled and/or seriesPicksEnabled.");
            }
            var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
            if (user is null)
            {
                return UnknownUser(id);
            }
            user.MoviePicksEnabled = patch.MoviePicksEnabled ?? user.MoviePicksEnabled;
            user.SeriesPicksEnabled = patch.SeriesPicksEnabled ?? user.SeriesPicksEnabled;
            await db.SaveChangesAsync(ct);
            return Results.Ok(new { user.Id, user.Name, user.MoviePicksEnabled, user.SeriesPicksEnabled });
        }).RequireAuthorization(ClaimsPrincipalExtensions.AdminPolicy);

        var settings = api.MapGroup("/settings/recommendations").RequireAuthorization(ClaimsPrincipalExtensions.AdminPolicy);
        settings.MapGet("", async (RecommendationSettings s, CancellationToken ct) =>
            Results.Ok(new { movies = await s.GetForEditAsync(MediaKind.Movie, ct), series = await s.GetForEditAsync(MediaKind.Series, ct) }));
        settings.MapPatch("/{kind}", async (string kind, HttpRequest request, RecommendationSettings s, CancellationToken ct) =>
        {
            if (ParseKind(kind) is not { } k)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Use /movies or /series.");
            }
            var (patch, error) = await ApiJson.ReadAsync<RecommendationSettingsPatch>(request, ct);
            if (error is not null)
            {
                return error;
            }
            var (result, errors) = RecommendationSettings.Apply(await s.GetForEditAsync(k, ct), patch!);
            if (errors.Count > 0)
            {
                return ApiJson.Invalid(errors);
            }
            await s.SaveAsync(k, result, ct);
            return Results.Ok(result);
        });
    }

    public static MediaKind? ParseKind(string? kind) => kind?.ToLowerInvariant() switch
    {
        "movies" or "movie" => MediaKind.Movie,
        "series" or "shows" => MediaKind.Series,
        _ => null,
    };

    // Checked before the lookup, so a normal user cannot learn which ids exist.
    public static IResult? Denied(HttpContext http, string userId) => http.User.MayAccessUser(userId)
        ? null
        : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "You may only read your own picks.");

    public static IResult UnknownUser(string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"There is no user with id {id}.");
}
