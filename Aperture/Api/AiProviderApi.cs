using Aperture.Settings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aperture.Api;

// The body of both AI provider routes (embeddings, narratives), for a change and for a test: a missing field keeps what is
// stored, a missing apiKey keeps the stored key, clearApiKey removes it.
public record AiProviderPatch(string? Provider, string? Model, string? BaseUrl, string? ApiKey, bool? ClearApiKey);

// What both answer: apiKeySet and where the key comes from (none, environment, database), never the key.
public record AiProviderResponse(string Provider, string? Model, string? BaseUrl, bool ApiKeySet, string ApiKeySource);

// The one flow of both AI provider settings APIs: the change validated against what is stored and saved (the key encrypted
// at rest), the test validated first and never removing a key.
public static class AiProviderApi
{
    public static string? Provider(AiProviderPatch patch) => patch.Provider?.Trim().ToLowerInvariant();

    public static string Source(AiProviderConfig config) => config.ApiKeySource.ToString().ToLowerInvariant();

    public static async Task<Results<Ok<TResponse>, ProblemHttpResult>> PatchAsync<TPatch, TConfig, TInput, TTest, TResponse>(HttpRequest request,
        AiProviderSettings<TConfig, TInput, TTest> settings, Func<TPatch, TInput> toInput, Func<TInput, CancellationToken, Task> save,
        Func<TConfig, TResponse> toResponse, CancellationToken ct)
        where TPatch : AiProviderPatch where TConfig : AiProviderConfig where TInput : AiProviderInput
    {
        var (patch, error) = await ApiJson.ReadAsync<TPatch>(request, ct);
        if (error is not null)
        {
            return error;
        }
        var input = toInput(patch!);
        var errors = settings.Validate(input, await settings.GetAsync(ct));
        if (errors.Count > 0)
        {
            return ApiJson.Invalid(errors);
        }
        await save(input, ct);
        return TypedResults.Ok(toResponse(await settings.GetAsync(ct)));
    }

    // Without a body the saved choice is tested; with one, its values over the saved ones.
    public static async Task<Results<Ok<TTest>, ProblemHttpResult>> TestAsync<TPatch, TConfig, TInput, TTest>(HttpRequest request,
        AiProviderSettings<TConfig, TInput, TTest> settings, Func<TPatch?, TInput> toInput, HttpClient http, CancellationToken ct)
        where TPatch : AiProviderPatch where TConfig : AiProviderConfig where TInput : AiProviderInput
    {
        TPatch? patch = null;
        if (ApiJson.HasBody(request))
        {
            (patch, var error) = await ApiJson.ReadAsync<TPatch>(request, ct);
            if (error is not null)
            {
                return error;
            }
        }
        var (result, errors) = await settings.ValidateAndTestAsync(toInput(patch), http, ct);
        return errors.Count > 0 ? ApiJson.Invalid(errors) : TypedResults.Ok(result);
    }
}
