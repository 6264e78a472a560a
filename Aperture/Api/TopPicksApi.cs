using Aperture.Auth;
using Aperture.Data;
using Aperture.TopPicks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aperture.Api;

// Top Picks: the settings (admin) and the current lists (every signed-in user: they are global).
public static class TopPicksApi
{
    public static void MapTopPicksApi(this RouteGroupBuilder api)
    {
        api.MapGet("/top-picks/{kind}", ListAsync);

        var settings = api.MapGroup("/settings/top-picks").RequireAuthorization(ClaimsPrincipalExtensions.AdminPolicy);
        settings.MapGet("", GetAllSettingsAsync);
        settings.MapGet("/{kind}", GetSettingsAsync);
        settings.MapPatch("/{kind}", PatchSettingsAsync);
    }

    public static async Task<Ok<TopPicksList>> ListAsync(string kind, TopPicksService topPicks, CancellationToken ct) =>
        TypedResults.Ok(await topPicks.ListAsync(ApiProblems.PathKind(kind), ct));

    public static async Task<Ok<Dictionary<string, KindTopPicksSettings>>> GetAllSettingsAsync(TopPicksSettings s, CancellationToken ct)
    {
        var all = new Dictionary<string, KindTopPicksSettings>();
        foreach (var kind in MediaKinds.All)
        {
            all[kind.Slug()] = await s.GetForEditAsync(kind, ct);
        }
        return TypedResults.Ok(all);
    }

    public static async Task<Ok<KindTopPicksSettings>> GetSettingsAsync(string kind, TopPicksSettings s, CancellationToken ct) =>
        TypedResults.Ok(await s.GetForEditAsync(ApiProblems.PathKind(kind), ct));

    public static async Task<Results<Ok<KindTopPicksSettings>, ProblemHttpResult>> PatchSettingsAsync(string kind, HttpRequest request,
        TopPicksSettings s, CancellationToken ct)
    {
        var k = ApiProblems.PathKind(kind);
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
        return TypedResults.Ok(result);
    }
}
