using System.Diagnostics;
using System.Globalization;
using Aperture.Settings;
using Microsoft.Extensions.Options;

namespace Aperture.Narratives;

public static class TextGenerationProviders
{
    public const string None = "none";
    public const string OpenAi = AiProviders.OpenAi;
    public const string Compatible = "openai-compatible";
    public static readonly string[] All = [None, OpenAi, Compatible];
}

public sealed record TextGenerationConfig(string Provider, string? Model, string? BaseUrl, bool ApiKeySet, SettingSource ApiKeySource,
    bool OpenAiKeySet, int LlmPicksPerUser) : AiProviderConfig(Provider, Model, BaseUrl, ApiKeySet, ApiKeySource, OpenAiKeySet);

public sealed record TextGenerationConfigInput(string? Provider, string? Model, string? BaseUrl, string? ApiKey, bool ClearApiKey = false,
    int? LlmPicksPerUser = null) : AiProviderInput(Provider, Model, BaseUrl, ApiKey, ClearApiKey);

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
    : AiProviderSettings<TextGenerationConfig, TextGenerationConfigInput, TextGenerationTestResult>(store, TextKeys)
{
    public const string DefaultOpenAiModel = "gpt-4o-mini";
    public const int DefaultLlmPicksPerUser = 10;
    public const int MaxLlmPicksPerUser = 200;

    private static readonly AiProviderKeys TextKeys = new(SettingKeys.TextGenerationProvider, SettingKeys.TextGenerationModel,
        SettingKeys.TextGenerationBaseUrl, SettingKeys.TextGenerationCompatibleApiKey, TextGenerationProviders.None, TextGenerationProviders.Compatible,
        "llama3.2", DefaultOpenAiModel);

    // The OpenAI key is the embedding provider's too: only the embeddings section removes it.
    protected override bool MayClearOpenAiKey => false;

    public override async Task<TextGenerationConfig> GetAsync(CancellationToken ct)
    {
        var v = await ReadAsync([SettingKeys.TextGenerationLlmPicksPerUser], ct);
        var model = v.Provider switch
        {
            TextGenerationProviders.None => null,
            TextGenerationProviders.OpenAi => v.SavedModel ?? DefaultOpenAiModel,
            _ => v.SavedModel,
        };
        var perUser = int.TryParse(v.All[SettingKeys.TextGenerationLlmPicksPerUser].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n : DefaultLlmPicksPerUser;
        return new TextGenerationConfig(v.Provider, model, v.BaseUrl, v.ApiKeySet(TextGenerationProviders.None),
            v.ApiKeySource(TextGenerationProviders.None), v.OpenAiKeySet, perUser);
    }

    protected override string? OpenAiModelError(string model) =>
        model.Length is 0 or > 200 || model.Any(char.IsWhiteSpace) ? "Enter an OpenAI chat model, e.g. gpt-4o-mini." : null;

    public override Dictionary<string, string> Validate(TextGenerationConfigInput input, TextGenerationConfig current)
    {
        var errors = base.Validate(input, current);
        if (input.LlmPicksPerUser is < 0 or > MaxLlmPicksPerUser)
        {
            errors["llmPicksPerUser"] = $"Picks per user written by the model must be between 0 and {MaxLlmPicksPerUser}.";
        }
        return errors;
    }

    public async Task SaveAsync(TextGenerationConfigInput input, CancellationToken ct)
    {
        await StageAsync(input, await GetAsync(ct), ct);
        if (input.LlmPicksPerUser is { } perUser)
        {
            await Store.SetAsync(SettingKeys.TextGenerationLlmPicksPerUser, perUser.ToString(CultureInfo.InvariantCulture), ct);
        }
        await Store.SaveAsync(ct);
    }

    // The generator for the saved configuration with the given overrides; null when the built-in writer is chosen.
    public async Task<ChatTextGenerator?> CreateGeneratorAsync(TextGenerationConfigInput? overrides, HttpClient? http, CancellationToken ct)
    {
        if (await ConnectionAsync(overrides, ct) is not { } c)
        {
            return null;
        }
        var o = options.Value;
        return ChatTextGenerator.Create(new ChatTextOptions(c.Model, c.ApiKey, c.BaseUrl, TimeSpan.FromSeconds(o.TimeoutSeconds), o.MaxRetries), http);
    }

    protected override TextGenerationTestResult Failed(string error) => new(false, null, Narrative.LocalSource, null, error);

    // "Test": a one-line reply from the given (or saved) model, or the classified error.
    public override async Task<TextGenerationTestResult> TestAsync(TextGenerationConfigInput input, HttpClient? http, CancellationToken ct)
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
