using Aperture.Auth;
using Aperture.Embeddings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aperture.Api;

public static class EmbeddingSettingsApi
{
    public sealed record EmbeddingModelResponse(string Provider, string? Model, string? BaseUrl, bool ApiKeySet, string ApiKeySource, string ModelKey)
        : AiProviderResponse(Provider, Model, BaseUrl, ApiKeySet, ApiKeySource);

    public static void MapEmbeddingSettingsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/settings").RequireAuthorization(ClaimsPrincipalExtensions.AdminPolicy);
        group.MapGet("/embedding-model", GetAsync);
        group.MapPatch("/embedding-model", PatchAsync);
        group.MapPost("/embedding-model/test", TestAsync);
        group.MapGet("/cost-inputs", GetCostInputsAsync);
    }

    public static async Task<Ok<EmbeddingModelResponse>> GetAsync(EmbeddingSettings settings, CancellationToken ct) =>
        TypedResults.Ok(Response(await settings.GetAsync(ct)));

    public static Task<Results<Ok<EmbeddingModelResponse>, ProblemHttpResult>> PatchAsync(HttpRequest request, EmbeddingSettings settings,
        CancellationToken ct) =>
        AiProviderApi.PatchAsync(request, settings, (AiProviderPatch p) => Input(p), settings.SaveAsync, Response, ct);

    public static Task<Results<Ok<EmbeddingTestResult>, ProblemHttpResult>> TestAsync(HttpRequest request, EmbeddingSettings settings,
        IHttpClientFactory http, CancellationToken ct) =>
        AiProviderApi.TestAsync(request, settings, (AiProviderPatch? p) => p is null ? new EmbeddingConfigInput(null, null, null, null) : Input(p),
            http.CreateClient(EmbeddingsExtensions.HttpClientName), ct);

    public static async Task<Ok<CostInputs>> GetCostInputsAsync(EmbeddingCostEstimator estimator, CancellationToken ct) =>
        TypedResults.Ok(await estimator.EstimateAsync(ct));

    private static EmbeddingConfigInput Input(AiProviderPatch p) =>
        new(AiProviderApi.Provider(p), p.Model, p.BaseUrl, p.ApiKey, p.ClearApiKey ?? false);

    private static EmbeddingModelResponse Response(EmbeddingConfig c) =>
        new(c.Provider, c.Model, c.BaseUrl, c.ApiKeySet, AiProviderApi.Source(c), c.ModelKey);
}
