namespace Aperture.Embeddings;

public static class EmbeddingsExtensions
{
    public const string HttpClientName = "embeddings";

    public static WebApplicationBuilder AddEmbeddings(this WebApplicationBuilder builder)
    {
        // The OpenAI SDK has its own retry policy (honouring Retry-After); this client only carries the transport.
        builder.Services.AddHttpClient(HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        builder.Services.AddScoped<EmbeddingSettings>();
        builder.Services.AddScoped<EmbeddingCostEstimator>();
        return builder;
    }
}
