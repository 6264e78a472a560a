using Aperture.Data;
using Aperture.VectorSearch;

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
        builder.Services.AddScoped<EmbeddingService>();
        builder.Services.AddScoped<SimilarTitles>();
        // Exact in-process search over SQLite; pgvector HNSW when the database is PostgreSQL.
        builder.Services.AddSingleton<InMemoryVectorIndex>();
        builder.Services.AddScoped<PgVectorIndex>();
        builder.Services.AddScoped<IVectorIndex>(sp => sp.GetRequiredService<DatabaseTarget>().Provider == DatabaseProvider.Postgres
            ? sp.GetRequiredService<PgVectorIndex>()
            : sp.GetRequiredService<InMemoryVectorIndex>());
        return builder;
    }
}
