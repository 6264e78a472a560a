using System.Globalization;
using System.Text;
using Aperture.Data;
using Aperture.Embeddings;
using Aperture.Settings;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Aperture.VectorSearch;

// The PostgreSQL path: pgvector's HNSW index (one per active set, see EmbeddingService) with
// iterative scans so that filters (watched titles, libraries) still fill k results.
public sealed class PgVectorIndex(AppDbContext db, SettingsStore store) : IVectorIndex
{
    public async Task<float[]?> GetVectorAsync(MediaKind kind, long titleId, CancellationToken ct)
    {
        var key = (await store.GetAsync(SettingKeys.ActiveEmbeddingModel(kind), ct)).Value;
        return key is null
            ? null
            : await db.TitleEmbeddings.AsNoTracking().Where(e => e.ModelKey == key && e.TitleId == titleId).Select(e => e.Vector).FirstOrDefaultAsync(ct);
    }

    public Task<Dictionary<long, float[]>> VectorsAsync(MediaKind kind, string modelKey, IEnumerable<long> ids, CancellationToken ct) =>
        StoredVectors.ReadAsync(db, kind, modelKey, ids, ct);

    public async Task<IReadOnlyList<VectorHit>> NearestAsync(MediaKind kind, float[] query, int k, VectorFilter filter, CancellationToken ct) =>
        (await NearestBatchAsync(kind, [query], k, [filter], ct))[0];

    public async Task<IReadOnlyList<VectorHit>[]> NearestBatchAsync(MediaKind kind, IReadOnlyList<float[]> queries, int k,
        IReadOnlyList<VectorFilter> filters, CancellationToken ct)
    {
        var key = (await store.GetAsync(SettingKeys.ActiveEmbeddingModel(kind), ct)).Value;
        if (key is null || queries.Count == 0)
        {
            return queries.Select(_ => (IReadOnlyList<VectorHit>)[]).ToArray();
        }
        var dims = queries[0].Length;
        var (cast, _) = PgVectorSql.Cast(dims);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(ct);
        }
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using (var settings = new NpgsqlCommand("SET LOCAL hnsw.ef_search = 200; SET LOCAL hnsw.iterative_scan = relaxed_order;", connection, transaction))
            {
                await settings.ExecuteNonQueryAsync(ct);
            }
            var results = new IReadOnlyList<VectorHit>[queries.Count];
            for (var q = 0; q < queries.Count; q++)
            {
                if (queries[q].Length != dims)
                {
                    throw new ArgumentException($"Query {q} has {queries[q].Length} dimensions, the first {dims}.", nameof(queries));
                }
                var filter = filters[q];
                var sql = new StringBuilder(
                    $"SELECT e.\"TitleId\", (e.\"Vector\"::{cast} <=> @q::{cast}) AS distance FROM title_embeddings e ");
                if (filter.LibraryIds is not null)
                {
                    sql.Append("JOIN titles t ON t.\"Id\" = e.\"TitleId\" ");
                }
                sql.Append(CultureInfo.InvariantCulture, $"WHERE e.\"ModelKey\" = {PgVectorSql.Literal(key)} ");
                if (filter.Exclude is { Count: > 0 })
                {
                    sql.Append("AND NOT (e.\"TitleId\" = ANY(@exclude)) ");
                }
                if (filter.LibraryIds is not null)
                {
                    sql.Append("AND t.\"LibraryId\" = ANY(@libraries) ");
                }
                // The ORDER BY must be the indexed expression, or the planner cannot use the HNSW index.
                sql.Append(CultureInfo.InvariantCulture, $"ORDER BY e.\"Vector\"::{cast} <=> @q::{cast} LIMIT {k}");
                await using var command = new NpgsqlCommand(sql.ToString(), connection, transaction);
                command.Parameters.AddWithValue("q", new Pgvector.Vector(queries[q]));
                if (filter.Exclude is { Count: > 0 })
                {
                    command.Parameters.AddWithValue("exclude", filter.Exclude.ToArray());
                }
                if (filter.LibraryIds is not null)
                {
                    command.Parameters.AddWithValue("libraries", filter.LibraryIds.ToArray());
                }
                var hits = new List<VectorHit>(k);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    hits.Add(new VectorHit(reader.GetInt64(0), (float)(1 - reader.GetDouble(1))));
                }
                results[q] = hits;
            }
            await transaction.CommitAsync(ct);
            return results;
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }
}
