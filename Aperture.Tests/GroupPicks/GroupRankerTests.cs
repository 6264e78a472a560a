using Aperture.GroupPicks;
using Aperture.Recommendations;

namespace Aperture.Tests.GroupPicks;

// The balancing rules on hand-made scores: what each strategy prefers, fits as percentiles, and the shared-only reasons.
public sealed class GroupRankerTests
{
    private static MemberScores Member(string id, params (long Title, double Score)[] scores) =>
        new(id, scores.ToDictionary(s => s.Title, s => s.Score), scores.ToDictionary(s => s.Title, _ => (IReadOnlyList<string>)[]));

    [Fact]
    public void Fits_are_each_members_percentile_among_the_groups_candidates()
    {
        var fits = GroupRanker.Fits(new Dictionary<long, double> { [1] = 0.9, [2] = 0.1, [3] = 0.5, [4] = 0.5 }, [1, 2, 3, 4]);
        Assert.Equal(1, fits[1]);
        Assert.Equal(0, fits[2]);
        Assert.Equal(0.5, fits[3], 6);
        Assert.Equal(fits[3], fits[4]);
    }

    [Fact]
    public void Least_misery_the_product_and_the_blend_prefer_a_title_both_like_to_one_only_one_loves()
    {
        // Title 1: loved by a, hated by b. Title 2: liked by both. The mean rates a love-hate pair as half, like an indifferent one.
        var members = new[] { Member("a", (1, 1.0), (2, 0.6), (3, 0.0), (4, 0.5)), Member("b", (1, 0.0), (2, 0.6), (3, 0.1), (4, 0.9)) };
        long[] candidates = [1, 2, 3, 4];
        Assert.Equal(2, GroupRanker.Rank(members, candidates, GroupStrategy.LeastMisery, 1)[0].TitleId);
        Assert.Equal(2, GroupRanker.Rank(members, candidates, GroupStrategy.Multiplicative, 1)[0].TitleId);
        Assert.Equal(2, GroupRanker.Rank(members, candidates, GroupStrategy.Fair, 1)[0].TitleId);
        Assert.Equal(0.0, GroupRanker.Aggregate([1.0, 0.0], GroupStrategy.LeastMisery));
        Assert.Equal(0.5, GroupRanker.Aggregate([1.0, 0.0], GroupStrategy.Average));
        Assert.True(GroupRanker.Aggregate([1.0, 0.0], GroupStrategy.Multiplicative) < GroupRanker.Aggregate([0.5, 0.5], GroupStrategy.Multiplicative));
    }

    [Fact]
    public void Unwatched_by_all_leaves_out_what_anyone_saw_by_most_only_what_half_of_them_saw()
    {
        var group = new[]
        {
            new UserHistory("a", [], new HashSet<long> { 1, 2 }),
            new UserHistory("b", [], new HashSet<long> { 2 }),
            new UserHistory("c", [], new HashSet<long> { 3 }),
        };
        Assert.Equal([1, 2, 3], GroupRanker.Excluded(group, byMost: false).Order());
        Assert.Equal([2], GroupRanker.Excluded(group, byMost: true));
    }

    [Fact]
    public void The_reason_names_only_genres_every_member_it_is_for_shares()
    {
        var title = new CatalogTitle(7, "Heat", 1995, ["Crime", "Drama", "Action"], 0.8, 0, true, CommunityRating: 8.3);
        GroupMember[] members = [new("a", "ann"), new("b", "ben"), new("c", "cy")];
        MemberScores Matched(string id, params string[] genres) => new(id, new Dictionary<long, double> { [7] = 1 }, new Dictionary<long, IReadOnlyList<string>> { [7] = genres });
        var scores = new[] { Matched("a", "Crime", "Drama"), Matched("b", "Crime"), Matched("c", "Action") };

        // For all three: no genre all of them match, so none is named; the rating is the title's own.
        Assert.Equal("For all 3 of you: rated 8.3.", GroupPicksService.Why(title, members, [0.9, 0.8, 0.7], scores));
        // For ann and ben: Crime, which both match; Drama (ann's alone) and Action (cy's) are not named.
        Assert.Equal("Best for ann and ben: Crime, a genre you both watch; rated 8.3.", GroupPicksService.Why(title, members, [0.9, 0.8, 0.2], scores));
        Assert.StartsWith("A middle ground for everyone", GroupPicksService.Why(title, members, [0.9, 0.3, 0.2], scores), StringComparison.Ordinal);
    }
}
