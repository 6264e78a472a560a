using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using Aperture.Embeddings;
using Aperture.Recommendations;

namespace Aperture.Bench;

// Recommendation quality on MovieLens: each user's ratings in time order, the last 20% held out;
// 50 picks from titles not in the first 80%; held-out titles rated >= 4 are hits.
internal static class QualityBench
{
    private const int K = 50;

    private sealed record User(int Id, List<MovieLensRating> Train, HashSet<long> Hits, DateTimeOffset SplitAt);

    public static int Run(string[] args)
    {
        var folder = MovieLens.FindFolder();
        if (folder is null)
        {
            Console.Error.WriteLine("movielens-small not found (../shared/data/movielens-small).");
            return 2;
        }
        var data = MovieLens.Load(folder);
        var model = LocalEmbeddingModel.Fit(data.Items);
        var vectors = data.Items.ToDictionary(i => long.Parse(i.Key, CultureInfo.InvariantCulture), model.Embed);
        var genres = data.Items.ToDictionary(i => long.Parse(i.Key, CultureInfo.InvariantCulture), i => (IReadOnlyCollection<string>)i.Genres);
        var items = vectors.Keys.ToArray();

        var users = new List<User>();
        foreach (var g in data.Ratings.GroupBy(r => r.UserId))
        {
            var ordered = g.OrderBy(r => r.Timestamp).ThenBy(r => r.MovieId).ToList();
            var cut = (int)Math.Ceiling(ordered.Count * 0.8);
            var train = ordered.Take(cut).ToList();
            var seen = train.Select(r => (long)r.MovieId).ToHashSet();
            var hits = ordered.Skip(cut).Where(r => r.Rating >= 4 && !seen.Contains(r.MovieId)).Select(r => (long)r.MovieId).ToHashSet();
            if (hits.Count > 0)
            {
                users.Add(new User(g.Key, train, hits, DateTimeOffset.FromUnixTimeSeconds(train[^1].Timestamp)));
            }
        }
        var trainCount = users.SelectMany(u => u.Train).GroupBy(r => (long)r.MovieId).ToDictionary(x => x.Key, x => x.Count());
        var maxLog = Math.Log(1 + trainCount.Values.Max());
        var popularity = items.ToDictionary(i => i, i => Math.Log(1 + trainCount.GetValueOrDefault(i)) / maxLog);
        var rating = items.ToDictionary(i => i, i => data.Community.TryGetValue((int)i, out var c) ? CandidateScorer.RatingPrior(c.Average, c.Votes) : 0.5);
        var clock = Stopwatch.StartNew();
        var cooc = ItemCooccurrence.Build(users.ToDictionary(u => u.Id.ToString(CultureInfo.InvariantCulture),
            u => (IReadOnlyCollection<long>)u.Train.Select(r => (long)r.MovieId).ToList()));
        var coocSeconds = clock.Elapsed.TotalSeconds;

        Console.WriteLine($"MovieLens quality: {users.Count} users with held-out hits, {items.Length} titles, local embeddings {model.Dimensions} dims; co-watch model {coocSeconds:F1} s");
        Console.WriteLine($"{"method",-44} {"R@10",7} {"R@50",7} {"NDCG@10",8} {"NDCG@50",8} {"coverage",9} {"ms/user",8}");

        var results = new Dictionary<string, double>();
        void Report(string name, Func<User, IReadOnlyList<long>> recommend)
        {
            var watch = Stopwatch.StartNew();
            double r10 = 0, r50 = 0, n10 = 0, n50 = 0;
            var recommended = new HashSet<long>();
            foreach (var u in users)
            {
                var list = recommend(u);
                recommended.UnionWith(list);
                r10 += Recall(list, u.Hits, 10);
                r50 += Recall(list, u.Hits, 50);
                n10 += Ndcg(list, u.Hits, 10);
                n50 += Ndcg(list, u.Hits, 50);
            }
            var n = users.Count;
            results[name] = n50 / n;
            Console.WriteLine($"{name,-44} {r10 / n,7:F4} {r50 / n,7:F4} {n10 / n,8:F4} {n50 / n,8:F4} {recommended.Count / (double)items.Length,9:P1} {watch.Elapsed.TotalMilliseconds / n,8:F2}");
        }

        var byPopularity = items.OrderByDescending(i => trainCount.GetValueOrDefault(i)).ToArray();
        if (args.Contains("--grid"))
        {
            Grid(users, items, vectors, genres, popularity, rating, cooc);
            return 0;
        }
        Report("(a) most popular", u =>
        {
            var seen = u.Train.Select(r => (long)r.MovieId).ToHashSet();
            return byPopularity.Where(i => !seen.Contains(i)).Take(K).ToList();
        });
        Report("(b) original Aperture (similarity+genre novelty)", u => Original(u, items, vectors, genres, rating));
        Report("(c0) similarity only", u => Ours(u, items, vectors, genres, popularity, rating, null, new ScoringWeights(1, 0, 0, 0, 0, 0)));
        // Without co-watch data the priors must carry the list (what a single-user server gets).
        var content = new ScoringWeights(Similarity: 0.25, Novelty: 0, Rating: 0.2, Popularity: 1, Collaborative: 0, Diversity: 0);
        Report("(c) ours, content + priors", u => Ours(u, items, vectors, genres, popularity, rating, null, content));
        Report("(d) ours + collaborative", u => Ours(u, items, vectors, genres, popularity, rating, cooc, new ScoringWeights()));
        Console.WriteLine($"NDCG@50 ratios: (c)/(b) {results["(c) ours, content + priors"] / results["(b) original Aperture (similarity+genre novelty)"]:F1}x, " +
            $"(d)/(a) {results["(d) ours + collaborative"] / results["(a) most popular"]:F2}x");

        return 0;
    }

    private static void Grid(List<User> users, long[] items, Dictionary<long, float[]> vectors, Dictionary<long, IReadOnlyCollection<string>> genres,
        Dictionary<long, double> popularity, Dictionary<long, double> rating, ItemCooccurrence cooc)
    {
        // Every second user, to keep a grid run to minutes (tuned on the same split: figures are optimistic).
        var sample = users.Where((_, i) => i % 2 == 0).ToList();
        Console.WriteLine($"grid on {sample.Count} users (NDCG@50):");
        ScoringWeights[] grid =
        [
            new(0, 0, 0, 0, 1, 0), new(0.1, 0, 0.1, 0.1, 1, 0), new(0.25, 0, 0.1, 0.25, 1, 0.05), new(0.25, 0, 0.2, 1, 0, 0),
        ];
        var popular = sample.Average(u =>
        {
            var seen = u.Train.Select(r => (long)r.MovieId).ToHashSet();
            return Ndcg(items.OrderByDescending(i => popularity[i]).Where(i => !seen.Contains(i)).Take(K).ToList(), u.Hits, 50);
        });
        Console.WriteLine($"  most popular: {popular:F4}");
        foreach (var halfLife in new[] { 30.0, 90.0, 365.0 })
        {
            foreach (var w in grid)
            {
                var options = new TasteOptions { HalfLifeDays = halfLife };
                var ndcg = sample.Average(u => Ndcg(Ours(u, items, vectors, genres, popularity, rating, w.Collaborative > 0 ? cooc : null, w, options), u.Hits, 50));
                Console.WriteLine($"  half-life {halfLife,4} sim {w.Similarity,4} nov {w.Novelty,4} rat {w.Rating,4} pop {w.Popularity,4} collab {w.Collaborative,4} div {w.Diversity,4}: {ndcg:F4} ({ndcg / popular:F2}x popular)");
            }
        }
    }

    private static List<long> Ours(User u, long[] items, Dictionary<long, float[]> vectors, Dictionary<long, IReadOnlyCollection<string>> genres,
        Dictionary<long, double> popularity, Dictionary<long, double> rating, ItemCooccurrence? cooc, ScoringWeights w, TasteOptions? options = null)
    {
        var opts = options ?? new TasteOptions();
        var signals = u.Train.Select(r => new WatchSignal(r.MovieId, DateTimeOffset.FromUnixTimeSeconds(r.Timestamp), 1, r.Rating >= 4.5, r.Rating * 2, 1)).ToList();
        var taste = TasteProfile.Build(signals, id => vectors.GetValueOrDefault(id), opts, u.SplitAt);
        var seen = u.Train.Select(r => (long)r.MovieId).ToHashSet();
        var candidates = items.Where(i => !seen.Contains(i)).ToList();
        var sims = candidates.Select(i => taste is null ? 0f : TensorPrimitives.Dot(taste, vectors[i])).ToList();
        var percentiles = CandidateScorer.Percentiles(sims);
        var share = UserGenreShare(u, genres);
        Dictionary<long, float>? collab = null;
        var collabMax = 1f;
        if (cooc is not null)
        {
            collab = cooc.Score(signals.Select(s => (s.TitleId, TasteProfile.Weight(s, opts, u.SplitAt))));
            collabMax = collab.Count == 0 ? 1 : Math.Max(1e-6f, collab.Values.Max());
        }
        var ranked = new List<RankedCandidate>(candidates.Count);
        for (var c = 0; c < candidates.Count; c++)
        {
            var id = candidates[c];
            var s = new CandidateSignals(id, percentiles[c], CandidateScorer.Novelty(genres[id], share), rating[id], popularity[id],
                collab is null ? 0 : collab.GetValueOrDefault(id) / collabMax);
            ranked.Add(new RankedCandidate(id, CandidateScorer.Score(s, w), vectors[id], genres[id]));
        }
        return Reranker.Diversify(ranked, K, w.Diversity).Select(r => r.TitleId).ToList();
    }

    // The original's algorithm as its issue describes it, on the same vectors.
    private static List<long> Original(User u, long[] items, Dictionary<long, float[]> vectors, Dictionary<long, IReadOnlyCollection<string>> genres,
        Dictionary<long, double> rating)
    {
        var taste = new float[vectors.First().Value.Length];
        foreach (var r in u.Train)
        {
            var ageDays = (u.SplitAt - DateTimeOffset.FromUnixTimeSeconds(r.Timestamp)).TotalDays;
            var weight = Math.Log(1 + 1) * (r.Rating >= 4.5 ? 1.5 : 1) * (r.Rating / 5) * Math.Max(0.25, Math.Pow(0.5, ageDays / 180));
            TensorPrimitives.MultiplyAdd(vectors[r.MovieId], (float)weight, taste, taste);
        }
        TensorPrimitives.Divide(taste, Math.Max(1e-6f, TensorPrimitives.Norm(taste)), taste);
        var share = UserGenreShare(u, genres);
        var seen = u.Train.Select(r => (long)r.MovieId).ToHashSet();
        var scored = items.Where(i => !seen.Contains(i)).Select(i =>
        {
            var novelty = genres[i].Count == 0 ? 0 : genres[i].Count(g => share.GetValueOrDefault(g) < 0.1) / (double)genres[i].Count;
            var band = rating[i] >= 0.8 ? 1.0 : rating[i] >= 0.7 ? 0.8 : rating[i] >= 0.6 ? 0.6 : 0.3;
            return (Id: i, Score: 0.4 * TensorPrimitives.Dot(taste, vectors[i]) + 0.2 * novelty + 0.2 * band);
        }).OrderByDescending(x => x.Score).ToList();
        // Greedy genre diversity: at most a third of the list from one lead genre.
        var chosen = new List<long>();
        var lead = new Dictionary<string, int>();
        foreach (var (id, _) in scored)
        {
            var g = genres[id].FirstOrDefault() ?? "";
            if (lead.GetValueOrDefault(g) >= K / 3)
            {
                continue;
            }
            lead[g] = lead.GetValueOrDefault(g) + 1;
            chosen.Add(id);
            if (chosen.Count == K)
            {
                break;
            }
        }
        return chosen;
    }

    private static Dictionary<string, double> UserGenreShare(User u, Dictionary<long, IReadOnlyCollection<string>> genres)
    {
        var counts = u.Train.SelectMany(r => genres[r.MovieId]).GroupBy(g => g).ToDictionary(g => g.Key, g => (double)g.Count());
        var total = Math.Max(1, u.Train.Count);
        return counts.ToDictionary(kv => kv.Key, kv => kv.Value / total);
    }

    private static double Recall(IReadOnlyList<long> list, HashSet<long> hits, int k) =>
        list.Take(k).Count(hits.Contains) / (double)hits.Count;

    private static double Ndcg(IReadOnlyList<long> list, HashSet<long> hits, int k)
    {
        double dcg = 0, ideal = 0;
        for (var i = 0; i < Math.Min(k, list.Count); i++)
        {
            if (hits.Contains(list[i]))
            {
                dcg += 1 / Math.Log2(i + 2);
            }
        }
        for (var i = 0; i < Math.Min(k, hits.Count); i++)
        {
            ideal += 1 / Math.Log2(i + 2);
        }
        return ideal == 0 ? 0 : dcg / ideal;
    }
}
