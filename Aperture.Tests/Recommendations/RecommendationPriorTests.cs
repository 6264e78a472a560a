using Aperture.Recommendations;

namespace Aperture.Tests;

public sealed class RecommendationPriorTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Popularity_counts_recent_plays_more_than_old_ones_with_a_half_life()
    {
        var plays = new List<(long, DateTimeOffset?)>
        {
            (1, Now.AddDays(-2)), (1, Now.AddDays(-3)),
            (2, Now.AddDays(-400)), (2, Now.AddDays(-401)), (2, Now.AddDays(-402)),
        };
        var allTime = PopularityPrior.Build(plays, Now);
        var recent = PopularityPrior.Build(plays, Now, PopularityPrior.RecentHalfLifeDays);
        Assert.True(allTime[2] > allTime[1]);
        Assert.True(recent[1] > recent[2]);
        Assert.Equal(1, recent[1], 9);
    }

    [Fact]
    public void Popularity_ignores_plays_after_now_and_is_on_zero_to_one()
    {
        var plays = new List<(long, DateTimeOffset?)> { (1, Now.AddDays(-1)), (2, Now.AddDays(5)), (3, null), (3, Now.AddDays(-10)) };
        var p = PopularityPrior.Build(plays, Now, 30);
        Assert.False(p.ContainsKey(2));
        Assert.Equal(1, p[3], 9);
        Assert.All(p.Values, v => Assert.InRange(v, 0, 1));
    }

    [Fact]
    public void Without_a_usable_cowatch_model_the_content_weights_carry_no_collaborative_share()
    {
        Assert.Equal(0, ScoringWeights.ContentOnly.Collaborative);
        Assert.True(new ScoringWeights().Collaborative > 0);
    }
}
