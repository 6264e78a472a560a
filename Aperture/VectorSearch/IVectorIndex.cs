using Aperture.Data;

namespace Aperture.VectorSearch;

// Which titles may come back: not the excluded ones (watched, other copies), only from these libraries.
public sealed record VectorFilter(IReadOnlySet<long>? Exclude = null, IReadOnlySet<string>? LibraryIds = null)
{
    public static readonly VectorFilter None = new();
}

// Nearest titles by cosine similarity within the ACTIVE vector set of a kind. Exact and in-process
// over SQLite; pgvector HNSW on PostgreSQL. Both answer the same question the same way.
public interface IVectorIndex
{
    Task<float[]?> GetVectorAsync(MediaKind kind, long titleId, CancellationToken ct);

    Task<IReadOnlyList<VectorHit>> NearestAsync(MediaKind kind, float[] query, int k, VectorFilter filter, CancellationToken ct);

    // Many queries at once (the recommender scores every user in one pass).
    Task<IReadOnlyList<VectorHit>[]> NearestBatchAsync(MediaKind kind, IReadOnlyList<float[]> queries, int k,
        IReadOnlyList<VectorFilter> filters, CancellationToken ct);
}
