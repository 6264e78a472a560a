using System.Diagnostics;
using System.Globalization;
using Aperture.MediaServers;
using Aperture.Settings;
using Microsoft.Extensions.Options;

namespace Aperture.Narratives;

public static class TextGenerationProviders
{
    public const string None = "none";
    public const string OpenAi = "openai";
    public const string Compatible = "openai-compatible";
    public static readonly string[] All = [None, OpenAi, Compatible];
}

// HasApiKey is about the chosen provider's key; OpenAiKeySet about the key shared with the embedding provider.
public sealed record TextGenerationConfig(string Provider, string? Model, string? BaseUrl, bool HasApiKey, SettingSource ApiKeySource,
    int LlmPicksPerUser, bool OpenAiKeySet);

public sealed record TextGenerationConfigInput(string? Provider, string? Model, string? BaseUrl, string? ApiKey, bool ClearApiKey = false,
    int? LlmPicksPerUser = null);

public sealed record TextGenerationTestResult(bool Ok, string? Reply, string Source, double? LatencyMs, string? Error);

public sealed class NarrativeOptions
{
    // Per request; the whole exchange (retries included) gets this times the attempts.
    public int TimeoutSeconds { get; set; } = 30;
    public int MaxRetries { get; set; } = 1;
    // Requests in flight to the text model across the whole process.
    public int MaxConcurrency { get; set; } = 4;
    // After a failure the model is left alone this long and everything is written locally.
    public int PauseAfterFailureSeconds { get; set; } = 120;
}

// Which text model writes narratives: none (the built-in writer), OpenAI, or an OpenAI-compatible server.
public sealed class TextGenerationSettings(SettingsStore store, IOptions<NarrativeOptions> options)
{
    public const string DefaultOpenAiModel = "gpt-4o-mini";
    public const int DefaultLlmPicksPerUser = 10;
    public const int MaxLlmPicksPerUser = 200;

    public async Task<TextGenerationConfig> GetAsync(CancellationToken ct)
    {
        var v = await store.GetManyAsync([SettingKeys.TextGenerationProvider, SettingKeys.TextGenerationModel, SettingKeys.TextGenerationBaseUrl,
            SettingKeys.TextGenerationCompatibleApiKey, SettingKeys.OpenAiApiKey, SettingKeys.TextGenerationLlmPicksPerUser], ct);
        var provider = v[SettingKeys.TextGenerationProvider].Value is { } p && TextGenerationProviders.All.Contains(p) ? p : TextGenerationProviders.None;
        var key = provider == TextGenerationProviders.Compatible ? v[SettingKeys.TextGenerationCompatibleApiKey] : v[SettingKeys.OpenAiApiKey];
        // A cleared value is stored as empty.
        var savedModel = v[SettingKeys.TextGenerationModel] is { HasValue: true } m ? m.Value : null;
        var model = provider switch
        {
            TextGenerationProviders.None => null,
            TextGenerationProviders.OpenAi => savedModel ?? DefaultOpenAiModel,
            _ => savedModel,
        };
        var perUser = int.TryParse(v[SettingKeys.TextGenerationLlmPicksPerUser].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n : DefaultLlmPicksPerUser;
        return new TextGenerationConfig(provider, model, v[SettingKeys.TextGenerationBaseUrl] is { HasValue: true } u ? u.Value : null,
            provider != TextGenerationProviders.None && key.HasValue, provider == TextGenerationProviders.None ? SettingSource.None : key.Source,
            perUser, v[SettingKeys.OpenAiApiKey].HasValue);
    }

    public static Dictionary<string, string> Validate(TextGenerationConfigInput input, TextGenerationConfig current)
    {
        var errors = new Dictionary<string, string>();
        var provider = input.Provider ?? current.Provider;
        if (!TextGenerationProviders.All.Contains(provider))
        {
            errors["provider"] = "Provider must be none, openai or openai-compatible.";
            return errors;
        }
        if (input.LlmPicksPerUser is < 0 or > MaxLlmPicksPerUser)
        {
            errors["llmPicksPerUser"] = $"Picks per user written by the model must be between 0 and {MaxLlmPicksPerUser}.";
        }
        if (provider == TextGenerationProviders.None)
        {
            return errors;
        }
        var model = input.Model ?? (provider == current.Provider ? current.Model : null) ?? (provider == TextGenerationProviders.OpenAi ? DefaultOpenAiModel : null);
        if (string.IsNullOrWhiteSpace(model) || model.Trim().Length > 200 || model.Trim().Any(char.IsWhiteSpace))
        {
            errors["model"] = provider == TextGenerationProviders.OpenAi
                ? "Enter an OpenAI chat model, e.g. gpt-4o-mini."
                : "Enter the model name the server knows, e.g. llama3.2 for Ollama.";
        }
        if (provider == TextGenerationProviders.Compatible)
        {
            var url = input.BaseUrl ?? current.BaseUrl;
            if (url is null || MediaServerSettings.NormalizeUrl(url) is null)
            {
                errors["baseUrl"] = "Enter the server's OpenAI-compatible base URL (absolute http or https), e.g. http://ollama:11434/v1.";
            }
        }
        if (input.ApiKey is { } key && (key.Trim().Length is < 8 or > 512 || key.Trim().Any(char.IsWhiteSpace)))
        {
            errors["apiKey"] = "The API key looks wrong: paste it whole.";
        }
        if (provider == TextGenerationProviders.OpenAi && input.ClearApiKey)
        {
            errors["clearApiKey"] = "The OpenAI key is shared with the embedding provider: replace it here, or remove it in the embeddings section.";
        }
        if (provider == TextGenerationProviders.OpenAi && string.IsNullOrWhiteSpace(input.ApiKey) && !current.OpenAiKeySet)
        {
            errors.TryAdd("apiKey", "OpenAI needs an API key (or set OPENAI_API_KEY).");
        }
        return errors;
    }

    public async Task SaveAsync(TextGenerationConfigInput input, CancellationToken ct)
    {
        var current = await GetAsync(ct);
        var provider = input.Provider ?? current.Provider;
        await store.SetAsync(SettingKeys.TextGenerationProvider, provider, ct);
        if (input.Model is not null)
        {
            await store.SetAsync(SettingKeys.TextGenerationModel, input.Model.Trim(), ct);
        }
        else if (provider != current.Provider && provider != TextGenerationProviders.None)
        {
            // Another provider's model name means nothing here: OpenAI falls back to its default.
            await store.SetAsync(SettingKeys.TextGenerationModel, null, ct);
        }
        if (input.BaseUrl is not null)
        {
            await store.SetAsync(SettingKeys.TextGenerationBaseUrl, MediaServerSettings.NormalizeUrl(input.BaseUrl), ct);
        }
        if (input.LlmPicksPerUser is { } perUser)
        {
            await store.SetAsync(SettingKeys.TextGenerationLlmPicksPerUser, perUser.ToString(CultureInfo.InvariantCulture), ct);
        }
        if (provider != TextGenerationProviders.None)
        {
            var keySetting = provider == TextGenerationProviders.Compatible ? SettingKeys.TextGenerationCompatibleApiKey : SettingKeys.OpenAiApiKey;
            if (!string.IsNullOrWhiteSpace(input.ApiKey))
            {
                await store.SetAsync(keySetting, input.ApiKey.Trim(), ct);
            }
            else if (input.ClearApiKey && provider == TextGenerationProviders.Compatible)
            {
                await store.SetAsync(keySetting, null, ct);
            }
        }
        await store.SaveAsync(ct);
    }

    // The generator for the saved configuration with the given overrides; null when the built-in writer is chosen.
    public async Task<ChatTextGenerator?> CreateGeneratorAsync(TextGenerationConfigInput? overrides, HttpClient? http, CancellationToken ct)
    {
        var current = await GetAsync(ct);
        var provider = overrides?.Provider ?? current.Provider;
        if (provider == TextGenerationProviders.None)
        {
            return null;
        }
        var keySetting = provider == TextGenerationProviders.Compatible ? SettingKeys.TextGenerationCompatibleApiKey : SettingKeys.OpenAiApiKey;
        var key = !string.IsNullOrWhiteSpace(overrides?.ApiKey) ? overrides.ApiKey.Trim() : (await store.GetAsync(keySetting, ct)).Value;
        var model = overrides?.Model?.Trim() ?? (provider == current.Provider ? current.Model : null) ?? DefaultOpenAiModel;
        var url = provider == TextGenerationProviders.Compatible ? MediaServerSettings.NormalizeUrl(overrides?.BaseUrl ?? current.BaseUrl ?? "") : null;
        if (provider == TextGenerationProviders.Compatible && url is null)
        {
            return null;
        }
        var o = options.Value;
        return ChatTextGenerator.Create(new ChatTextOptions(model, key, url is null ? null : new Uri(url),
            TimeSpan.FromSeconds(o.TimeoutSeconds), o.MaxRetries), http);
    }

    // "Test": a one-line reply from the given (or saved) model, or the classified error.
    public async Task<TextGenerationTestResult> TestAsync(TextGenerationConfigInput input, HttpClient? http, CancellationToken ct)
    {
        using var generator = await CreateGeneratorAsync(input, http, ct);
        if (generator is null)
        {
            return new TextGenerationTestResult(true, "The built-in writer needs no model: narratives are written locally.", Narrative.LocalSource, 0, null);
        }
        var clock = Stopwatch.StartNew();
        try
        {
            var reply = await generator.AskAsync("You are a connection test. Reply with one short line of plain text.",
                "Say hello to the Aperture administrator in one short sentence.", 40, ct);
            return new TextGenerationTestResult(true, reply, Narrative.LlmSource(generator.Model), clock.Elapsed.TotalMilliseconds, null);
        }
        catch (TextGenerationException e)
        {
            return new TextGenerationTestResult(false, null, Narrative.LlmSource(generator.Model), null, e.Message);
        }
    }
}
