using System.ClientModel;
using System.Text.Json;
using Aperture.Settings;
using Microsoft.Extensions.AI;

namespace Aperture.Embeddings;

public enum EmbeddingErrorKind { Unauthorized, RateLimited, ServerError, Timeout, Unreachable, BadResponse, WrongDimensions, BadRequest }

public sealed class EmbeddingProviderException : Exception
{
    public EmbeddingProviderException(EmbeddingErrorKind kind, string message, Exception? inner = null) : base(message, inner) => Kind = kind;
    public EmbeddingProviderException() { }
    public EmbeddingProviderException(string message) : base(message) { }
    public EmbeddingProviderException(string message, Exception inner) : base(message, inner) { }

    public EmbeddingErrorKind Kind { get; }
}

// OpenAI, or any server speaking its /v1/embeddings (Ollama, LM Studio, LocalAI, vLLM).
public sealed record RemoteEmbeddingOptions(string Model, string? ApiKey, Uri? BaseUrl = null, int? ExpectedDimensions = null,
    TimeSpan? Timeout = null, int MaxRetries = 3);

public sealed record EmbeddingBatch(IReadOnlyList<float[]> Vectors, long InputTokens);

// Known OpenAI models: dimensions and price per million input tokens (USD), for the cost estimate.
public static class KnownEmbeddingModels
{
    public static readonly IReadOnlyDictionary<string, (int Dimensions, decimal PricePerMillionTokens)> OpenAi =
        new Dictionary<string, (int, decimal)>(StringComparer.OrdinalIgnoreCase)
        {
            ["text-embedding-3-small"] = (1536, 0.02m),
            ["text-embedding-3-large"] = (3072, 0.13m),
            ["text-embedding-ada-002"] = (1536, 0.10m),
        };
}

public sealed class RemoteEmbeddingProvider(IEmbeddingGenerator<string, Embedding<float>> generator, RemoteEmbeddingOptions options) : IDisposable
{
    private int? dimensions = options.ExpectedDimensions
        ?? (options.BaseUrl is null && KnownEmbeddingModels.OpenAi.TryGetValue(options.Model, out var known) ? known.Dimensions : null);

    // Known up front for OpenAI's models; for a compatible server, learnt from its first answer.
    public int? Dimensions => dimensions;

    public static RemoteEmbeddingProvider Create(RemoteEmbeddingOptions options, HttpClient? http = null)
    {
        var generator = AiProviderClients.Create(options.ApiKey, options.BaseUrl, options.Timeout ?? TimeSpan.FromSeconds(60), options.MaxRetries, http)
            .GetEmbeddingClient(options.Model).AsIEmbeddingGenerator();
        return new RemoteEmbeddingProvider(generator, options);
    }

    public async Task<EmbeddingBatch> EmbedAsync(IReadOnlyList<string> texts, CancellationToken ct)
    {
        GeneratedEmbeddings<Embedding<float>> result;
        try
        {
            result = await generator.GenerateAsync(texts, cancellationToken: ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && Classify(e) is { } error)
        {
            throw error;
        }
        if (result.Count != texts.Count)
        {
            throw new EmbeddingProviderException(EmbeddingErrorKind.BadResponse,
                $"The embedding provider returned {result.Count} vectors for {texts.Count} texts.");
        }
        var vectors = new List<float[]>(result.Count);
        foreach (var embedding in result)
        {
            var vector = embedding.Vector.ToArray();
            dimensions ??= vector.Length;
            if (vector.Length != dimensions)
            {
                // Never store a vector of another size next to the others: searches would mix models.
                throw new EmbeddingProviderException(EmbeddingErrorKind.WrongDimensions,
                    $"Model '{options.Model}' returned a {vector.Length}-dimension vector; expected {dimensions}. Is the model name right?");
            }
            vectors.Add(vector);
        }
        return new EmbeddingBatch(vectors, result.Usage?.InputTokenCount ?? 0);
    }

    private EmbeddingProviderException? Classify(Exception e) => e switch
    {
        EmbeddingProviderException p => p,
        ClientResultException { Status: 401 or 403 } => new(EmbeddingErrorKind.Unauthorized,
            $"The embedding provider rejected the API key ({((ClientResultException)e).Status}).", e),
        ClientResultException { Status: 429 } => new(EmbeddingErrorKind.RateLimited,
            "The embedding provider kept answering 429 (rate limit or quota) after retries with back-off; try again later or check the plan's quota.", e),
        ClientResultException { Status: 404 } => new(EmbeddingErrorKind.BadRequest,
            $"The embedding provider does not know model '{options.Model}' (404).", e),
        ClientResultException { Status: >= 400 and < 500 } c => new(EmbeddingErrorKind.BadRequest,
            $"The embedding provider refused the request ({c.Status}): {FirstLine(c.Message)}", e),
        ClientResultException c => new(EmbeddingErrorKind.ServerError,
            $"The embedding provider failed with HTTP {c.Status} after retries.", e),
        TaskCanceledException or TimeoutException => new(EmbeddingErrorKind.Timeout,
            "The embedding provider did not answer in time (timeout).", e),
        HttpRequestException h => new(EmbeddingErrorKind.Unreachable,
            $"The embedding provider at {options.BaseUrl?.Authority ?? "api.openai.com"} is unreachable ({h.Message}).", e),
        JsonException or FormatException or InvalidOperationException or KeyNotFoundException => new(EmbeddingErrorKind.BadResponse,
            $"The embedding provider sent an answer that is not valid embeddings JSON ({FirstLine(e.Message)}).", e),
        _ => null,
    };

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    public void Dispose() => generator.Dispose();
}
