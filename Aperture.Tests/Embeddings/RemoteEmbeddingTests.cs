using System.Numerics.Tensors;
using Aperture.Embeddings;
using Aperture.Fakes;

namespace Aperture.Tests;

// The OpenAI / OpenAI-compatible provider against a fake speaking the real /v1/embeddings wire format.
public sealed class RemoteEmbeddingTests
{
    private static RemoteEmbeddingProvider Provider(FakeOpenAiServer server, string model = "text-embedding-3-small",
        int? dims = null, string? key = null, int retries = 2, double timeoutSeconds = 5) =>
        RemoteEmbeddingProvider.Create(new RemoteEmbeddingOptions(model, key ?? server.ApiKey, new Uri(server.BaseUrl), dims,
            TimeSpan.FromSeconds(timeoutSeconds), retries));

    [Fact]
    public async Task A_batch_comes_back_in_order_with_the_usage_tokens_and_the_discovered_dimension()
    {
        await using var server = await FakeOpenAiServer.StartAsync(dimensions: 48);
        using var provider = Provider(server, model: "nomic-embed-text");
        Assert.Null(provider.Dimensions);

        string[] texts = ["Alien (1979). Horror in space.", "Notting Hill (1999). Romance in London.", "Aliens (1986). Horror in space with marines."];
        var batch = await provider.EmbedAsync(texts, CancellationToken.None);

        Assert.Equal(48, provider.Dimensions);
        Assert.Equal(3, batch.Vectors.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(FakeOpenAiServer.Embed(texts[i], 48), batch.Vectors[i]);
        }
        Assert.Equal(texts.Sum(t => t.Split(' ').Length), batch.InputTokens);
        Assert.True(TensorPrimitives.Dot(batch.Vectors[0], batch.Vectors[2]) > TensorPrimitives.Dot(batch.Vectors[0], batch.Vectors[1]));
        var call = Assert.Single(server.Calls);
        Assert.Equal(("nomic-embed-text", 3, $"Bearer {server.ApiKey}"), (call.Model, call.Inputs, call.Authorization));
    }

    [Fact]
    public async Task Rate_limit_with_retry_after_backs_off_and_continues()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(OpenAiFault.Http(429, retryAfterSeconds: 1));
        using var provider = Provider(server, dims: 64);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var batch = await provider.EmbedAsync(["a title"], CancellationToken.None);
        Assert.Single(batch.Vectors);
        Assert.Equal([429, 200], server.Calls.Select(c => c.Status));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), "the client must wait for Retry-After");
    }

    [Theory]
    [InlineData(401, EmbeddingErrorKind.Unauthorized, "rejected the API key (401)")]
    [InlineData(500, EmbeddingErrorKind.ServerError, "HTTP 500 after retries")]
    [InlineData(429, EmbeddingErrorKind.RateLimited, "429")]
    public async Task Provider_errors_name_their_cause(int status, EmbeddingErrorKind kind, string message)
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(OpenAiFault.Http(status), OpenAiFault.Http(status), OpenAiFault.Http(status));
        using var provider = Provider(server, dims: 64, retries: 1);
        var e = await Assert.ThrowsAsync<EmbeddingProviderException>(() => provider.EmbedAsync(["x"], CancellationToken.None));
        Assert.Equal(kind, e.Kind);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_api_key_is_unauthorized()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        using var provider = Provider(server, dims: 64, key: "sk-wrong");
        var e = await Assert.ThrowsAsync<EmbeddingProviderException>(() => provider.EmbedAsync(["x"], CancellationToken.None));
        Assert.Equal(EmbeddingErrorKind.Unauthorized, e.Kind);
    }

    [Fact]
    public async Task Malformed_json_wrong_dimensions_and_timeouts_are_clear_errors()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        using var provider = Provider(server, dims: 64, retries: 0, timeoutSeconds: 1);

        server.Enqueue(OpenAiFault.BadJson);
        var bad = await Assert.ThrowsAsync<EmbeddingProviderException>(() => provider.EmbedAsync(["x"], CancellationToken.None));
        Assert.Equal(EmbeddingErrorKind.BadResponse, bad.Kind);

        server.Enqueue(OpenAiFault.WrongDimensions);
        var dims = await Assert.ThrowsAsync<EmbeddingProviderException>(() => provider.EmbedAsync(["x"], CancellationToken.None));
        Assert.Equal(EmbeddingErrorKind.WrongDimensions, dims.Kind);
        Assert.Contains("65-dimension vector; expected 64", dims.Message, StringComparison.Ordinal);

        server.Enqueue(OpenAiFault.Timeout);
        var slow = await Assert.ThrowsAsync<EmbeddingProviderException>(() => provider.EmbedAsync(["x"], CancellationToken.None));
        Assert.Equal(EmbeddingErrorKind.Timeout, slow.Kind);

        // The provider still works afterwards.
        Assert.Single((await provider.EmbedAsync(["x"], CancellationToken.None)).Vectors);
    }
}
