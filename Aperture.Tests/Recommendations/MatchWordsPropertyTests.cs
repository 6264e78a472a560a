using Aperture.Recommendations;

namespace Aperture.Tests.Recommendations;

// Numbers and words agree, over many generated picks: the taste bar is the match %, a low match is never said to
// match the taste, and "matches your taste for X" names only genres the user watches more than the library holds.
public sealed class MatchWordsPropertyTests
{
    private static readonly string[] Genres = ["Drama", "Thriller", "Comedy", "Horror", "Western", "Animation", "Romance", "Documentary"];

    [Fact]
    public void Match_percent_bars_and_taste_words_agree_on_every_generated_pick()
    {
        var random = new Random(2026);
        var now = DateTimeOffset.UtcNow;
        const int dims = 16;
        var titles = new Dictionary<long, CatalogTitle>();
        var vectors = new Dictionary<long, float[]>();
        for (var id = 1L; id <= 500; id++)
        {
            // Drama and Comedy everywhere, the rest rarer: shares differ from the library's as in real catalogues.
            var genres = Genres.Where((g, i) => random.NextDouble() < (i < 3 ? 0.35 : 0.12)).DefaultIfEmpty(Genres[random.Next(Genres.Length)]).ToList();
            var v = new float[dims];
            for (var d = 0; d < dims; d++)
            {
                v[d] = (float)(random.NextDouble() - 0.5) * 0.6f;
            }
            foreach (var g in genres)
            {
                v[Array.IndexOf(Genres, g)] += 1;
            }
            var norm = MathF.Sqrt(v.Sum(x => x * x));
            vectors[id] = v.Select(x => x / norm).ToArray();
            titles[id] = new CatalogTitle(id, $"t{id}", 2000, genres, random.NextDouble(), random.NextDouble(), Candidate: true);
        }
        var settings = new KindRecommendationSettings { PicksPerUser = 30 };
        var context = new RecommendationContext(titles, id => vectors.GetValueOrDefault(id), null,
            RecommendationInputs.CalibrationIds(titles.Keys, 200).Select(id => (id, vectors[id])).ToList(), settings, now);

        var picks = 0;
        var said = 0;
        var low = 0;
        for (var u = 0; u < 40; u++)
        {
            var favourite = Genres[random.Next(Genres.Length)];
            var history = titles.Values.Where(t => t.Genres.Contains(favourite) || random.NextDouble() < 0.03).OrderBy(_ => random.Next())
                .Take(random.Next(5, 40)).Select(t => new WatchSignal(t.Id, now.AddDays(-random.Next(1, 300)), 1, random.NextDouble() < 0.1,
                    random.NextDouble() < 0.5 ? random.Next(2, 11) : null, 1)).ToList();
            var user = new UserHistory($"u{u}", history, history.Select(s => s.TitleId).ToHashSet());
            var taste = UserRecommender.Taste(user, context);
            var nearest = titles.Keys.Where(id => !user.Excluded.Contains(id)).OrderByDescending(id => taste is null ? 0 : Dot(taste, vectors[id])).Take(200);
            var pool = UserRecommender.Pool(user, nearest, new Dictionary<long, double>(), context);
            var share = UserRecommender.GenreShare(user, context);
            foreach (var pick in UserRecommender.Recommend(user, taste, pool, new Dictionary<long, double>(), context).Picks)
            {
                picks++;
                Assert.InRange(pick.MatchPercent, 0, 100);
                var bars = PickInsightBars.Of(pick.MatchPercent, pick.Novelty, pick.Rating, pick.Variety, pick.Popularity, pick.Collaborative);
                Assert.Equal(pick.MatchPercent, bars.TasteMatch);
                if (!MatchScale.SaysTaste(pick.MatchPercent))
                {
                    low++;
                    Assert.Empty(pick.MatchedGenres);
                }
                else
                {
                    // A pick close to the taste shows its figure on the card, never another reason.
                    Assert.Null(MatchScale.LeadReason(bars));
                }
                foreach (var g in pick.MatchedGenres)
                {
                    said++;
                    Assert.Contains(g, titles[pick.TitleId].Genres);
                    Assert.True(share[g] >= context.LibraryGenreShare[g] && share[g] >= 0.15, $"{g}: user {share[g]:F2}, library {context.LibraryGenreShare[g]:F2}");
                }
            }
        }
        // The property was exercised both ways: picks said to match, and low-match picks that were not.
        Assert.True(picks > 500 && said > 50 && low > 20, $"{picks} picks, {said} matched genres, {low} low matches");
    }

    [Theory]
    [InlineData(12, 0, 0, 90, 10, 10, "people like you")]
    [InlineData(12, 0, 0, 40, 80, 95, "popular here")]
    [InlineData(12, 60, 80, 40, 10, 10, "highly rated")]
    [InlineData(12, 70, 60, 40, 10, 10, "something new")]
    [InlineData(12, 20, 60, 40, 10, 10, null)]
    [InlineData(50, 0, 0, 90, 90, 90, null)]
    public void A_low_match_pick_leads_with_its_strongest_other_reason_and_a_close_one_with_its_figure(
        int match, int discovery, int quality, int peopleLikeYou, int popularity, int variety, string? expected)
    {
        var bars = new PickInsightBars(match, discovery, quality, variety, popularity, peopleLikeYou);
        Assert.Equal(expected, MatchScale.LeadReason(bars)?.Text);
    }

    private static float Dot(float[] a, float[] b)
    {
        var sum = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
