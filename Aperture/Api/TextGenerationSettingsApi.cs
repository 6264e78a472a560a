using Aperture.Auth;
using Aperture.Narratives;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aperture.Api;

public static class TextGenerationSettingsApi
{
    public sealed record TextGenerationPatch(string? Provider, string? Model, string? BaseUrl, string? ApiKey, bool? ClearApiKey, int? LlmPicksPerUser);

    public sealed record TextGenerationResponse(string Provider, string? Model, string? BaseUrl, bool HasApiKey, string ApiKeySource, int LlmPicksPerUser);

    public static void MapTextGenerationSettingsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/settings").RequireAuthorization(ClaimsPrincipalExtensions.AdminPolicy);
        group.MapGet("/text-generation-model", GetAsync);
        group.MapPatch("/text-generation-model", PatchAsync);
        group.MapPost("/text-generation-model/test", TestAsync);
    }

    public static async Task<Ok<TextGenerationResponse>> GetAsync(TextGenerationSettings settings, CancellationToken ct) =>
        TypedResults.Ok(Response(await settings.GetAsync(ct)));

    public static async Task<Results<Ok<TextGenerationResponse>, ProblemHttpResult>> PatchAsync(HttpRequest request,
        TextGenerationSettings settings, NarrativeGate gate, CancellationToken ct)
    {
        var (patch, error) = await ApiJson.ReadAsync<TextGenerationPatch>(request, ct);
        if (error is not null)
        {
            return error;
        }
        var input = Input(patch!);
        var errors = TextGenerationSettings.Validate(input, await settings.GetAsync(ct));
        if (errors.Count > 0)
        {
            return ApiJson.Invalid(errors);
        }
        await settings.SaveAsync(input, ct);
        gate.Reset();
        return TypedResults.Ok(Response(await settings.GetAsync(ct)));
    }

    public static async Task<Results<Ok<TextGenerationTestResult>, ProblemHttpResult>> TestAsync(HttpRequest request,
        TextGenerationSettings settings, IHttpClientFactory http, CancellationToken ct)
    {
        var input = new TextGenerationConfigInput(null, null, null, null);
        if (ApiJson.HasBody(request))
        {
            var (patch, error) = await ApiJson.ReadAsync<TextGenerationPatch>(request, ct);
            if (error is not null)
            {
                return error;
            }
            input = Input(patch!) with { ClearApiKey = false };
            var errors = TextGenerationSettings.Validate(input, await settings.GetAsync(ct));
            if (errors.Count > 0)
            {
                return ApiJson.Invalid(errors);
            }
        }
        return TypedResults.Ok(await settings.TestAsync(input, http.CreateClient(NarrativesExtensions.HttpClientName), ct));
    }

    private static TextGenerationConfigInput Input(TextGenerationPatch patch) =>
        new(patch.Provider?.Trim().ToLowerInvariant(), patch.Model, patch.BaseUrl, patch.ApiKey, patch.ClearApiKey ?? false, patch.LlmPicksPerUser);

    private static TextGenerationResponse Response(TextGenerationConfig c) =>
        new(c.Provider, c.Model, c.BaseUrl, c.HasApiKey, c.ApiKeySource.ToString().ToLowerInvariant(), c.LlmPicksPerUser);
}
