using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;

namespace Aperture.Settings;

public static class AiProviders
{
    // The one provider both keep under one key (openai.apiKey, or OPENAI_API_KEY).
    public const string OpenAi = "openai";
}

// Where one AI provider choice is stored (embeddings, narratives), with its offline choice and its OpenAI-compatible one.
public sealed record AiProviderKeys(SettingKey Provider, SettingKey Model, SettingKey BaseUrl, SettingKey CompatibleApiKey,
    string Offline, string Compatible, string CompatibleModelExample, string DefaultOpenAiModel)
{
    public IReadOnlyList<string> All => [Offline, AiProviders.OpenAi, Compatible];

    public SettingKey ApiKeyOf(string provider) => provider == Compatible ? CompatibleApiKey : SettingKeys.OpenAiApiKey;
}

// What both AI provider settings show: the provider, its model, a compatible server's base URL and whether the chosen
// provider's key is set and where from (never the key). OpenAiKeySet: the key OpenAI uses, shared by both.
public abstract record AiProviderConfig(string Provider, string? Model, string? BaseUrl, bool ApiKeySet, SettingSource ApiKeySource, bool OpenAiKeySet);

// A change, or a test's overrides: null keeps what is stored, and so does a missing key (ClearApiKey removes it).
public record AiProviderInput(string? Provider, string? Model, string? BaseUrl, string? ApiKey, bool ClearApiKey = false);

// The stored values of one provider choice as read in one query.
public sealed record AiProviderValues(string Provider, string? SavedModel, string? BaseUrl, SettingValue ApiKey, bool OpenAiKeySet,
    IReadOnlyDictionary<SettingKey, SettingValue> All)
{
    public bool ApiKeySet(string offline) => Provider != offline && ApiKey.HasValue;
    public SettingSource ApiKeySource(string offline) => Provider == offline ? SettingSource.None : ApiKey.Source;
}

// The connection a test or a job opens: the key typed (or the stored one), the model, a compatible server's URL.
public sealed record AiProviderConnection(string Provider, string? ApiKey, string Model, Uri? BaseUrl);

// One AI provider setting, the shape embeddings (EmbeddingSettings) and narratives (TextGenerationSettings) share: reading,
// the same validation messages, saving (the key encrypted at rest by SettingsStore; a save without a key keeps the stored
// one), the connection a job or a test opens, and the test flow of the page and the API (validated first, then one request).
// What differs stays in each: embeddings' known OpenAI models, narratives' picks per user and the shared OpenAI key, which
// only the embeddings section may remove.
public abstract class AiProviderSettings<TConfig, TInput, TTest>(SettingsStore store, AiProviderKeys keys)
    where TConfig : AiProviderConfig where TInput : AiProviderInput
{
    public const string BaseUrlError = "Enter the server's OpenAI-compatible base URL (absolute http or https), e.g. http://ollama:11434/v1.";
    public const string ApiKeyShapeError = "The API key looks wrong: paste it whole.";
    public const string OpenAiKeyMissingError = "OpenAI needs an API key (or set OPENAI_API_KEY).";

    protected SettingsStore Store => store;
    protected AiProviderKeys Keys => keys;

    // Whether clearing the key while OpenAI is chosen removes the shared OpenAI key.
    protected abstract bool MayClearOpenAiKey { get; }

    public abstract Task<TConfig> GetAsync(CancellationToken ct);

    public abstract Task<TTest> TestAsync(TInput input, HttpClient? http, CancellationToken ct);

    protected abstract TTest Failed(string error);

    // Null when the OpenAI model is acceptable, else the message.
    protected abstract string? OpenAiModelError(string model);

    public virtual Dictionary<string, string> Validate(TInput input, TConfig current)
    {
        var errors = new Dictionary<string, string>();
        var provider = input.Provider ?? current.Provider;
        if (!keys.All.Contains(provider))
        {
            errors["provider"] = $"Provider must be {keys.All[0]}, {keys.All[1]} or {keys.All[2]}.";
            return errors;
        }
        if (provider == keys.Offline)
        {
            return errors;
        }
        // No model at all means OpenAI's default; a blank one is a mistake.
        var model = (input.Model ?? (provider == current.Provider ? current.Model : null))?.Trim();
        if (provider == AiProviders.OpenAi && OpenAiModelError(model ?? keys.DefaultOpenAiModel) is { } modelError)
        {
            errors["model"] = modelError;
        }
        if (provider == keys.Compatible)
        {
            if (string.IsNullOrWhiteSpace(model) || model.Length > 200 || model.Any(char.IsWhiteSpace))
            {
                errors["model"] = $"Enter the model name the server knows, e.g. {keys.CompatibleModelExample} for Ollama.";
            }
            if ((input.BaseUrl ?? current.BaseUrl) is not { } url || SettingUrls.Normalize(url) is null)
            {
                errors["baseUrl"] = BaseUrlError;
            }
        }
        if (input.ApiKey is { } key && (key.Trim().Length is < 8 or > 512 || key.Trim().Any(char.IsWhiteSpace)))
        {
            errors["apiKey"] = ApiKeyShapeError;
        }
        if (provider == AiProviders.OpenAi && input.ClearApiKey && !MayClearOpenAiKey)
        {
            errors["clearApiKey"] = "The OpenAI key is shared with the embedding provider: replace it here, or remove it in the embeddings section.";
        }
        if (provider == AiProviders.OpenAi && string.IsNullOrWhiteSpace(input.ApiKey) && (input.ClearApiKey || !current.OpenAiKeySet))
        {
            errors.TryAdd("apiKey", OpenAiKeyMissingError);
        }
        return errors;
    }

    // The test flow of the page and the API: a test never removes a key; invalid input is the errors and a failed result.
    public async Task<(TTest Result, Dictionary<string, string> Errors)> ValidateAndTestAsync(TInput input, HttpClient? http, CancellationToken ct)
    {
        var test = input with { ClearApiKey = false };
        var errors = Validate(test, await GetAsync(ct));
        return errors.Count > 0 ? (Failed(string.Join(" ", errors.Values)), errors) : (await TestAsync(test, http, ct), errors);
    }

    protected async Task<AiProviderValues> ReadAsync(IReadOnlyCollection<SettingKey> extra, CancellationToken ct)
    {
        var v = await store.GetManyAsync([keys.Provider, keys.Model, keys.BaseUrl, keys.CompatibleApiKey, SettingKeys.OpenAiApiKey, .. extra], ct);
        var provider = v[keys.Provider].Value is { } p && keys.All.Contains(p) ? p : keys.Offline;
        // A cleared value is stored as empty.
        return new AiProviderValues(provider, v[keys.Model] is { HasValue: true } m ? m.Value : null,
            v[keys.BaseUrl] is { HasValue: true } u ? u.Value : null, v[keys.ApiKeyOf(provider)], v[SettingKeys.OpenAiApiKey].HasValue, v);
    }

    // Stages the provider, model, base URL and key; the caller stages its own values and commits (SettingsStore.SaveAsync).
    protected async Task StageAsync(TInput input, TConfig current, CancellationToken ct)
    {
        var provider = input.Provider ?? current.Provider;
        await store.SetAsync(keys.Provider, provider, ct);
        if (input.Model is not null)
        {
            await store.SetAsync(keys.Model, input.Model.Trim(), ct);
        }
        else if (provider != current.Provider && provider != keys.Offline)
        {
            // Another provider's model name means nothing here: OpenAI falls back to its default.
            await store.SetAsync(keys.Model, null, ct);
        }
        if (input.BaseUrl is not null)
        {
            await store.SetAsync(keys.BaseUrl, SettingUrls.Normalize(input.BaseUrl), ct);
        }
        if (provider == keys.Offline)
        {
            return;
        }
        if (!string.IsNullOrWhiteSpace(input.ApiKey))
        {
            await store.SetAsync(keys.ApiKeyOf(provider), input.ApiKey.Trim(), ct);
        }
        else if (input.ClearApiKey && (provider == keys.Compatible || MayClearOpenAiKey))
        {
            await store.SetAsync(keys.ApiKeyOf(provider), null, ct);
        }
    }

    // The connection for the saved choice with the given overrides; null for the offline choice or a compatible server
    // without a usable URL.
    protected async Task<AiProviderConnection?> ConnectionAsync(TInput? overrides, CancellationToken ct)
    {
        var current = await GetAsync(ct);
        var provider = overrides?.Provider ?? current.Provider;
        if (provider == keys.Offline)
        {
            return null;
        }
        var key = !string.IsNullOrWhiteSpace(overrides?.ApiKey) ? overrides.ApiKey.Trim() : (await store.GetAsync(keys.ApiKeyOf(provider), ct)).Value;
        var model = overrides?.Model?.Trim() is { Length: > 0 } typed ? typed
            : (provider == current.Provider ? current.Model : null) ?? keys.DefaultOpenAiModel;
        if (provider != keys.Compatible)
        {
            return new AiProviderConnection(provider, key, model, null);
        }
        return SettingUrls.Normalize(overrides?.BaseUrl ?? current.BaseUrl ?? "") is { } url
            ? new AiProviderConnection(provider, key, model, new Uri(url))
            : null;
    }
}

public static class SettingUrls
{
    // An absolute http(s) URL without user name, query or fragment, without its trailing slash; null otherwise.
    public static string? Normalize(string text)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment)
            || string.IsNullOrEmpty(uri.Host))
        {
            return null;
        }
        return uri.AbsoluteUri.TrimEnd('/');
    }
}

public static class AiProviderClients
{
    // The OpenAI SDK client both providers talk through: OpenAI itself, or a compatible server at baseUrl.
    public static OpenAIClient Create(string? apiKey, Uri? baseUrl, TimeSpan timeout, int maxRetries, HttpClient? http)
    {
        var options = new OpenAIClientOptions
        {
            // The SDK's policy retries 408/429/5xx with backoff and honours Retry-After.
            RetryPolicy = new ClientRetryPolicy(maxRetries),
            NetworkTimeout = timeout,
        };
        if (baseUrl is not null)
        {
            options.Endpoint = baseUrl;
        }
        if (http is not null)
        {
            options.Transport = new HttpClientPipelineTransport(http);
        }
        // Local servers usually need no key, but the SDK insists on one.
        return new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "no-key" : apiKey), options);
    }
}
