using Aperture.Auth;
using Aperture.Narratives;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aperture.Api;

public static class TextGenerationSettingsApi
{
    public sealed record TextGenerationPatch(string? Provider, string? Model, string? BaseUrl, string? ApiKey, bool? ClearApiKey, int? LlmPicksPerUser)
        : AiProviderPatch(Provider, Model, BaseUrl, ApiKey, ClearApiKey);

    public sealed record TextGenerationResponse(string Provider, string? Model, string? BaseUrl, bool ApiKeySet, string ApiKeySource, int LlmPicksPerUser)
        : AiProviderResponse(Provider, Model, BaseUrl, ApiKeySet, ApiKeySource);

    public static void MapTextGenerationSettingsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/settings").RequireAuthorization(ClaimsPrincipalExtensions.AdminPolicy);
        group.MapGet("/text-generation-model", GetAsync);
        group.MapPatch("/text-generation-model", PatchAsync);
        group.MapPost("/text-generation-model/test", TestAsync);
    }

    public static async Task<Ok<TextGenerationResponse>> GetAsync(TextGenerationSettings settings, CancellationToken ct) =>
        TypedResults.Ok(Response(await settings.GetAsync(ct)));

    // A new model or key takes effect at once: the pause after a failure is lifted.
    public static Task<Results<Ok<TextGenerationResponse>, ProblemHttpResult>> PatchAsync(HttpRequest request, TextGenerationSettings settings,
        NarrativeGate gate, CancellationToken ct) =>
        AiProviderApi.PatchAsync(request, settings, (TextGenerationPatch p) => Input(p), async (input, token) =>
        {
            await settings.SaveAsync(input, token);
            gate.Reset();
        }, Response, ct);

    public static Task<Results<Ok<TextGenerationTestResult>, ProblemHttpResult>> TestAsync(HttpRequest request, TextGenerationSettings settings,
        IHttpClientFactory http, CancellationToken ct) =>
        AiProviderApi.TestAsync(request, settings, (TextGenerationPatch? p) => p is null ? new TextGenerationConfigInput(null, null, null, null) : Input(p),
            http.CreateClient(NarrativesExtensions.HttpClientName), ct);

    private static TextGenerationConfigInput Input(TextGenerationPatch p) =>
        new(AiProviderApi.Provider(p), p.Model, p.BaseUrl, p.ApiKey, p.ClearApiKey ?? false, p.LlmPicksPerUser);

    private static TextGenerationResponse Response(TextGenerationConfig c) =>
        new(c.Provider, c.Model, c.BaseUrl, c.ApiKeySet, AiProviderApi.Source(c), c.LlmPicksPerUser);
}
