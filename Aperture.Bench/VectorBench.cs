using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using Aperture.Embeddings;
using Aperture.VectorSearch;
using Npgsql;

namespace Aperture.Bench;

internal static class VectorBench
{
    // Local provider at the size: 20,000 titles (MovieLens text, each title twice under another key).
    public static int RunLocal20k()
    {
        var folder = MovieLens.FindFolder();
        if (folder is null)
        {
            Console.Error.WriteLine("movielens-small not found (../shared/data/movielens-small).");
            return 2;
        }
        var items = MovieLens.Load(folder).Items;
        var docs = Enumerable.Range(0, 20_000).Select(i => items[i % items.Count] with { Key = i.ToString(CultureInfo.InvariantCulture) }).ToList();
        GC.Collect();
        var before = Process.GetCurrentProcess().PeakWorkingSet64;
        var clock = Stopwatch.StartNew();
        var model = LocalEmbeddingModel.Fit(docs);
        var fit = clock.Elapsed.TotalSeconds;
        var vectors = docs.Select(model.Embed).ToList();
        var total = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"local provider, {docs.Count} titles, {model.Dimensions} dims: fit {fit:F2} s, fit+embed {total:F2} s = {docs.Count / total:F0} titles/s, " +
            $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB (before {before / 1048576.0:F0} MiB), {vectors.Count * model.Dimensions * 4 / 1048576.0:F0} MiB of vectors");
        return 0;
    }

    // pgvector HNSW against the exact in-process scan on the same vectors: latency and recall@50.
    public static async Task<int> RunPgVectorAsync(string[] args)
    {
        var admin = Environment.GetEnvironmentVariable("APERTURE_BENCH_PG");
        if (string.IsNullOrEmpty(admin))
        {
            Console.Error.WriteLine("Set APERTURE_BENCH_PG to an Npgsql connection string of a PostgreSQL with pgvector (e.g. the one ./test.sh starts).");
            return 2;
        }
        var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var dims = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 256;
        var database = "aperture_bench_" + Guid.NewGuid().ToString("N")[..8];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {database}", connection).ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
        try
        {
            // Clustered vectors (like titles: families of similar ones), not uniform noise, where every ANN looks bad.
            var random = new Random(5);
            var centres = Enumerable.Range(0, 200).Select(_ => RandomUnit(random, dims)).ToArray();
            var rows = Enumerable.Range(0, n).Select(i =>
            {
                var v = centres[random.Next(centres.Length)].Select(x => x + (float)(random.NextDouble() - 0.5) * 0.08f).ToArray();
                TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
                return ((long)i, v);
            }).ToList();
            // The extension must exist before the data source reads the database's types.
            await using (var plain = new NpgsqlConnection(cs))
            {
                await plain.OpenAsync();
                await new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS vector", plain).ExecuteNonQueryAsync();
            }
            var dataSource = new NpgsqlDataSourceBuilder(cs);
            dataSource.UseVector();
            await using var source = dataSource.Build();
            await using var conn = await source.OpenConnectionAsync();
            await new NpgsqlCommand("CREATE TABLE v (id bigint primary key, e vector)", conn).ExecuteNonQueryAsync();
            var clock = Stopwatch.StartNew();
            await using (var writer = await conn.BeginBinaryImportAsync("COPY v (id, e) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var (id, v) in rows)
                {
                    await writer.StartRowAsync();
                    await writer.WriteAsync(id, NpgsqlTypes.NpgsqlDbType.Bigint);
                    await writer.WriteAsync(new Pgvector.Vector(v));
                }
                await writer.CompleteAsync();
            }
            var load = clock.Elapsed.TotalSeconds;
            clock.Restart();
            await new NpgsqlCommand($"CREATE INDEX ON v USING hnsw ((e::vector({dims})) vector_cosine_ops)", conn) { CommandTimeout = 600 }.ExecuteNonQueryAsync();
            var build = clock.Elapsed.TotalSeconds;
            await new NpgsqlCommand("ANALYZE v", conn).ExecuteNonQueryAsync();

            var exact = new ExactVectorIndex(dims, rows);
            var queries = Enumerable.Range(0, 50).Select(i => rows[i * 397 % n].Item2).ToList();
            var latencies = new List<double>();
            double found = 0, exactMs = 0;
            foreach (var efSearch in new[] { 40, 100, 200 })
            {
                latencies.Clear();
                found = 0;
                exactMs = 0;
                await new NpgsqlCommand($"SET hnsw.ef_search = {efSearch}", conn).ExecuteNonQueryAsync();
                foreach (var q in queries)
                {
                    var timer = Stopwatch.StartNew();
                    await using var command = new NpgsqlCommand($"SELECT id FROM v ORDER BY e::vector({dims}) <=> $1::vector({dims}) LIMIT 50", conn);
                    command.Parameters.AddWithValue(new Pgvector.Vector(q));
                    var ids = new HashSet<long>();
                    await using (var reader = await command.ExecuteReaderAsync())
                    {
                        while (await reader.ReadAsync())
                        {
                            ids.Add(reader.GetInt64(0));
                        }
                    }
                    latencies.Add(timer.Elapsed.TotalMilliseconds);
                    timer.Restart();
                    var truth = exact.Nearest(q, 50);
                    exactMs += timer.Elapsed.TotalMilliseconds;
                    found += truth.Count(h => ids.Contains(h.Id));
                }
                latencies.Sort();
                Console.WriteLine($"pgvector HNSW {n} x {dims}, ef_search {efSearch,3}: top-50 median {latencies[latencies.Count / 2]:F2} ms, p95 {latencies[(int)(latencies.Count * 0.95)]:F2} ms, " +
                    $"recall@50 {found / (queries.Count * 50):F3}; exact in-process {exactMs / queries.Count:F2} ms/query");
            }
            Console.WriteLine($"  COPY load {load:F1} s, HNSW build {build:F1} s");
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection).ExecuteNonQueryAsync();
        }
    }

    private static float[] RandomUnit(Random random, int dims)
    {
        var v = Enumerable.Range(0, dims).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
        return v;
    }
}
