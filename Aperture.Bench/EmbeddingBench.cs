using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using Aperture.Embeddings;
using Aperture.VectorSearch;

namespace Aperture.Bench;

internal static class EmbeddingBench
{
    // Fit + embed MovieLens titles with the local provider, then check that nearest neighbours make sense:
    // shared genres (partly built in) and, the real test, shared audiences (users who liked both).
    public static int Run()
    {
        var folder = MovieLens.FindFolder();
        if (folder is null)
        {
            Console.Error.WriteLine("movielens-small not found: run from the repo inside the workspace (../shared/data/movielens-small).");
            return 2;
        }
        var data = MovieLens.Load(folder);
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        var model = LocalEmbeddingModel.Fit(data.Items);
        var fitSeconds = clock.Elapsed.TotalSeconds;
        var vectors = data.Items.Select(i => (Id: long.Parse(i.Key, CultureInfo.InvariantCulture), Vector: model.Embed(i))).ToList();
        var totalSeconds = clock.Elapsed.TotalSeconds;
        var index = new ExactVectorIndex(model.Dimensions, vectors);
        var memoryAfter = GC.GetTotalMemory(forceFullCollection: false);

        Console.WriteLine($"local embeddings on MovieLens ({data.Items.Count} titles, {model.VocabularySize} features, {model.Dimensions} dims, version {model.Version})");
        Console.WriteLine($"  fit {fitSeconds:F2} s, fit+embed {totalSeconds:F2} s = {data.Items.Count / totalSeconds:F0} titles/s, managed memory +{(memoryAfter - memoryBefore) / 1048576.0:F0} MiB, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB");

        var likers = data.Ratings.Where(r => r.Rating >= 4).GroupBy(r => (long)r.MovieId)
            .ToDictionary(g => g.Key, g => g.Select(r => r.UserId).ToHashSet());
        var genres = data.Items.ToDictionary(i => long.Parse(i.Key, CultureInfo.InvariantCulture), i => i.Genres.ToHashSet());
        var random = new Random(42);
        var ids = vectors.Select(v => v.Id).ToArray();
        // Titles liked by at least 10 users, so audience overlap is measurable.
        var probes = ids.Where(id => likers.TryGetValue(id, out var l) && l.Count >= 10).ToArray();
        double nnGenre = 0, rndGenre = 0, nnAudience = 0, rndAudience = 0;
        var pairs = 0;
        foreach (var id in probes)
        {
            index.TryGetVector(id, out var query);
            var hits = index.Nearest(query, 11, other => other != id);
            foreach (var hit in hits.Take(10))
            {
                var other = ids[random.Next(ids.Length)];
                nnGenre += Jaccard(genres[id], genres[hit.Id]);
                rndGenre += Jaccard(genres[id], genres[other]);
                nnAudience += Jaccard(likers[id], likers.GetValueOrDefault(hit.Id) ?? []);
                rndAudience += Jaccard(likers[id], likers.GetValueOrDefault(other) ?? []);
                pairs++;
            }
        }
        Console.WriteLine($"  10 nearest of {probes.Length} well-liked titles vs random titles:");
        Console.WriteLine($"    genre Jaccard     {nnGenre / pairs:F3} vs {rndGenre / pairs:F3}  ({nnGenre / rndGenre:F1}x)");
        Console.WriteLine($"    audience Jaccard  {nnAudience / pairs:F4} vs {rndAudience / pairs:F4}  ({nnAudience / rndAudience:F1}x)  (users who rated both >= 4)");
        foreach (var title in new[] { "Alien", "Toy Story", "Heat", "Amelie (Fabuleux destin d'Amélie Poulain, Le)" })
        {
            var item = data.Items.FirstOrDefault(i => i.Name == title);
            if (item is null)
            {
                continue;
            }
            index.TryGetVector(long.Parse(item.Key, CultureInfo.InvariantCulture), out var q);
            var near = index.Nearest(q, 6, other => other.ToString(CultureInfo.InvariantCulture) != item.Key)
                .Select(h => data.ById[(int)h.Id].Name);
            Console.WriteLine($"    {item.Name} → {string.Join("; ", near)}");
        }
        return 0;
    }

    private static double Jaccard<T>(HashSet<T> a, HashSet<T> b)
    {
        if (a.Count == 0 && b.Count == 0)
        {
            return 0;
        }
        var shared = a.Count(b.Contains);
        return shared / (double)(a.Count + b.Count - shared);
    }

    // Exact top-50 latency against a plain sequential read of the same bytes (the floor any scan pays).
    public static int RunTopK(string[] args)
    {
        var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [20_000, 100_000, 1_000_000];
        Console.WriteLine("exact SIMD top-50 (cosine on unit vectors) vs a sequential sum over the same matrix");
        Console.WriteLine($"{"vectors",10} {"dims",5} {"MiB",7} {"scan ms",9} {"top-50 ms",10} {"ratio",6} {"50 queries batched ms/query",28} {"ratio",6}");
        foreach (var n in sizes)
        {
            foreach (var dims in new[] { 256, 384 })
            {
                var random = new Random(7);
                var rows = new List<(long, float[])>(n);
                for (var i = 0; i < n; i++)
                {
                    var v = new float[dims];
                    for (var j = 0; j < dims; j++)
                    {
                        v[j] = (float)(random.NextDouble() * 2 - 1);
                    }
                    TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
                    rows.Add((i, v));
                }
                var index = new ExactVectorIndex(dims, rows);
                var vectors = rows.Select(r => r.Item2).ToList();
                rows.Clear();
                var queries = Enumerable.Range(0, 50).Select(i => index.TryGetVector(i * 13 % n, out var q) ? q.ToArray() : []).ToList();

                var scan = Measure(() => { _ = vectors.Sum(v => TensorPrimitives.Sum(v)); });
                var single = Measure(() => index.Nearest(queries[0], 50));
                var batch = Measure(() => index.NearestBatch(queries, 50)) / queries.Count;
                Console.WriteLine($"{n,10} {dims,5} {(double)n * dims * 4 / 1048576.0,7:F0} {scan,9:F2} {single,10:F2} {single / scan,6:F2} {batch,28:F2} {batch / scan,6:F2}");
            }
        }
        return 0;
    }

    private static double Measure(Action action)
    {
        // Warm-up until tiered JIT has compiled the loops fully (the first calls run unoptimised code).
        for (var i = 0; i < 5; i++)
        {
            action();
        }
        var best = double.MaxValue;
        for (var i = 0; i < 7; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
        }
        return best;
    }
}
