using Aperture.Auth;
using Aperture.Embeddings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aperture.Api;

public static class EmbeddingSettingsApi
{
    public sealed record EmbeddingModelPatch(string? Provider, string? Model, string? BaseUrl, string? ApiKey, bool? ClearApiKey);

    public sealed record EmbeddingModelResponse(string Provider, string Model, string? BaseUrl, bool ApiKeySet, string ApiKeySource, string ModelKey);

    public static void MapEmbeddingSettingsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/settings").RequireAuthorization(ClaimsPrincipalExtensions.AdminPolicy);
        group.MapGet("/embedding-model", GetAsync);
        group.MapPatch("/embedding-model", PatchAsync);
        group.MapPost("/embedding-model/test", TestAsync);
        group.MapGet("/cost-inputs", CostInputsAsync);
    }

    public static async Task<Ok<EmbeddingModelResponse>> GetAsync(EmbeddingSettings settings, CancellationToken ct) =>
        TypedResults.Ok(Response(await settings.GetAsync(ct)));

    public static async Task<Results<Ok<EmbeddingModelResponse>, ProblemHttpResult>> PatchAsync(HttpRequest request, EmbeddingSettings settings,
        CancellationToken ct)
    {
        var (patch, error) = await ApiJson.ReadAsync<EmbeddingModelPatch>(request, ct);
        if (error is not null)
        {
            return error;
        }
        var input = new EmbeddingConfigInput(patch!.Provider?.ToLowerInvariant(), patch.Model, patch.BaseUrl, patch.ApiKey, patch.ClearApiKey ?? false);
        var errors = EmbeddingSettings.Validate(input, await settings.GetAsync(ct));
        if (errors.Count > 0)
        {
            return ApiJson.Invalid(errors);
        }
        await settings.SaveAsync(input, ct);
        return TypedResults.Ok(Response(await settings.GetAsync(ct)));
    }

    public static async Task<Results<Ok<EmbeddingTestResult>, ProblemHttpResult>> TestAsync(HttpRequest request, EmbeddingSettings settings,
        IHttpClientFactory http, CancellationToken ct)
    {
        var input = new EmbeddingConfigInput(null, null, null, null);
        if (ApiJson.HasBody(request))
        {
            var (patch, error) = await ApiJson.ReadAsync<EmbeddingModelPatch>(request, ct);
            if (error is not null)
            {
                return error;
            }
            input = new EmbeddingConfigInput(patch!.Provider?.ToLowerInvariant(), patch.Model, patch.BaseUrl, patch.ApiKey);
            var errors = EmbeddingSettings.Validate(input, await settings.GetAsync(ct));
            if (errors.Count > 0)
            {
                return ApiJson.Invalid(errors);
            }
        }
        return TypedResults.Ok(await settings.TestAsync(input, http.CreateClient(EmbeddingsExtensions.HttpClientName), ct));
    }

    public static async Task<Ok<CostInputs>> CostInputsAsync(EmbeddingCostEstimator estimator, CancellationToken ct) =>
        TypedResults.Ok(await estimator.EstimateAsync(ct));

    private static EmbeddingModelResponse Response(EmbeddingConfig c) =>
        new(c.Provider, c.Model, c.BaseUrl, c.ApiKeySet, c.ApiKeySource.ToString().ToLowerInvariant(), c.ModelKey);
}
