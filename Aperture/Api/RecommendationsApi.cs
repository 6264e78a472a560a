using System.Security.Claims;
using Aperture.Auth;
using Aperture.Data;
using Aperture.Recommendations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Api;

// The seed's routes. A user reads only their own picks; an admin reads anyone's.
public static class RecommendationsApi
{
    public static void MapRecommendationsApi(this RouteGroupBuilder api)
    {
        var recs = api.MapGroup("/recommendations");
        recs.MapGet("/{userId}", GetPicksAsync);
        recs.MapGet("/{userId}/{kind}/{titleId:long}/insights", GetInsightsAsync);
        recs.MapGet("/{userId}/history", GetRunsAsync);

        // The movie profile kept its seed name; the series one is prefixed.
        foreach (var kind in MediaKinds.All)
        {
            var segment = kind == MediaKind.Movie ? "taste-profile" : $"{kind.Word()}-taste-profile";
            api.MapGet($"/users/{{id}}/{segment}", GetTasteAsync).WithMetadata(new RouteKind(kind));
            api.MapPost($"/users/{{id}}/{segment}/regenerate", RegenerateTasteAsync).WithMetadata(new RouteKind(kind));
        }

        // Admin › Users toggles.
        api.MapPut("/users/{id}", SetPicksKindsAsync).RequireAuthorization(ClaimsPrincipalExtensions.AdminPolicy);

        var settings = api.MapGroup("/settings/recommendations").RequireAuthorization(ClaimsPrincipalExtensions.AdminPolicy);
        settings.MapGet("", GetSettingsAsync);
        settings.MapPatch("/{kind}", PatchSettingsAsync);
    }

    public static async Task<Results<Ok<PickList>, ProblemHttpResult>> GetPicksAsync(string userId, string? kind, ClaimsPrincipal user,
        PickQueries picks, CancellationToken ct)
    {
        if (Denied(user, userId) is { } denied)
        {
            return denied;
        }
        var k = ApiProblems.Kind(kind ?? MediaKind.Movie.Slug());
        return await picks.ListAsync(userId, k, ct) is { } list ? TypedResults.Ok(list) : UnknownUser(userId);
    }

    public static async Task<Results<Ok<PickInsights>, ProblemHttpResult>> GetInsightsAsync(string userId, string kind, long titleId, ClaimsPrincipal user,
        PickQueries picks, CancellationToken ct)
    {
        if (Denied(user, userId) is { } denied)
        {
            return denied;
        }
        var k = ApiProblems.PathKind(kind);
        return await picks.InsightsAsync(userId, k, titleId, ct) is { } insights
            ? TypedResults.Ok(insights)
            : ApiProblems.NotFound($"{titleId} is not among this user's current {k.Slug()} picks.");
    }

    public static async Task<Results<Ok<IReadOnlyList<RunView>>, ProblemHttpResult>> GetRunsAsync(string userId, int? take, ClaimsPrincipal user,
        PickQueries picks, AppDbContext db, CancellationToken ct)
    {
        if (Denied(user, userId) is { } denied)
        {
            return denied;
        }
        if (take is < 1 or > 500)
        {
            throw new ApiValidationException("take", "take must be between 1 and 500.");
        }
        return await db.Users.AnyAsync(u => u.Id == userId, ct) ? TypedResults.Ok(await picks.RunsAsync(userId, take ?? 50, ct)) : UnknownUser(userId);
    }

    public static async Task<Results<Ok<TasteProfileView>, ProblemHttpResult>> GetTasteAsync(string id, RouteKind route, ClaimsPrincipal user,
        TasteService tastes, CancellationToken ct)
    {
        if (Denied(user, id) is { } denied)
        {
            return denied;
        }
        return await tastes.GetAsync(id, route.Kind, ct) is { } view ? TypedResults.Ok(view) : UnknownUser(id);
    }

    public static async Task<Results<Ok<TasteProfileView>, ProblemHttpResult>> RegenerateTasteAsync(string id, RouteKind route, ClaimsPrincipal user,
        TasteService tastes, CancellationToken ct)
    {
        if (Denied(user, id) is { } denied)
        {
            return denied;
        }
        return await tastes.RegenerateAsync(id, route.Kind, ct) is { } view ? TypedResults.Ok(view) : UnknownUser(id);
    }

    // The body's field per kind is "<word>PicksEnabled" (moviePicksEnabled, seriesPicksEnabled); the answer has the same fields.
    public static string PicksField(MediaKind kind) => $"{kind.Word()}PicksEnabled";

    public static async Task<Results<Ok<Dictionary<string, object>>, ProblemHttpResult>> SetPicksKindsAsync(string id, HttpRequest request,
        AppDbContext db, CancellationToken ct)
    {
        var (patch, error) = await ApiJson.ReadAsync<Dictionary<string, bool?>>(request, ct);
        if (error is not null)
        {
            return error;
        }
        var fields = MediaKinds.All.ToDictionary(PicksField, StringComparer.OrdinalIgnoreCase);
        if (patch!.Keys.FirstOrDefault(f => !fields.ContainsKey(f)) is { } unknown)
        {
            throw new ApiValidationException(unknown, $"Unknown field; send {string.Join(" and/or ", fields.Keys)}.");
        }
        var changes = patch.Where(p => p.Value is not null).ToDictionary(p => fields[p.Key], p => p.Value!.Value);
        if (changes.Count == 0)
        {
            throw new ApiValidationException(PicksField(MediaKind.Movie), $"Send {string.Join(" and/or ", fields.Keys)}.");
        }
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return UnknownUser(id);
        }
        foreach (var (kind, enabled) in changes)
        {
            user.SetPicksEnabled(kind, enabled);
        }
        await db.SaveChangesAsync(ct);
        var body = new Dictionary<string, object> { ["id"] = user.Id, ["name"] = user.Name };
        foreach (var kind in MediaKinds.All)
        {
            body[PicksField(kind)] = user.PicksEnabled(kind);
        }
        return TypedResults.Ok(body);
    }

    public static async Task<Ok<Dictionary<string, KindRecommendationSettings>>> GetSettingsAsync(RecommendationSettings s, CancellationToken ct)
    {
        var all = new Dictionary<string, KindRecommendationSettings>();
        foreach (var kind in MediaKinds.All)
        {
            all[kind.Slug()] = await s.GetForEditAsync(kind, ct);
        }
        return TypedResults.Ok(all);
    }

    public static async Task<Results<Ok<KindRecommendationSettings>, ProblemHttpResult>> PatchSettingsAsync(string kind, HttpRequest request,
        RecommendationSettings s, CancellationToken ct)
    {
        var k = ApiProblems.PathKind(kind);
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
        return TypedResults.Ok(result);
    }

    private static ProblemHttpResult? Denied(ClaimsPrincipal user, string userId) => ApiProblems.NotOwnUser(user, userId);

    private static ProblemHttpResult UnknownUser(string id) => ApiProblems.UnknownUser(id);
}
