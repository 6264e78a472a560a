using System.Diagnostics;
using Aperture.Settings;

namespace Aperture.Embeddings;

public static class EmbeddingProviders
{
    public const string Local = "local";
    public const string OpenAi = AiProviders.OpenAi;
    public const string Compatible = "compatible";
    public static readonly string[] All = [Local, OpenAi, Compatible];
}

public sealed record EmbeddingConfig(string Provider, string Model, string? BaseUrl, bool ApiKeySet, SettingSource ApiKeySource, bool OpenAiKeySet)
    : AiProviderConfig(Provider, Model, BaseUrl, ApiKeySet, ApiKeySource, OpenAiKeySet)
{
    // Always set for embeddings (the local model has a name too).
    public new string Model => base.Model!;

    // What identifies a vector set: vectors of different keys never meet in one search.
    public string ModelKey => Provider == EmbeddingProviders.Local ? "local" : $"{Provider}:{Model}";
}

public sealed record EmbeddingConfigInput(string? Provider, string? Model, string? BaseUrl, string? ApiKey, bool ClearApiKey = false)
    : AiProviderInput(Provider, Model, BaseUrl, ApiKey, ClearApiKey);

public sealed record EmbeddingTestResult(bool Ok, int? Dimensions, double? LatencyMs, string? Error);

// Which model embeds titles: the local one (fitted on the catalogue), OpenAI, or an OpenAI-compatible server.
public sealed class EmbeddingSettings(SettingsStore store, IConfiguration configuration)
    : AiProviderSettings<EmbeddingConfig, EmbeddingConfigInput, EmbeddingTestResult>(store, EmbeddingKeys)
{
    public const string DefaultOpenAiModel = "text-embedding-3-small";
    private const string SampleText = "The Matrix (1999). Movie. Genres: Action, Science Fiction. A hacker learns that his world is a simulation.";

    private static readonly AiProviderKeys EmbeddingKeys = new(SettingKeys.EmbeddingProvider, SettingKeys.EmbeddingModel, SettingKeys.EmbeddingBaseUrl,
        SettingKeys.EmbeddingCompatibleApiKey, EmbeddingProviders.Local, EmbeddingProviders.Compatible, "nomic-embed-text", DefaultOpenAiModel);

    // The embeddings section owns the shared OpenAI key: it may remove it.
    protected override bool MayClearOpenAiKey => true;

    public override async Task<EmbeddingConfig> GetAsync(CancellationToken ct)
    {
        var v = await ReadAsync([], ct);
        var model = v.Provider == EmbeddingProviders.Local ? $"local-tfidf-{LocalEmbeddingModel.DefaultDimensions}" : v.SavedModel ?? DefaultOpenAiModel;
        return new EmbeddingConfig(v.Provider, model, v.BaseUrl, v.ApiKeySet(EmbeddingProviders.Local), v.ApiKeySource(EmbeddingProviders.Local), v.OpenAiKeySet);
    }

    // Only models whose size and price are known: the vector store and the cost estimate need both.
    protected override string? OpenAiModelError(string model) => KnownEmbeddingModels.OpenAi.ContainsKey(model)
        ? null : $"OpenAI model must be one of {string.Join(", ", KnownEmbeddingModels.OpenAi.Keys)}.";

    public async Task SaveAsync(EmbeddingConfigInput input, CancellationToken ct)
    {
        await StageAsync(input, await GetAsync(ct), ct);
        await Store.SaveAsync(ct);
    }

    // The provider for a remote configuration (null for the local one, which is fitted on the catalogue).
    public async Task<RemoteEmbeddingProvider?> CreateRemoteAsync(EmbeddingConfigInput? overrides, HttpClient? http, CancellationToken ct)
    {
        if (await ConnectionAsync(overrides, ct) is not { } c)
        {
            return (overrides?.Provider ?? (await GetAsync(ct)).Provider) == EmbeddingProviders.Local ? null
                : throw new EmbeddingProviderException(AiProviderSettings<EmbeddingConfig, EmbeddingConfigInput, EmbeddingTestResult>.BaseUrlError);
        }
        var timeout = TimeSpan.FromSeconds(configuration.GetValue("Embeddings:TimeoutSeconds", 60));
        var retries = configuration.GetValue("Embeddings:MaxRetries", 3);
        return RemoteEmbeddingProvider.Create(new RemoteEmbeddingOptions(c.Model, c.ApiKey, c.BaseUrl, null, timeout, retries), http);
    }

    protected override EmbeddingTestResult Failed(string error) => new(false, null, null, error);

    // "Test": embed one sample and report the size and the time it took.
    public override async Task<EmbeddingTestResult> TestAsync(EmbeddingConfigInput input, HttpClient? http, CancellationToken ct)
    {
        if ((input.Provider ?? (await GetAsync(ct)).Provider) == EmbeddingProviders.Local)
        {
            var clock = Stopwatch.StartNew();
            var sample = new TitleDocument("sample", Data.MediaKind.Movie, "The Matrix", 1999, ["Action", "Science Fiction"], [], [], [], [], null, SampleText, []);
            var model = LocalEmbeddingModel.Fit([sample, sample]);
            return new EmbeddingTestResult(true, model.Embed(sample).Length, clock.Elapsed.TotalMilliseconds, null);
        }
        try
        {
            using var remote = await CreateRemoteAsync(input, http, ct);
            var clock = Stopwatch.StartNew();
            var batch = await remote!.EmbedAsync([SampleText], ct);
            return new EmbeddingTestResult(true, batch.Vectors[0].Length, clock.Elapsed.TotalMilliseconds, null);
        }
        catch (EmbeddingProviderException e)
        {
            return Failed(e.Message);
        }
    }
}
