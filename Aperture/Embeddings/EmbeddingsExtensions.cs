using Aperture.Data;
using Aperture.Jobs;
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
        builder.Services.AddSingleton<SimilarCoWatch>();
        builder.Services.AddScoped<SimilarTitles>();
        // Exact in-process search over SQLite; pgvector HNSW when the database is PostgreSQL.
        builder.Services.AddSingleton<InMemoryVectorIndex>();
        builder.Services.AddScoped<PgVectorIndex>();
        builder.Services.AddScoped<IVectorIndex>(sp => sp.GetRequiredService<DatabaseTarget>().Provider == DatabaseProvider.Postgres
            ? sp.GetRequiredService<PgVectorIndex>()
            : sp.GetRequiredService<InMemoryVectorIndex>());
        foreach (var kind in Enum.GetValues<MediaKind>())
        {
            builder.Services.AddJob<GenerateEmbeddingsJob>(new JobDefinition(JobNames.Embeddings(kind),
                kind == MediaKind.Movie ? "Generate movie embeddings" : "Generate series embeddings",
                $"Gives every {(kind == MediaKind.Movie ? "movie" : "series")} a vector under the configured model (only new or changed titles), then makes the set searchable.",
                typeof(GenerateEmbeddingsJob), kind, DefaultCronSetting: "RECS_CRON", Locks: JobDefinition.DataLock(kind)));
        }
        return builder;
    }
}
