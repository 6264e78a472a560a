using Aperture.Recommendations;

namespace Aperture.GroupPicks;

// How a group's per-member fits become one score. Measured on MovieLens groups (Aperture.Bench group, README › Movie night).
public enum GroupStrategy
{
    // The mean fit: best for the group on average, may leave one member out.
    Average,
    // The lowest fit: nobody hates it, but one member's odd taste decides everything.
    LeastMisery,
    // The geometric mean (a product of fits): a low fit costs much more than a high one earns.
    Multiplicative,
    // Half the mean, half the lowest fit.
    Fair,
}

// One member's view of the group's candidates: the engine's score of each, and the genres it matches in their taste.
public sealed record MemberScores(string UserId, IReadOnlyDictionary<long, double> Scores, IReadOnlyDictionary<long, IReadOnlyList<string>> MatchedGenres);

public sealed record GroupCandidateFit(long TitleId, double GroupScore, IReadOnlyList<double> Fits);

// Scores a shared pool for each member with the recommendation engine's own pieces, then balances the members.
public static class GroupRanker
{
    // The strategy the app uses: chosen on the benchmark (README › Movie night).
    public const GroupStrategy Default = GroupStrategy.Multiplicative;

    // Each member's engine score for every title of the shared pool (UserRecommender.Recommend with the whole pool kept
    // and no diversity, so every title is scored the way that member's own picks are), and the genres it matches for them.
    public static MemberScores ScoreMember(UserHistory member, IReadOnlySet<long> pool, RecommendationContext context)
    {
        var taste = UserRecommender.Taste(member, context);
        var collaborative = UserRecommender.Collaborative(member, context);
        var whole = new RecommendationContext(context.Titles, context.VectorOf, context.Cooccurrence, context.CalibrationSample,
            context.Settings with { PicksPerUser = Math.Max(1, pool.Count), Weights = context.Settings.Weights with { Diversity = 0 } }, context.Now);
        var picks = UserRecommender.Recommend(member, taste, pool, collaborative, whole).Picks;
        return new MemberScores(member.UserId, picks.ToDictionary(p => p.TitleId, p => p.Score), picks.ToDictionary(p => p.TitleId, p => p.MatchedGenres));
    }

    // The titles no member may be offered: everything any of them watched ("unwatched by all"), or with byMost only what at
    // least half of them watched ("unwatched by most").
    public static HashSet<long> Excluded(IReadOnlyList<UserHistory> members, bool byMost)
    {
        if (!byMost)
        {
            return members.SelectMany(m => m.Excluded).ToHashSet();
        }
        return members.SelectMany(m => m.Excluded).GroupBy(id => id).Where(g => g.Count() * 2 >= members.Count).Select(g => g.Key).ToHashSet();
    }

    // The group's candidates: each member's own pool as the engine builds it (near their taste, co-watched, best-loved
    // here), with the group's exclusions instead of their own.
    public static HashSet<long> Pool(IReadOnlyList<UserHistory> members, IReadOnlyList<IEnumerable<long>> nearest, IReadOnlySet<long> excluded,
        RecommendationContext context)
    {
        var pool = new HashSet<long>();
        for (var i = 0; i < members.Count; i++)
        {
            pool.UnionWith(UserRecommender.Pool(members[i] with { Excluded = excluded }, nearest[i], UserRecommender.Collaborative(members[i], context), context));
        }
        return pool;
    }

    // A member's fit for each title: its percentile among the group's candidates for that member (1 = their best of
    // them, ties count half), so members whose engine scores sit on different scales weigh the same.
    public static Dictionary<long, double> Fits(IReadOnlyDictionary<long, double> scores, IEnumerable<long> candidates)
    {
        var ids = candidates.ToList();
        var values = ids.Select(id => scores.GetValueOrDefault(id)).Order().ToArray();
        var result = new Dictionary<long, double>(ids.Count);
        if (values.Length == 0)
        {
            return result;
        }
        foreach (var id in ids)
        {
            var s = scores.GetValueOrDefault(id);
            var (below, equal) = MidRank.Counts(values, s);
            result[id] = values.Length == 1 ? 1 : Math.Clamp((below + 0.5 * (equal - 1)) / (values.Length - 1), 0, 1);
        }
        return result;
    }

    public static double Aggregate(IReadOnlyList<double> fits, GroupStrategy strategy) => fits.Count == 0 ? 0 : strategy switch
    {
        GroupStrategy.Average => fits.Average(),
        GroupStrategy.LeastMisery => fits.Min(),
        // 0.01 floor: one member's worst title must not zero out every comparison below it.
        GroupStrategy.Multiplicative => Math.Exp(fits.Average(f => Math.Log(Math.Max(0.01, f)))),
        _ => 0.5 * fits.Average() + 0.5 * fits.Min(),
    };

    // The group's list, best first: every candidate's fit per member (in the members' order), aggregated; ties by mean fit, then id.
    public static List<GroupCandidateFit> Rank(IReadOnlyList<MemberScores> members, IReadOnlyCollection<long> candidates, GroupStrategy strategy, int count)
    {
        var fits = members.Select(m => Fits(m.Scores, candidates)).ToList();
        return candidates
            .Select(id =>
            {
                var f = fits.Select(x => x[id]).ToList();
                return new GroupCandidateFit(id, Aggregate(f, strategy), f);
            })
            .OrderByDescending(c => c.GroupScore).ThenByDescending(c => c.Fits.Average()).ThenBy(c => c.TitleId)
            .Take(count).ToList();
    }
}
