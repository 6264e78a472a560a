using Aperture.Auth;
using Aperture.Data;
using Aperture.Feedback;
using Aperture.Settings;
using Microsoft.EntityFrameworkCore;
using Aperture.Recommendations;

namespace Aperture.Api;

// Feedback and tuning: the same rule as picks (a user their own, an admin anyone's), checked before any lookup.
public static class FeedbackApi
{
    public sealed record WriteBackPatch(bool? FavoriteWriteBack);

    public sealed record TuningSwitch(bool? Enabled);

    // How every per-user, per-kind route starts: the caller may act for this user (403 before any lookup), and the kind is
    // movies or series (404).
    private static IResult? Guard(HttpContext http, string id, string kind, out MediaKind k)
    {
        k = default;
        if (RecommendationsApi.Denied(http, id) is { } denied)
        {
            return denied;
        }
        if (RecommendationsApi.ParseKind(kind) is not { } parsed)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Use /movies or /series.");
        }
        k = parsed;
        return null;
    }

    public static void MapFeedbackApi(this RouteGroupBuilder api)
    {
        api.MapGet("/users/{id}/feedback", async (string id, string? kind, HttpContext http, AppDbContext db, FeedbackService feedback, CancellationToken ct) =>
        {
            if (RecommendationsApi.Denied(http, id) is { } denied)
            {
                return denied;
            }
            MediaKind? k = null;
            if (kind is not null && (k = RecommendationsApi.ParseKind(kind)) is null)
            {
                return ApiJson.Invalid("kind", "kind must be movies or series.");
            }
            if (!await db.Users.AnyAsync(u => u.Id == id, ct))
            {
                return RecommendationsApi.UnknownUser(id);
            }
            return Results.Ok(new { favoriteWriteBack = await feedback.WriteBackAllowedAsync(id, ct), items = await feedback.ListAsync(id, k, ct) });
        });

        api.MapPut("/users/{id}/feedback/{kind}/{titleId:long}", async (string id, string kind, long titleId, HttpContext http, AppDbContext db,
            FeedbackService feedback, CancellationToken ct) =>
        {
            if (Guard(http, id, kind, out var k) is { } refused)
            {
                return refused;
            }
            var (input, error) = await ApiJson.ReadAsync<FeedbackInput>(http.Request, ct);
            if (error is not null)
            {
                return error;
            }
            var (change, errors) = FeedbackService.Parse(input!);
            if (change is null)
            {
                return ApiJson.Invalid(errors);
            }
            if (!await db.Users.AnyAsync(u => u.Id == id, ct))
            {
                return RecommendationsApi.UnknownUser(id);
            }
            return await feedback.SetAsync(id, k, titleId, change, ct) is { } view
                ? Results.Ok(view)
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"There is no title of kind {k.Slug()} with id {titleId}.");
        });

        api.MapDelete("/users/{id}/feedback/{kind}/{titleId:long}", async (string id, string kind, long titleId, HttpContext http,
            FeedbackService feedback, CancellationToken ct) =>
        {
            if (Guard(http, id, kind, out var k) is { } refused)
            {
                return refused;
            }
            return await feedback.UndoAsync(id, k, titleId, ct)
                ? Results.NoContent()
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"There is no feedback on {titleId} to undo.");
        });

        // The user's consent to write a 👍 back as a favourite on the media server.
        api.MapPut("/users/{id}/feedback-settings", async (string id, HttpContext http, AppDbContext db, FeedbackService feedback, CancellationToken ct) =>
        {
            if (RecommendationsApi.Denied(http, id) is { } denied)
            {
                return denied;
            }
            var (patch, error) = await ApiJson.ReadAsync<WriteBackPatch>(http.Request, ct);
            if (error is not null)
            {
                return error;
            }
            if (patch!.FavoriteWriteBack is not { } allowed)
            {
                return ApiJson.Invalid("favoriteWriteBack", "favoriteWriteBack must be true or false.");
            }
            if (!await db.Users.AnyAsync(u => u.Id == id, ct))
            {
                return RecommendationsApi.UnknownUser(id);
            }
            await feedback.SetWriteBackAsync(id, allowed, ct);
            return Results.Ok(new { favoriteWriteBack = allowed });
        });

        api.MapGet("/users/{id}/tuning/{kind}", async (string id, string kind, HttpContext http, AppDbContext db, TuningService tuning, CancellationToken ct) =>
        {
            if (Guard(http, id, kind, out var k) is { } refused)
            {
                return refused;
            }
            return await db.Users.AnyAsync(u => u.Id == id, ct) ? Results.Ok(await tuning.ViewAsync(id, k, null, ct)) : RecommendationsApi.UnknownUser(id);
        });

        api.MapPut("/users/{id}/tuning/{kind}", async (string id, string kind, HttpContext http, AppDbContext db, SettingsStore store,
            TuningService tuning, CancellationToken ct) =>
        {
            if (Guard(http, id, kind, out var k) is { } refused)
            {
                return refused;
            }
            if (!await FeedbackInputs.TuningEnabledAsync(store, ct))
            {
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Your admin has switched per-user tuning off on this server.");
            }
            var (patch, error) = await ApiJson.ReadAsync<UserTuningPatch>(http.Request, ct);
            if (error is not null)
            {
                return error;
            }
            if (!await db.Users.AnyAsync(u => u.Id == id, ct))
            {
                return RecommendationsApi.UnknownUser(id);
            }
            var (result, errors) = await tuning.ApplyAsync(id, k, patch!, ct);
            if (errors.Count > 0)
            {
                return ApiJson.Invalid(errors);
            }
            await tuning.SaveAsync(id, k, result, ct);
            return Results.Ok(await tuning.ViewAsync(id, k, result, ct));
        });

        var settings = api.MapGroup("/settings/tuning").RequireAuthorization(ClaimsPrincipalExtensions.AdminPolicy);
        settings.MapGet("", async (SettingsStore store, CancellationToken ct) => Results.Ok(new { enabled = await FeedbackInputs.TuningEnabledAsync(store, ct) }));
        settings.MapPut("", async (HttpRequest request, SettingsStore store, CancellationToken ct) =>
        {
            var (body, error) = await ApiJson.ReadAsync<TuningSwitch>(request, ct);
            if (error is not null)
            {
                return error;
            }
            if (body!.Enabled is not { } enabled)
            {
                return ApiJson.Invalid("enabled", "enabled must be true or false.");
            }
            await FeedbackInputs.SetTuningEnabledAsync(store, enabled, ct);
            return Results.Ok(new { enabled });
        });
    }
}
