using System.Globalization;
using System.Numerics.Tensors;
using Aperture.Data;
using Aperture.Embeddings;
using Aperture.Feedback;
using Aperture.Recommendations;

namespace Aperture.Bench;

// Feedback on MovieLens (issue #17): QualityBench's protocol (each user's ratings in time order, the last 20 % held out,
// held-out titles rated >= 4 are hits), and a share of each user's held-out LOW ratings (<= 2 stars, i.e. 4/10 or less)
// given as 👎 before scoring. The 👎 go through the app's own code: FeedbackInputs.ForUser (what a user_feedback row
// becomes), FeedbackInputs.Apply (signals and exclusions into the history) and UserRecommender.Recommend with the
// adjustments — the path RecommendationService takes. Reported before/after: NDCG@K on the held-out hits, how often a
// 👎 title is in the K picks (must be 0 after), how often a near duplicate of one is, and how often a held-out low
// rating NOT given as 👎 is (does the pull-away generalise).
//
// Near duplicate of a 👎 title (MovieLens has no TMDB collection and no two copies of a film): another title of the same
// series by name (SimilarBlend.SeriesStem, as "More like this" groups sequels: "Scary Movie 2" of "Scary Movie") or one
// whose embedding cosine with it is at least NearCosine (the local model's closest ~0.1 % of pairs, printed below).
internal static class FeedbackBench
{
    private const int K = 50;
    private const float NearCosine = 0.8f;

    private sealed record Subject(UserHistory History, HashSet<long> Hits, List<long> Given, List<long> Withheld, DateTimeOffset SplitAt);

    public static int Run(string[] args)
    {
        var folder = MovieLens.FindFolder();
        if (folder is null)
        {
            Console.Error.WriteLine("movielens-small not found (../shared/data/movielens-small).");
            return 2;
        }
        var share = args.Length > 0 && double.TryParse(args[0], CultureInfo.InvariantCulture, out var s) ? Math.Clamp(s, 0, 1) : 0.5;
        var ml = MovieLens.Load(folder);
        var model = LocalEmbeddingModel.Fit(ml.Items);
        var vectors = ml.Items.ToDictionary(i => long.Parse(i.Key, CultureInfo.InvariantCulture), model.Embed);
        var genres = ml.Items.ToDictionary(i => long.Parse(i.Key, CultureInfo.InvariantCulture), i => (IReadOnlyList<string>)i.Genres.ToList());
        var stems = ml.Items.ToDictionary(i => long.Parse(i.Key, CultureInfo.InvariantCulture), i => SimilarBlend.SeriesStem(i.Name));
        var rating = vectors.Keys.ToDictionary(i => i, i => ml.Community.TryGetValue((int)i, out var c) ? CandidateScorer.RatingPrior(c.Average, c.Votes) : 0.5);
        var random = new Random(17);
        var subjects = new List<Subject>();
        foreach (var u in ml.Ratings.GroupBy(r => r.UserId))
        {
            var ordered = u.OrderBy(r => r.Timestamp).ThenBy(r => r.MovieId).ToList();
            var cut = (int)Math.Ceiling(ordered.Count * 0.8);
            var train = ordered.Take(cut).ToList();
            var seen = train.Select(r => (long)r.MovieId).ToHashSet();
            var held = ordered.Skip(cut).Where(r => !seen.Contains(r.MovieId)).ToList();
            var hits = held.Where(r => r.Rating >= 4).Select(r => (long)r.MovieId).ToHashSet();
            if (hits.Count == 0)
            {
                continue;
            }
            // The share of low ratings given as 👎: a seeded shuffle, rounded up (a user with one low rating gives it at 50 %).
            var lows = held.Where(r => r.Rating <= 2).Select(r => (long)r.MovieId).Distinct().OrderBy(_ => random.Next()).ToList();
            var given = lows.Take((int)Math.Ceiling(lows.Count * share)).ToList();
            var signals = train.Select(r => new WatchSignal(r.MovieId, DateTimeOffset.FromUnixTimeSeconds(r.Timestamp), 1, r.Rating >= 4.5, r.Rating * 2, 1)).ToList();
            subjects.Add(new Subject(new UserHistory(u.Key.ToString(CultureInfo.InvariantCulture), signals, seen), hits, given, lows.Skip(given.Count).ToList(),
                DateTimeOffset.FromUnixTimeSeconds(train[^1].Timestamp)));
        }
        var plays = subjects.SelectMany(m => m.History.Signals).Select(x => (x.TitleId, x.LastPlayed)).ToList();
        var cooc = ItemCooccurrence.Build(subjects.ToDictionary(m => m.History.UserId, m => (IReadOnlyCollection<long>)m.History.Signals.Select(x => x.TitleId).ToList()));
        var settings = new KindRecommendationSettings();
        var items = vectors.Keys.Order().ToArray();
        var sample = RecommendationInputs.CalibrationIds(items, 2000).Select(id => (id, vectors[id])).ToList();

        // How rare a NearCosine pair is, on a fixed sample of pairs.
        var pairRandom = new Random(5);
        var pairs = 200_000;
        var near = 0;
        for (var p = 0; p < pairs; p++)
        {
            var a = items[pairRandom.Next(items.Length)];
            var b = items[pairRandom.Next(items.Length)];
            near += a != b && TensorPrimitives.Dot(vectors[a], vectors[b]) >= NearCosine ? 1 : 0;
        }
        var nearCache = new Dictionary<long, HashSet<long>>();
        HashSet<long> NearOf(long id)
        {
            if (!nearCache.TryGetValue(id, out var set))
            {
                set = items.Where(o => o != id && ((stems[id] is { } st && stems[o] == st) || TensorPrimitives.Dot(vectors[id], vectors[o]) >= NearCosine)).ToHashSet();
                nearCache[id] = set;
            }
            return set;
        }

        var withFeedback = subjects.Count(x => x.Given.Count > 0);
        Console.WriteLine($"MovieLens feedback replay: {subjects.Count} users with held-out hits, {withFeedback} of them with held-out ratings <= 2 stars;");
        Console.WriteLine($"{share:P0} of those given as 👎 before scoring ({subjects.Sum(x => x.Given.Count)} 👎, {subjects.Sum(x => x.Withheld.Count)} low ratings withheld), K {K}");
        Console.WriteLine($"near duplicate = same series by name (SimilarBlend.SeriesStem) or embedding cosine >= {NearCosine} ({near / (double)pairs:P3} of random pairs)");

        double ndcgBefore = 0, ndcgAfter = 0, fbBefore = 0, fbAfter = 0;
        int downBefore = 0, downAfter = 0, dupBefore = 0, dupAfter = 0, withheldBefore = 0, withheldAfter = 0, dupPicksBefore = 0, dupPicksAfter = 0;
        var givenTotal = 0;
        foreach (var subject in subjects)
        {
            var popularity = PopularityPrior.Build(plays, subject.SplitAt, PopularityPrior.RecentHalfLifeDays);
            var titles = items.ToDictionary(i => i, i => new CatalogTitle(i, "", null, genres[i], rating[i], popularity.GetValueOrDefault(i), true));
            var context = new RecommendationContext(titles, id => vectors.GetValueOrDefault(id), cooc.IsUsable(settings.MinCollaborativeUsers) ? cooc : null,
                sample, settings, subject.SplitAt);
            var before = Picks(subject.History, UserAdjustments.None, context, items, vectors, settings);
            List<long> after;
            if (subject.Given.Count == 0)
            {
                after = before;
            }
            else
            {
                // What the user_feedback rows say, through the app's own reading of them (no copies: MovieLens has one per film).
                var entries = subject.Given.Select(id => new FeedbackEntry(id, FeedbackReaction.Down, null, null, subject.SplitAt, genres[id]));
                var adjustments = FeedbackInputs.ForUser(entries, new Dictionary<long, List<long>>(), new UserTuning());
                after = Picks(FeedbackInputs.Apply(subject.History, adjustments), adjustments, context, items, vectors, settings);
            }
            var nb = Ndcg(before, subject.Hits);
            var na = Ndcg(after, subject.Hits);
            ndcgBefore += nb;
            ndcgAfter += na;
            if (subject.Given.Count > 0)
            {
                fbBefore += nb;
                fbAfter += na;
            }
            givenTotal += subject.Given.Count;
            downBefore += subject.Given.Count(before.Contains);
            downAfter += subject.Given.Count(after.Contains);
            withheldBefore += subject.Withheld.Count(before.Contains);
            withheldAfter += subject.Withheld.Count(after.Contains);
            var dupsOf = subject.Given.ToDictionary(id => id, NearOf);
            dupBefore += subject.Given.Count(id => before.Exists(dupsOf[id].Contains));
            dupAfter += subject.Given.Count(id => after.Exists(dupsOf[id].Contains));
            var allDups = dupsOf.Values.SelectMany(d => d).ToHashSet();
            dupPicksBefore += before.Count(allDups.Contains);
            dupPicksAfter += after.Count(allDups.Contains);
        }
        var n = subjects.Count;
        Console.WriteLine($"{"",-46} {"before",10} {"after",10}");
        Console.WriteLine($"{"NDCG@" + K + " on held-out hits, all users",-46} {ndcgBefore / n,10:F4} {ndcgAfter / n,10:F4}");
        Console.WriteLine($"{"NDCG@" + K + ", users who gave a 👎",-46} {fbBefore / withFeedback,10:F4} {fbAfter / withFeedback,10:F4}");
        Console.WriteLine($"{"👎 titles in the picks",-46} {Share(downBefore, givenTotal),10} {Share(downAfter, givenTotal),10}");
        Console.WriteLine($"{"👎 titles with a near duplicate in the picks",-46} {Share(dupBefore, givenTotal),10} {Share(dupAfter, givenTotal),10}");
        Console.WriteLine($"{"near-duplicate picks per user who gave a 👎",-46} {dupPicksBefore / (double)withFeedback,10:F3} {dupPicksAfter / (double)withFeedback,10:F3}");
        var withheld = subjects.Sum(x => x.Withheld.Count);
        Console.WriteLine($"{"withheld low ratings (not 👎) in the picks",-46} {Share(withheldBefore, withheld),10} {Share(withheldAfter, withheld),10}");
        if (downAfter != 0)
        {
            Console.Error.WriteLine($"FAIL: {downAfter} 👎 titles are still in the picks.");
            return 1;
        }
        return 0;
    }

    private static string Share(int count, int total) => total == 0 ? "n/a" : $"{count} ({count / (double)total:P1})";

    // One user's K picks as the run makes them: taste, nearest unexcluded titles, co-watch, pool, Recommend with the adjustments.
    private static List<long> Picks(UserHistory history, UserAdjustments adjustments, RecommendationContext context, long[] items,
        Dictionary<long, float[]> vectors, KindRecommendationSettings settings)
    {
        var taste = UserRecommender.Taste(history, context);
        var collaborative = UserRecommender.Collaborative(history, context);
        var nearest = taste is null ? [] : items.Where(i => !history.Excluded.Contains(i)).Select(i => (Id: i, Cos: TensorPrimitives.Dot(taste, vectors[i])))
            .OrderByDescending(x => x.Cos).ThenBy(x => x.Id).Take(UserRecommender.PoolSize(settings)).Select(x => x.Id).ToList();
        var pool = UserRecommender.Pool(history, nearest, collaborative, context);
        return UserRecommender.Recommend(history, taste, pool, collaborative, context, adjustments).Picks.Select(p => p.TitleId).Take(K).ToList();
    }

    private static double Ndcg(List<long> list, HashSet<long> hits)
    {
        double dcg = 0, ideal = 0;
        for (var i = 0; i < Math.Min(K, list.Count); i++)
        {
            if (hits.Contains(list[i]))
            {
                dcg += 1 / Math.Log2(i + 2);
            }
        }
        for (var i = 0; i < Math.Min(K, hits.Count); i++)
        {
            ideal += 1 / Math.Log2(i + 2);
        }
        return ideal == 0 ? 0 : dcg / ideal;
    }
}
