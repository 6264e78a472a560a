using System.Globalization;
using System.Numerics.Tensors;
using Aperture.Embeddings;
using Aperture.GroupPicks;
using Aperture.Recommendations;

namespace Aperture.Bench;

// Movie night on MovieLens: random groups of 2, 4 and 6 users, each user's ratings in time order with the last 20 % held
// out (QualityBench's protocol: held-out titles rated >= 4 are hits). The group is scored as the server would have seen it
// at the latest of its members' split times, with the app's engine (GroupRanker over UserRecommender) and co-watch from
// everybody's training plays. Per group: each member's hit rate (recall@K of the group list on their own held-out titles)
// and the worst-off member's NDCG@K, against each member's own list (the app's personal picks) and plain popularity.
internal static class GroupBench
{
    private const int K = 50;

    private sealed record Member(UserHistory History, HashSet<long> Hits, DateTimeOffset SplitAt);

    public static int Run(string[] args)
    {
        var folder = MovieLens.FindFolder();
        if (folder is null)
        {
            Console.Error.WriteLine("movielens-small not found (../shared/data/movielens-small).");
            return 2;
        }
        var groupsPerSize = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var g) ? g : 60;
        var show = args.Contains("--show");
        var ml = MovieLens.Load(folder);
        var model = LocalEmbeddingModel.Fit(ml.Items);
        var vectors = ml.Items.ToDictionary(i => long.Parse(i.Key, CultureInfo.InvariantCulture), model.Embed);
        var genres = ml.Items.ToDictionary(i => long.Parse(i.Key, CultureInfo.InvariantCulture), i => (IReadOnlyList<string>)i.Genres.ToList());
        var rating = vectors.Keys.ToDictionary(i => i, i => ml.Community.TryGetValue((int)i, out var c) ? CandidateScorer.RatingPrior(c.Average, c.Votes) : 0.5);
        var members = new List<Member>();
        foreach (var u in ml.Ratings.GroupBy(r => r.UserId))
        {
            var ordered = u.OrderBy(r => r.Timestamp).ThenBy(r => r.MovieId).ToList();
            var cut = (int)Math.Ceiling(ordered.Count * 0.8);
            var train = ordered.Take(cut).ToList();
            var seen = train.Select(r => (long)r.MovieId).ToHashSet();
            var hits = ordered.Skip(cut).Where(r => r.Rating >= 4 && !seen.Contains(r.MovieId)).Select(r => (long)r.MovieId).ToHashSet();
            if (hits.Count == 0)
            {
                continue;
            }
            var signals = train.Select(r => new WatchSignal(r.MovieId, DateTimeOffset.FromUnixTimeSeconds(r.Timestamp), 1, r.Rating >= 4.5, r.Rating * 2, 1)).ToList();
            members.Add(new Member(new UserHistory(u.Key.ToString(CultureInfo.InvariantCulture), signals, seen), hits, DateTimeOffset.FromUnixTimeSeconds(train[^1].Timestamp)));
        }
        var plays = members.SelectMany(m => m.History.Signals).Select(s => (s.TitleId, s.LastPlayed)).ToList();
        var cooc = ItemCooccurrence.Build(members.ToDictionary(m => m.History.UserId, m => (IReadOnlyCollection<long>)m.History.Signals.Select(s => s.TitleId).ToList()));
        var byCount = plays.GroupBy(p => p.TitleId).ToDictionary(x => x.Key, x => x.Count());
        var byPopularity = vectors.Keys.OrderByDescending(i => byCount.GetValueOrDefault(i)).ThenBy(i => i).ToList();
        var settings = new KindRecommendationSettings();
        var items = vectors.Keys.Order().ToArray();
        var sample = RecommendationInputs.CalibrationIds(items, 2000).Select(id => (id, vectors[id])).ToList();
        var strategies = Enum.GetValues<GroupStrategy>();
        Console.WriteLine($"MovieLens movie night: {members.Count} users with held-out hits, {items.Length} titles, {groupsPerSize} random groups per size (seed 17), K {K}");
        Console.WriteLine("hit rate = mean over members of recall@K of the group list on the member's held-out titles; one+ = share of members with a hit in the list;");
        Console.WriteLine("all hit = share of groups where every member has a held-out hit in the list;");
        Console.WriteLine("worst NDCG = mean over groups of the lowest member NDCG@K; worst/own = that over the same members' NDCG on their own");
        Console.WriteLine("personal lists (the app's engine); worst/pop = that over the worst member NDCG of the most-played list, unwatched by all (ratios of means)");
        Console.WriteLine($"{"size",4} {"list",-16} {"hit rate",9} {"one+",7} {"all hit",8} {"mean NDCG",10} {"worst NDCG",11} {"worst/own",10} {"worst/pop",10}");
        var random = new Random(17);
        foreach (var size in new[] { 2, 4, 6 })
        {
            var sums = new Dictionary<string, double[]>();
            void Add(string list, double[] values)
            {
                if (!sums.TryGetValue(list, out var s))
                {
                    sums[list] = s = new double[values.Length];
                }
                for (var i = 0; i < values.Length; i++)
                {
                    s[i] += values[i];
                }
            }
            for (var n = 0; n < groupsPerSize; n++)
            {
                var group = members.OrderBy(_ => random.Next()).Take(size).ToList();
                var now = group.Max(m => m.SplitAt);
                var popularity = PopularityPrior.Build(plays, now, PopularityPrior.RecentHalfLifeDays);
                var titles = items.ToDictionary(i => i, i => new CatalogTitle(i, "", null, genres[i], rating[i], popularity.GetValueOrDefault(i), true));
                var context = new RecommendationContext(titles, id => vectors.GetValueOrDefault(id), cooc.IsUsable(settings.MinCollaborativeUsers) ? cooc : null,
                    sample, settings, now);
                var histories = group.Select(m => m.History).ToList();
                var excluded = GroupRanker.Excluded(histories, byMost: false);
                var nearest = histories.Select(h => Nearest(UserRecommender.Taste(h, context), excluded, items, vectors, UserRecommender.PoolSize(settings))).ToList();
                var pool = GroupRanker.Pool(histories, nearest, excluded, context);
                var scores = histories.Select(h => GroupRanker.ScoreMember(h, pool, context)).ToList();
                if (show && n == 0 && size == 4)
                {
                    Show(group, scores, pool, ml, genres);
                }
                // Each member's own list, as their personal picks would be at that moment (their own exclusions, own pool).
                var own = group.Select(m =>
                {
                    var taste = UserRecommender.Taste(m.History, context);
                    var collaborative = UserRecommender.Collaborative(m.History, context);
                    var ownPool = UserRecommender.Pool(m.History, Nearest(taste, m.History.Excluded, items, vectors, UserRecommender.PoolSize(settings)), collaborative, context);
                    return UserRecommender.Recommend(m.History, taste, ownPool, collaborative, context).Picks.Select(p => p.TitleId).Take(K).ToList();
                }).ToList();
                var ownNdcg = group.Select((m, i) => Ndcg(own[i], m.Hits)).ToList();
                var popular = byPopularity.Where(i => !excluded.Contains(i)).Take(K).ToList();
                var popularNdcg = group.Select(m => Ndcg(popular, m.Hits)).ToList();
                Add("popular", Figures(popular, group, ownNdcg, popularNdcg));
                foreach (var strategy in strategies)
                {
                    var list = GroupRanker.Rank(scores, pool, strategy, K).Select(c => c.TitleId).ToList();
                    Add(strategy.ToString(), Figures(list, group, ownNdcg, popularNdcg));
                }
                var ownWorst = Enumerable.Range(0, group.Count).MinBy(i => ownNdcg[i]);
                Add("own lists", [0, 0, ownNdcg.Average(), ownNdcg[ownWorst], ownNdcg[ownWorst], popularNdcg.Min(), 0]);
            }
            foreach (var (list, s) in sums)
            {
                var hit = list == "own lists" ? "" : $"{s[0] / groupsPerSize:F4}";
                var one = list == "own lists" ? "" : $"{s[1] / groupsPerSize:P0}";
                var all = list == "own lists" ? "" : $"{s[6] / groupsPerSize:P0}";
                Console.WriteLine($"{size,4} {list,-16} {hit,9} {one,7} {all,8} {s[2] / groupsPerSize,10:F4} {s[3] / groupsPerSize,11:F4} {Ratio(s[3], s[4]),10} {Ratio(s[3], s[5]),10}");
            }
        }
        return 0;
    }

    // A look at one list as the group would see it: each member's main genres (from their training ratings), then the top 15
    // with the fit per member and whether it is a held-out hit (h) for them.
    private static void Show(List<Member> group, List<MemberScores> scores, HashSet<long> pool, MovieLens ml, Dictionary<long, IReadOnlyList<string>> genres)
    {
        Console.WriteLine("one group of 4, as the app would list it (fits in %, h = a held-out title the member rated 4+):");
        foreach (var m in group)
        {
            var top = m.History.Signals.Where(s => s.Rating >= 7).SelectMany(s => genres[s.TitleId]).GroupBy(x => x).OrderByDescending(x => x.Count())
                .Take(4).Select(x => $"{x.Key} {x.Count()}");
            Console.WriteLine($"  user {m.History.UserId}: {m.History.Signals.Count} ratings; liked genres: {string.Join(", ", top)}");
        }
        foreach (var c in GroupRanker.Rank(scores, pool, GroupRanker.Default, 15))
        {
            var fits = string.Join(" ", c.Fits.Select((f, i) => $"{f * 100,3:F0}{(group[i].Hits.Contains(c.TitleId) ? "h" : " ")}"));
            var item = ml.ById[(int)c.TitleId];
            Console.WriteLine($"  {fits}  {item.Name} ({item.Year}) [{string.Join("|", item.Genres)}]");
        }
    }

    // [hit rate, share with a hit, mean NDCG, worst NDCG, that worst-off member's NDCG on their own list, popularity's worst NDCG,
    //  every member has a hit]
    private static double[] Figures(List<long> list, List<Member> group, List<double> ownNdcg, List<double> popularNdcg)
    {
        var ndcg = group.Select(m => Ndcg(list, m.Hits)).ToList();
        var worst = Enumerable.Range(0, group.Count).MinBy(i => ndcg[i]);
        return
        [
            group.Average(m => list.Count(m.Hits.Contains) / (double)Math.Min(K, m.Hits.Count)),
            group.Average(m => list.Exists(m.Hits.Contains) ? 1.0 : 0),
            ndcg.Average(),
            ndcg[worst],
            ownNdcg[worst],
            popularNdcg.Min(),
            group.TrueForAll(m => list.Exists(m.Hits.Contains)) ? 1.0 : 0,
        ];
    }

    private static string Ratio(double a, double b) => b > 0 ? (a / b).ToString("F2", CultureInfo.InvariantCulture) : "n/a";

    private static List<long> Nearest(float[]? taste, IReadOnlySet<long> excluded, long[] items, Dictionary<long, float[]> vectors, int k) =>
        taste is null ? [] : items.Where(i => !excluded.Contains(i)).Select(i => (Id: i, Cos: TensorPrimitives.Dot(taste, vectors[i])))
            .OrderByDescending(x => x.Cos).ThenBy(x => x.Id).Take(k).Select(x => x.Id).ToList();

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
