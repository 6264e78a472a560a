using System.Security.Claims;
using Aperture.Auth;
using Aperture.Data;
using Aperture.Feedback;
using Aperture.Recommendations;
using Aperture.Settings;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Api;

// Feedback and tuning: the same rule as picks (a user their own, an admin anyone's), checked before any lookup.
public static class FeedbackApi
{
    public sealed record WriteBackPatch(bool? FavoriteWriteBack);

    public sealed record TuningSwitch(bool? Enabled);

    public sealed record FeedbackList(bool FavoriteWriteBack, IReadOnlyList<FeedbackView> Items);

    public sealed record WriteBackView(bool FavoriteWriteBack);

    public sealed record TuningSwitchView(bool Enabled);

    public static void MapFeedbackApi(this RouteGroupBuilder api)
    {
        var user = api.MapGroup("/users/{id}").AddEndpointFilter(ApiProblems.OwnUserOnly);
        user.MapGet("/feedback", ListAsync);
        user.MapPut("/feedback/{kind}/{titleId:long}", SetAsync);
        user.MapDelete("/feedback/{kind}/{titleId:long}", UndoAsync);
        // The user's consent to write a 👍 back as a favourite on the media server.
        user.MapPut("/feedback-settings", SetWriteBackAsync);
        user.MapGet("/tuning/{kind}", GetTuningAsync);
        user.MapPut("/tuning/{kind}", SetTuningAsync);

        var settings = api.MapGroup("/settings/tuning").RequireAuthorization(ClaimsPrincipalExtensions.AdminPolicy);
        settings.MapGet("", GetTuningSwitchAsync);
        settings.MapPut("", SetTuningSwitchAsync);
    }

    public static async Task<Results<Ok<FeedbackList>, ProblemHttpResult>> ListAsync(string id, string? kind, AppDbContext db,
        FeedbackService feedback, CancellationToken ct)
    {
        MediaKind? k = kind is null ? null : ApiProblems.Kind(kind);
        if (!await db.Users.AnyAsync(u => u.Id == id, ct))
        {
            return ApiProblems.UnknownUser(id);
        }
        return TypedResults.Ok(new FeedbackList(await feedback.WriteBackAllowedAsync(id, ct), await feedback.ListAsync(id, k, ct)));
    }

    public static async Task<Results<Ok<FeedbackView>, ProblemHttpResult>> SetAsync(string id, string kind, long titleId, HttpRequest request,
        AppDbContext db, FeedbackService feedback, CancellationToken ct)
    {
        var k = ApiProblems.PathKind(kind);
        var (input, error) = await ApiJson.ReadAsync<FeedbackInput>(request, ct);
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
            return ApiProblems.UnknownUser(id);
        }
        return await feedback.SetAsync(id, k, titleId, change, ct) is { } view
            ? TypedResults.Ok(view)
            : ApiProblems.NotFound($"There is no title of kind {k.Slug()} with id {titleId}.");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> UndoAsync(string id, string kind, long titleId, FeedbackService feedback, CancellationToken ct) =>
        await feedback.UndoAsync(id, ApiProblems.PathKind(kind), titleId, ct)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound($"There is no feedback on {titleId} to undo.");

    public static async Task<Results<Ok<WriteBackView>, ProblemHttpResult>> SetWriteBackAsync(string id, HttpRequest request, AppDbContext db,
        FeedbackService feedback, CancellationToken ct)
    {
        var (patch, error) = await ApiJson.ReadAsync<WriteBackPatch>(request, ct);
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
            return ApiProblems.UnknownUser(id);
        }
        await feedback.SetWriteBackAsync(id, allowed, ct);
        return TypedResults.Ok(new WriteBackView(allowed));
    }

    public static async Task<Results<Ok<TuningView>, ProblemHttpResult>> GetTuningAsync(string id, string kind, AppDbContext db, TuningService tuning,
        CancellationToken ct)
    {
        var k = ApiProblems.PathKind(kind);
        return await db.Users.AnyAsync(u => u.Id == id, ct) ? TypedResults.Ok(await tuning.ViewAsync(id, k, null, ct)) : ApiProblems.UnknownUser(id);
    }

    public static async Task<Results<Ok<TuningView>, ProblemHttpResult>> SetTuningAsync(string id, string kind, HttpRequest request, AppDbContext db,
        SettingsStore store, TuningService tuning, CancellationToken ct)
    {
        var k = ApiProblems.PathKind(kind);
        if (!await FeedbackInputs.TuningEnabledAsync(store, ct))
        {
            return ApiProblems.Conflict("Your admin has switched per-user tuning off on this server.");
        }
        var (patch, error) = await ApiJson.ReadAsync<UserTuningPatch>(request, ct);
        if (error is not null)
        {
            return error;
        }
        if (!await db.Users.AnyAsync(u => u.Id == id, ct))
        {
            return ApiProblems.UnknownUser(id);
        }
        var (result, errors) = await tuning.ApplyAsync(id, k, patch!, ct);
        if (errors.Count > 0)
        {
            return ApiJson.Invalid(errors);
        }
        await tuning.SaveAsync(id, k, result, ct);
        return TypedResults.Ok(await tuning.ViewAsync(id, k, result, ct));
    }

    public static async Task<Ok<TuningSwitchView>> GetTuningSwitchAsync(SettingsStore store, CancellationToken ct) =>
        TypedResults.Ok(new TuningSwitchView(await FeedbackInputs.TuningEnabledAsync(store, ct)));

    public static async Task<Results<Ok<TuningSwitchView>, ProblemHttpResult>> SetTuningSwitchAsync(HttpRequest request, SettingsStore store, CancellationToken ct)
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
        return TypedResults.Ok(new TuningSwitchView(enabled));
    }
}
