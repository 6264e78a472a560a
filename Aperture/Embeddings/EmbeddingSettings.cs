using System.Diagnostics;
using Aperture.MediaServers;
using Aperture.Settings;

namespace Aperture.Embeddings;

public static class EmbeddingProviders
{
    public const string Local = "local";
    public const string OpenAi = "openai";
    public const string Compatible = "compatible";
    public static readonly string[] All = [Local, OpenAi, Compatible];
}

public sealed record EmbeddingConfig(string Provider, string Model, string? BaseUrl, bool ApiKeySet, SettingSource ApiKeySource)
{
    // What identifies a vector set: vectors of different keys never meet in one search.
    public string ModelKey => Provider == EmbeddingProviders.Local ? "local" : $"{Provider}:{Model}";
}

public sealed record EmbeddingConfigInput(string? Provider, string? Model, string? BaseUrl, string? ApiKey, bool ClearApiKey = false);

public sealed record EmbeddingTestResult(bool Ok, int? Dimensions, double? LatencyMs, string? Error);

public sealed class EmbeddingSettings(SettingsStore store, IConfiguration configuration)
{
    public const string DefaultOpenAiModel = "text-embedding-3-small";
    private const string SampleText = "The Matrix (1999). Movie. Genres: Action, Science Fiction. A hacker learns that his world is a simulation.";

    public async Task<EmbeddingConfig> GetAsync(CancellationToken ct)
    {
        var v = await store.GetManyAsync([SettingKeys.EmbeddingProvider, SettingKeys.EmbeddingModel, SettingKeys.EmbeddingBaseUrl,
            SettingKeys.OpenAiApiKey, SettingKeys.EmbeddingCompatibleApiKey], ct);
        var provider = v[SettingKeys.EmbeddingProvider].Value is { } p && EmbeddingProviders.All.Contains(p) ? p : EmbeddingProviders.Local;
        var key = provider == EmbeddingProviders.Compatible ? v[SettingKeys.EmbeddingCompatibleApiKey] : v[SettingKeys.OpenAiApiKey];
        var model = provider switch
        {
            EmbeddingProviders.Local => $"local-tfidf-{LocalEmbeddingModel.DefaultDimensions}",
            _ => v[SettingKeys.EmbeddingModel].Value ?? DefaultOpenAiModel,
        };
        return new EmbeddingConfig(provider, model, v[SettingKeys.EmbeddingBaseUrl].Value, key.HasValue, key.Source);
    }

    public static Dictionary<string, string> Validate(EmbeddingConfigInput input, EmbeddingConfig current)
    {
        var errors = new Dictionary<string, string>();
        var provider = input.Provider ?? current.Provider;
        if (!EmbeddingProviders.All.Contains(provider))
        {
            errors["provider"] = "Provider must be local, openai or compatible.";
            return errors;
        }
        var model = input.Model ?? (provider == current.Provider ? current.Model : null);
        if (provider == EmbeddingProviders.OpenAi && !KnownEmbeddingModels.OpenAi.ContainsKey(model ?? DefaultOpenAiModel))
        {
            errors["model"] = $"OpenAI model must be one of {string.Join(", ", KnownEmbeddingModels.OpenAi.Keys)}.";
        }
        if (provider == EmbeddingProviders.Compatible)
        {
            if (string.IsNullOrWhiteSpace(model) || model.Length > 200)
            {
                errors["model"] = "Enter the model name the server knows, e.g. nomic-embed-text for Ollama.";
            }
            var url = input.BaseUrl ?? current.BaseUrl;
            if (url is null || MediaServerSettings.NormalizeUrl(url) is null)
            {
                errors["baseUrl"] = "Enter the server's OpenAI-compatible base URL, e.g. http://ollama:11434/v1.";
            }
        }
        if (input.ApiKey is { } key && (key.Trim().Length is < 8 or > 512 || key.Trim().Any(char.IsWhiteSpace)))
        {
            errors["apiKey"] = "The API key looks wrong: paste it whole.";
        }
        if (provider == EmbeddingProviders.OpenAi && string.IsNullOrWhiteSpace(input.ApiKey) && (input.ClearApiKey || !current.ApiKeySet))
        {
            errors["apiKey"] = "OpenAI needs an API key (or set OPENAI_API_KEY).";
        }
        return errors;
    }

    public async Task SaveAsync(EmbeddingConfigInput input, CancellationToken ct)
    {
        var provider = input.Provider ?? (await GetAsync(ct)).Provider;
        await store.SetAsync(SettingKeys.EmbeddingProvider, provider, ct);
        if (input.Model is not null)
        {
            await store.SetAsync(SettingKeys.EmbeddingModel, input.Model.Trim(), ct);
        }
        if (input.BaseUrl is not null)
        {
            await store.SetAsync(SettingKeys.EmbeddingBaseUrl, MediaServerSettings.NormalizeUrl(input.BaseUrl), ct);
        }
        var keySetting = provider == EmbeddingProviders.Compatible ? SettingKeys.EmbeddingCompatibleApiKey : SettingKeys.OpenAiApiKey;
        if (!string.IsNullOrWhiteSpace(input.ApiKey))
        {
            await store.SetAsync(keySetting, input.ApiKey.Trim(), ct);
        }
        else if (input.ClearApiKey)
        {
            await store.SetAsync(keySetting, null, ct);
        }
        await store.SaveAsync(ct);
    }

    // The provider for a remote configuration (null for the local one, which is fitted on the catalogue).
    public async Task<RemoteEmbeddingProvider?> CreateRemoteAsync(EmbeddingConfigInput? overrides, HttpClient? http, CancellationToken ct)
    {
        var current = await GetAsync(ct);
        var provider = overrides?.Provider ?? current.Provider;
        if (provider == EmbeddingProviders.Local)
        {
            return null;
        }
        var keySetting = provider == EmbeddingProviders.Compatible ? SettingKeys.EmbeddingCompatibleApiKey : SettingKeys.OpenAiApiKey;
        var key = !string.IsNullOrWhiteSpace(overrides?.ApiKey) ? overrides.ApiKey.Trim() : (await store.GetAsync(keySetting, ct)).Value;
        var model = overrides?.Model ?? (provider == current.Provider ? current.Model : DefaultOpenAiModel);
        var url = provider == EmbeddingProviders.Compatible ? MediaServerSettings.NormalizeUrl(overrides?.BaseUrl ?? current.BaseUrl ?? "") : null;
        var timeout = TimeSpan.FromSeconds(configuration.GetValue("Embeddings:TimeoutSeconds", 60));
        var retries = configuration.GetValue("Embeddings:MaxRetries", 3);
        return RemoteEmbeddingProvider.Create(new RemoteEmbeddingOptions(model, key, url is null ? null : new Uri(url), null, timeout, retries), http);
    }

    // "Test": embed one sample and report the size and the time it took.
    public async Task<EmbeddingTestResult> TestAsync(EmbeddingConfigInput input, HttpClient? http, CancellationToken ct)
    {
        if ((input.Provider ?? (await GetAsync(ct)).Provider) == EmbeddingProviders.Local)
        {
            var clock = Stopwatch.StartNew();
            var sample = new TitleDocument("sample", Data.MediaKind.Movie, "The Matrix", 1999, ["Action", "Science Fiction"], [], [], [], [], null, SampleText, []);
            var model = LocalEmbeddingModel.Fit([sample, sample]);
            return new EmbeddingTestResult(true, model.Embed(sample).Length, clock.Elapsed.TotalMilliseconds, null);
        }
        using var remote = await CreateRemoteAsync(input, http, ct);
        try
        {
            var clock = Stopwatch.StartNew();
            var batch = await remote!.EmbedAsync([SampleText], ct);
            return new EmbeddingTestResult(true, batch.Vectors[0].Length, clock.Elapsed.TotalMilliseconds, null);
        }
        catch (EmbeddingProviderException e)
        {
            return new EmbeddingTestResult(false, null, null, e.Message);
        }
    }
}
