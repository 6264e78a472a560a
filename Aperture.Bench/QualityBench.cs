using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using Aperture.Embeddings;
using Aperture.Recommendations;

namespace Aperture.Bench;

// Recommendation quality on MovieLens: each user's ratings in time order, the last 20% held out;
// 50 picks from titles not in the first 80%; held-out titles rated >= 4 are hits.
// Each user is scored as the server would have seen it at their split time: "recent" popularity counts the
// training plays of everybody up to that moment.
internal static class QualityBench
{
    private const int K = 50;

    private sealed record User(int Id, List<MovieLensRating> Train, HashSet<long> Hits, DateTimeOffset SplitAt, List<WatchSignal> Signals, HashSet<long> Seen);

    // Everything about one user that does not depend on the co-watch model or the weights, computed once.
    private sealed record Ctx(User U, long[] Candidates, double[] Similarity, float[] Cosine, double[] Novelty, Dictionary<string, double> GenreShare);

    private sealed class Data
    {
        public required List<User> Users { get; init; }
        public required long[] Items { get; init; }
        public required Dictionary<long, float[]> Vectors { get; init; }
        public required Dictionary<long, IReadOnlyCollection<string>> Genres { get; init; }
        public required Dictionary<long, double> Rating { get; init; }
        public required Dictionary<long, int> TrainCount { get; init; }
        public required List<(long Item, DateTimeOffset? At)> Plays { get; init; }
        public required Dictionary<string, IReadOnlyCollection<long>> History { get; init; }
        public Dictionary<(int, double), Dictionary<long, double>> Popularity { get; } = [];

        // Popularity on the server at the user's split time; half-life infinity = all-time count.
        public Dictionary<long, double> PopularityAt(User u, double halfLife)
        {
            if (!Popularity.TryGetValue((u.Id, halfLife), out var p))
            {
                Popularity[(u.Id, halfLife)] = p = PopularityPrior.Build(Plays, u.SplitAt, halfLife);
            }
            return p;
        }
    }

    public static int Run(string[] args)
    {
        var folder = MovieLens.FindFolder();
        if (folder is null)
        {
            Console.Error.WriteLine("movielens-small not found (../shared/data/movielens-small).");
            return 2;
        }
        if (args.Contains("--scale"))
        {
            return Scale();
        }
        var ml = MovieLens.Load(folder);
        var model = LocalEmbeddingModel.Fit(ml.Items);
        var vectors = ml.Items.ToDictionary(i => long.Parse(i.Key, CultureInfo.InvariantCulture), model.Embed);
        var users = new List<User>();
        foreach (var g in ml.Ratings.GroupBy(r => r.UserId))
        {
            var ordered = g.OrderBy(r => r.Timestamp).ThenBy(r => r.MovieId).ToList();
            var cut = (int)Math.Ceiling(ordered.Count * 0.8);
            var train = ordered.Take(cut).ToList();
            var seen = train.Select(r => (long)r.MovieId).ToHashSet();
            var hits = ordered.Skip(cut).Where(r => r.Rating >= 4 && !seen.Contains(r.MovieId)).Select(r => (long)r.MovieId).ToHashSet();
            if (hits.Count > 0)
            {
                var signals = train.Select(r => new WatchSignal(r.MovieId, DateTimeOffset.FromUnixTimeSeconds(r.Timestamp), 1, r.Rating >= 4.5, r.Rating * 2, 1)).ToList();
                users.Add(new User(g.Key, train, hits, DateTimeOffset.FromUnixTimeSeconds(train[^1].Timestamp), signals, seen));
            }
        }
        var data = new Data
        {
            Users = users,
            Items = vectors.Keys.Order().ToArray(),
            Vectors = vectors,
            Genres = ml.Items.ToDictionary(i => long.Parse(i.Key, CultureInfo.InvariantCulture), i => (IReadOnlyCollection<string>)i.Genres),
            Rating = vectors.Keys.ToDictionary(i => i, i => ml.Community.TryGetValue((int)i, out var c) ? CandidateScorer.RatingPrior(c.Average, c.Votes) : 0.5),
            TrainCount = users.SelectMany(u => u.Train).GroupBy(r => (long)r.MovieId).ToDictionary(x => x.Key, x => x.Count()),
            Plays = users.SelectMany(u => u.Signals).Select(s => (s.TitleId, s.LastPlayed)).ToList(),
            History = users.ToDictionary(u => u.Id.ToString(CultureInfo.InvariantCulture), u => (IReadOnlyCollection<long>)u.Train.Select(r => (long)r.MovieId).ToList()),
        };
        Console.WriteLine($"MovieLens quality: {users.Count} users with held-out hits, {data.Items.Length} titles, local embeddings {model.Dimensions} dims");
        if (args.Contains("--grid"))
        {
            Grid(data, contentOnly: args.Contains("--content"));
            return 0;
        }
        if (args.Contains("--small-servers"))
        {
            SmallServers(data);
            return 0;
        }
        Report(data);
        return 0;
    }

    private static void Report(Data data)
    {
        var clock = Stopwatch.StartNew();
        var cooc = ItemCooccurrence.Build(data.History);
        var coocSeconds = clock.Elapsed.TotalSeconds;
        var before = ItemCooccurrence.Build(data.History, options: new CooccurrenceOptions { HeavyUserDamping = 0, PositionHalfLife = double.PositiveInfinity });
        Console.WriteLine($"co-watch model (defaults) {coocSeconds:F2} s: {cooc.Items} titles, {cooc.Pairs} pairs, {cooc.ActiveUsers} active users, usable {cooc.IsUsable()}");
        Console.WriteLine("self-info = mean -log2(share of training plays) of the picks, in bits (higher = less mainstream); " +
            "genre-nov = mean CandidateScorer.Novelty of the picks (0 = the user's top genre, 1 = a genre they never watch)");
        Console.WriteLine($"{"method",-52} {"R@10",7} {"R@50",7} {"NDCG@10",8} {"NDCG@50",8} {"coverage",9} {"self-info",9} {"genre-nov",9} {"ms/user",8}");
        var totalPlays = data.TrainCount.Values.Sum();
        var results = new Dictionary<string, double>();
        var contexts = new Dictionary<int, Ctx>();
        Ctx ContextOf(User u) => contexts.TryGetValue(u.Id, out var c) ? c : contexts[u.Id] = Context(data, u);
        void Method(string name, Func<User, IReadOnlyList<long>> recommend)
        {
            var watch = Stopwatch.StartNew();
            double r10 = 0, r50 = 0, n10 = 0, n50 = 0, info = 0, novelty = 0;
            var picks = 0;
            var recommended = new HashSet<long>();
            foreach (var u in data.Users)
            {
                var list = recommend(u);
                recommended.UnionWith(list);
                r10 += Recall(list, u.Hits, 10);
                r50 += Recall(list, u.Hits, 50);
                n10 += Ndcg(list, u.Hits, 10);
                n50 += Ndcg(list, u.Hits, 50);
                var share = ContextOf(u).GenreShare;
                foreach (var i in list)
                {
                    info += -Math.Log2((data.TrainCount.GetValueOrDefault(i) + 1.0) / (totalPlays + data.Items.Length));
                    novelty += CandidateScorer.Novelty(data.Genres[i], share);
                }
                picks += list.Count;
            }
            var n = data.Users.Count;
            results[name] = n50 / n;
            Console.WriteLine($"{name,-52} {r10 / n,7:F4} {r50 / n,7:F4} {n10 / n,8:F4} {n50 / n,8:F4} {recommended.Count / (double)data.Items.Length,9:P1} " +
                $"{info / picks,9:F2} {novelty / picks,9:F3} {watch.Elapsed.TotalMilliseconds / n,8:F2}");
        }

        // Contexts (similarity percentiles, genre shares) are built once, outside every method's timing.
        foreach (var u in data.Users)
        {
            ContextOf(u);
        }
        var byPopularity = data.Items.OrderByDescending(i => data.TrainCount.GetValueOrDefault(i)).ThenBy(i => i).ToArray();
        Method("(a) most popular", u => byPopularity.Where(i => !u.Seen.Contains(i)).Take(K).ToList());
        Method("(a2) most popular recently (half-life 30 d)", u =>
        {
            var p = data.PopularityAt(u, PopularityPrior.RecentHalfLifeDays);
            return data.Items.Where(i => !u.Seen.Contains(i)).OrderByDescending(i => p.GetValueOrDefault(i)).ThenBy(i => i).Take(K).ToList();
        });
        Method("(b) original Aperture (similarity+genre novelty)", u => Original(data, u));
        Method("(c0) similarity only", u => Ours(data, ContextOf(u), null, new ScoringWeights(1, 0, 0, 0, 0, 0)));
        Method("(c) ours, content + priors", u => Ours(data, ContextOf(u), null, ScoringWeights.ContentOnly));
        Method("(d0) ours + co-watch as before (cosine, no damping)", u => Ours(data, ContextOf(u), before, new ScoringWeights()));
        Method("(d) ours + collaborative", u => Ours(data, ContextOf(u), cooc, new ScoringWeights()));
        Method("(d') (d) from a 900-title candidate pool", u => Ours(data, ContextOf(u), cooc, new ScoringWeights(), pool: 300));
        // What the app runs: UserRecommender with its pool, scaled similarity, co-watch and recent popularity.
        var sample = RecommendationInputs.CalibrationIds(data.Items, 2000).Select(id => (id, data.Vectors[id])).ToList();
        Method("(e) the app's engine (UserRecommender, defaults)", u => App(data, u, cooc, sample));
        Console.WriteLine($"NDCG@50 ratios: (c)/(b) {results["(c) ours, content + priors"] / results["(b) original Aperture (similarity+genre novelty)"]:F1}x, " +
            $"(d)/(a) {results["(d) ours + collaborative"] / results["(a) most popular"]:F2}x, " +
            $"(d)/(a2) {results["(d) ours + collaborative"] / results["(a2) most popular recently (half-life 30 d)"]:F2}x, " +
            $"(e)/(a) {results["(e) the app's engine (UserRecommender, defaults)"] / results["(a) most popular"]:F2}x");
    }

    private static Ctx Context(Data data, User u)
    {
        var taste = TasteProfile.Build(u.Signals, id => data.Vectors.GetValueOrDefault(id), new TasteOptions(), u.SplitAt);
        var candidates = data.Items.Where(i => !u.Seen.Contains(i)).ToArray();
        var cosine = candidates.Select(i => taste is null ? 0f : TensorPrimitives.Dot(taste, data.Vectors[i])).ToArray();
        var share = UserGenreShare(u, data.Genres);
        return new Ctx(u, candidates, CandidateScorer.Percentiles(cosine), cosine, candidates.Select(i => CandidateScorer.Novelty(data.Genres[i], share)).ToArray(), share);
    }

    // The pipeline's recipe: signals on 0..1 per candidate, CandidateScorer.Score, Reranker.Diversify.
    // pool > 0 scores only the union of the top `pool` by similarity, by co-watch and by recent popularity,
    // as a pipeline that does not score every title would.
    private static List<long> Ours(Data data, Ctx c, ItemCooccurrence? cooc, ScoringWeights w, double popularityHalfLife = PopularityPrior.RecentHalfLifeDays, int pool = 0)
    {
        var collab = cooc?.ScoreUser(c.U.Signals, new TasteOptions(), c.U.SplitAt);
        var popularity = data.PopularityAt(c.U, popularityHalfLife);
        var candidates = c.Candidates;
        var similarity = c.Similarity;
        if (pool > 0)
        {
            var keep = new HashSet<long>();
            keep.UnionWith(Enumerable.Range(0, candidates.Length).OrderByDescending(i => c.Cosine[i]).Take(pool).Select(i => candidates[i]));
            keep.UnionWith(candidates.OrderByDescending(i => popularity.GetValueOrDefault(i)).Take(pool));
            if (collab is not null)
            {
                keep.UnionWith(collab.Where(kv => !c.U.Seen.Contains(kv.Key)).OrderByDescending(kv => kv.Value).Take(pool).Select(kv => kv.Key));
            }
            var index = Enumerable.Range(0, candidates.Length).Where(i => keep.Contains(candidates[i])).ToArray();
            candidates = index.Select(i => c.Candidates[i]).ToArray();
            similarity = CandidateScorer.Percentiles(index.Select(i => c.Cosine[i]).ToArray());
        }
        var ranked = new List<RankedCandidate>(candidates.Length);
        for (var i = 0; i < candidates.Length; i++)
        {
            var id = candidates[i];
            var novelty = pool > 0 ? CandidateScorer.Novelty(data.Genres[id], c.GenreShare) : c.Novelty[i];
            var s = new CandidateSignals(id, similarity[i], novelty, data.Rating[id], popularity.GetValueOrDefault(id), collab?.GetValueOrDefault(id) ?? 0);
            ranked.Add(new RankedCandidate(id, CandidateScorer.Score(s, w), data.Vectors[id], data.Genres[id]));
        }
        return Reranker.Diversify(ranked, K, w.Diversity).Select(r => r.TitleId).ToList();
    }

    // The production path on the same data: the app's settings defaults, its candidate pool (300 nearest by
    // vector, the co-watch top, the prior top) and its signals; popularity as the server saw it at the split.
    private static List<long> App(Data data, User u, ItemCooccurrence cooc, List<(long Id, float[] Vector)> sample)
    {
        var popularity = data.PopularityAt(u, PopularityPrior.RecentHalfLifeDays);
        var titles = data.Items.ToDictionary(i => i, i => new CatalogTitle(i, "", null, data.Genres[i].ToList(), data.Rating[i], popularity.GetValueOrDefault(i), true));
        var settings = new KindRecommendationSettings();
        var context = new RecommendationContext(titles, id => data.Vectors.GetValueOrDefault(id), cooc.IsUsable(settings.MinCollaborativeUsers) ? cooc : null,
            sample, settings, u.SplitAt);
        var history = new UserHistory(u.Id.ToString(CultureInfo.InvariantCulture), u.Signals, u.Seen);
        var taste = UserRecommender.Taste(history, context);
        var nearest = taste is null ? [] : data.Items.Where(i => !u.Seen.Contains(i))
            .Select(i => (Id: i, Cos: TensorPrimitives.Dot(taste, data.Vectors[i]))).OrderByDescending(x => x.Cos).Take(UserRecommender.PoolSize(settings)).Select(x => x.Id).ToList();
        var collaborative = UserRecommender.Collaborative(history, context);
        var pool = UserRecommender.Pool(history, nearest, collaborative, context);
        return UserRecommender.Recommend(history, taste, pool, collaborative, context).Picks.Select(p => p.TitleId).ToList();
    }

    // What was tried, on every second user (tuned on them: the figures are optimistic; README keeps the
    // defaults' figures on all users from the plain run).
    private static void Grid(Data data, bool contentOnly)
    {
        var sample = data.Users.Where((_, i) => i % 2 == 0).Select(u => Context(data, u)).ToList();
        var popular = sample.Average(c => Ndcg(data.Items.OrderByDescending(i => data.TrainCount.GetValueOrDefault(i)).Where(i => !c.U.Seen.Contains(i)).Take(K).ToList(), c.U.Hits, 50));
        Console.WriteLine($"grid on {sample.Count} users (every second user; tuned on them, so OPTIMISTIC). most popular NDCG@50 {popular:F4}");
        var models = new Dictionary<(CooccurrenceOptions, int), ItemCooccurrence>();
        void Try(string label, ScoringWeights w, CooccurrenceOptions? o = null, int keep = 200, double popularityHalfLife = PopularityPrior.RecentHalfLifeDays)
        {
            o ??= new CooccurrenceOptions();
            ItemCooccurrence? m = null;
            if (w.Collaborative > 0 && !models.TryGetValue((o, keep), out m))
            {
                models[(o, keep)] = m = ItemCooccurrence.Build(data.History, keep, options: o);
            }
            double n10 = 0, n50 = 0;
            foreach (var c in sample)
            {
                var list = Ours(data, c, m, w, popularityHalfLife);
                n10 += Ndcg(list, c.U.Hits, 10);
                n50 += Ndcg(list, c.U.Hits, 50);
            }
            Console.WriteLine($"  {label,-58} NDCG@10 {n10 / sample.Count:F4} NDCG@50 {n50 / sample.Count:F4} ({n50 / sample.Count / popular:F2}x popular)");
        }
        foreach (var w in new ScoringWeights[]
        {
            ScoringWeights.ContentOnly, ScoringWeights.ContentOnly with { Similarity = 0.5 }, ScoringWeights.ContentOnly with { Similarity = 0.1 },
            ScoringWeights.ContentOnly with { Rating = 0.2 }, ScoringWeights.ContentOnly with { Rating = 1 }, ScoringWeights.ContentOnly with { Similarity = 0.1, Rating = 1 },
        })
        {
            Try($"no co-watch: sim {w.Similarity} rat {w.Rating} pop {w.Popularity}", w);
        }
        Try("no co-watch, all-time popularity", ScoringWeights.ContentOnly, popularityHalfLife: double.PositiveInfinity);
        if (contentOnly)
        {
            return;
        }
        var d = new ScoringWeights();
        var before = new CooccurrenceOptions { HeavyUserDamping = 0, PositionHalfLife = double.PositiveInfinity };
        Try("defaults", d);
        Try("co-watch as before: cosine, no damping, no position decay", d, before);
        foreach (var dm in new[] { 0.3, 0.6, 1.0 })
        {
            Try($"heavy-user damping {dm}", d, new CooccurrenceOptions { HeavyUserDamping = dm });
        }
        foreach (var a in new[] { 0.3, 0.7, 0.9 })
        {
            Try($"alpha {a}", d, new CooccurrenceOptions { Alpha = a });
        }
        foreach (var sh in new[] { 5.0, 20.0 })
        {
            Try($"shrink {sh}", d, new CooccurrenceOptions { Shrink = sh });
        }
        foreach (var k in new[] { 50, 100, 400 })
        {
            Try($"neighbours kept {k}", d, keep: k);
        }
        foreach (var ph in new[] { 5.0, 25.0, double.PositiveInfinity })
        {
            Try($"position half-life {ph}", d, new CooccurrenceOptions { PositionHalfLife = ph });
        }
        foreach (var hl in new[] { 90.0, 365.0, double.PositiveInfinity })
        {
            Try($"popularity half-life {hl} d", d, popularityHalfLife: hl);
        }
        foreach (var w in new ScoringWeights[]
        {
            new(0, 0, 0, 0, 1, 0), new(0.25, 0.05, 0.1, 0.25, 1, 0.05), new(0.25, 0, 0.1, 0.5, 1, 0.05), new(0.5, 0, 0.1, 0.25, 1, 0.05),
            new(0.1, 0, 0.2, 0.25, 1, 0.05), new(0.1, 0.1, 0.1, 0.25, 1, 0.05), new(0.1, 0, 0.1, 0.25, 1, 0), new(0.1, 0, 0.1, 0.25, 1, 0.15),
        })
        {
            Try($"weights sim {w.Similarity} nov {w.Novelty} rat {w.Rating} pop {w.Popularity} co {w.Collaborative} div {w.Diversity}", w);
        }
    }

    // A small server: groups of n MovieLens users, co-watch model and popularity from that group only.
    // Does (d) still beat (c) there? That is what ItemCooccurrence.IsUsable decides in the pipeline.
    private static void SmallServers(Data data)
    {
        Console.WriteLine("small servers: users split into groups of n (in user-id order); co-watch and popularity from the group only");
        Console.WriteLine($"{"n",4} {"groups",7} {"usable",7} {"(c) NDCG@50",12} {"(d) NDCG@50",12}");
        foreach (var n in new[] { 1, 2, 3, 5, 10, 25, 50 })
        {
            double c = 0, d = 0;
            int groups = 0, usable = 0, scored = 0;
            for (var start = 0; start + n <= data.Users.Count && groups < 60; start += n, groups++)
            {
                var group = data.Users.Skip(start).Take(n).ToList();
                var history = group.ToDictionary(u => u.Id.ToString(CultureInfo.InvariantCulture), u => (IReadOnlyCollection<long>)u.Seen.ToList());
                var cooc = ItemCooccurrence.Build(history);
                usable += cooc.IsUsable() ? 1 : 0;
                var local = new Data
                {
                    Users = group, Items = data.Items, Vectors = data.Vectors, Genres = data.Genres, Rating = data.Rating,
                    TrainCount = data.TrainCount, History = history,
                    Plays = group.SelectMany(u => u.Signals).Select(s => (s.TitleId, s.LastPlayed)).ToList(),
                };
                foreach (var u in group)
                {
                    var ctx = Context(local, u);
                    c += Ndcg(Ours(local, ctx, null, ScoringWeights.ContentOnly), u.Hits, 50);
                    d += Ndcg(Ours(local, ctx, cooc, new ScoringWeights()), u.Hits, 50);
                    scored++;
                }
            }
            Console.WriteLine($"{n,4} {groups,7} {usable,7} {c / scored,12:F4} {d / scored,12:F4}");
        }
    }

    // 500 users x 20,000 titles, synthetic (Zipf-popular titles, long-tailed history sizes): the nightly
    // pipeline's co-watch cost at the issue's size.
    private static int Scale()
    {
        const int users = 500, titles = 20_000;
        var random = new Random(42);
        var history = new Dictionary<string, IReadOnlyCollection<long>>();
        var signals = new List<List<WatchSignal>>();
        var weights = Enumerable.Range(1, titles).Select(r => 1 / Math.Pow(r, 0.9)).ToArray();
        var cumulative = new double[titles];
        var sum = 0.0;
        for (var i = 0; i < titles; i++)
        {
            cumulative[i] = sum += weights[i];
        }
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var totalWatches = 0;
        for (var u = 0; u < users; u++)
        {
            var size = Math.Min(3000, (int)Math.Exp(4.5 + 1.0 * Gaussian(random)));
            var watched = new HashSet<long>();
            while (watched.Count < size)
            {
                var x = random.NextDouble() * sum;
                var idx = Array.BinarySearch(cumulative, x);
                watched.Add(idx < 0 ? ~idx : idx);
            }
            history[u.ToString(CultureInfo.InvariantCulture)] = watched.ToList();
            signals.Add(watched.Select((t, k) => new WatchSignal(t, start.AddHours(k), 1, false, null, 1)).ToList());
            totalWatches += watched.Count;
        }
        Console.WriteLine($"scale: {users} users, {titles} titles, {totalWatches} watches (mean {totalWatches / users}, max {history.Values.Max(h => h.Count)}), {Environment.ProcessorCount} cores");
        var clock = Stopwatch.StartNew();
        var cooc = ItemCooccurrence.Build(history);
        var build = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var now = start.AddDays(400);
        var popularity = PopularityPrior.Build(signals.SelectMany(s => s).Select(s => (s.TitleId, s.LastPlayed)), now, PopularityPrior.RecentHalfLifeDays);
        var pop = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var scored = 0L;
        foreach (var s in signals)
        {
            scored += cooc.ScoreUser(s, new TasteOptions(), now).Count;
        }
        var score = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"ItemCooccurrence.Build {build:F2} s ({cooc.Items} titles, {cooc.Pairs} pairs); PopularityPrior.Build {pop:F2} s; " +
            $"ScoreUser for all users {score:F2} s ({score * 1000 / users:F1} ms/user, {scored / users} scored titles/user)");
        return 0;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    // The original's algorithm as its issue describes it, on the same vectors.
    private static List<long> Original(Data data, User u)
    {
        var taste = new float[data.Vectors.First().Value.Length];
        foreach (var r in u.Train)
        {
            var ageDays = (u.SplitAt - DateTimeOffset.FromUnixTimeSeconds(r.Timestamp)).TotalDays;
            var weight = Math.Log(1 + 1) * (r.Rating >= 4.5 ? 1.5 : 1) * (r.Rating / 5) * Math.Max(0.25, Math.Pow(0.5, ageDays / 180));
            TensorPrimitives.MultiplyAdd(data.Vectors[r.MovieId], (float)weight, taste, taste);
        }
        TensorPrimitives.Divide(taste, Math.Max(1e-6f, TensorPrimitives.Norm(taste)), taste);
        var share = UserGenreShare(u, data.Genres);
        var scored = data.Items.Where(i => !u.Seen.Contains(i)).Select(i =>
        {
            var genres = data.Genres[i];
            var novelty = genres.Count == 0 ? 0 : genres.Count(g => share.GetValueOrDefault(g) < 0.1) / (double)genres.Count;
            var band = data.Rating[i] >= 0.8 ? 1.0 : data.Rating[i] >= 0.7 ? 0.8 : data.Rating[i] >= 0.6 ? 0.6 : 0.3;
            return (Id: i, Score: 0.4 * TensorPrimitives.Dot(taste, data.Vectors[i]) + 0.2 * novelty + 0.2 * band);
        }).OrderByDescending(x => x.Score).ToList();
        // Greedy genre diversity: at most a third of the list from one lead genre.
        var chosen = new List<long>();
        var lead = new Dictionary<string, int>();
        foreach (var (id, _) in scored)
        {
            var g = data.Genres[id].FirstOrDefault() ?? "";
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
