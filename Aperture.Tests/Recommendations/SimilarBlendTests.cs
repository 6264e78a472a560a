using Aperture.Embeddings;

namespace Aperture.Tests;

public sealed class SimilarBlendTests
{
    private static SimilarCandidate C(long id, string name, int year, params string[] people) => new(id, name, year, people);

    [Theory]
    [InlineData("Toy Story", "toy story")]
    [InlineData("Toy Story 2", "toy story")]
    [InlineData("Godfather: Part II, The", "godfather")]
    [InlineData("The Godfather Part III", "godfather")]
    [InlineData("Star Wars: Episode V - The Empire Strikes Back", "star war")]
    [InlineData("Aliens", "alien")]
    public void The_series_stem_drops_sequel_numbers_subtitles_and_articles(string name, string stem) =>
        Assert.Equal(stem, SimilarBlend.SeriesStem(name));

    [Fact]
    public void The_same_series_comes_first_then_the_blend_and_each_percentage_says_what_it_is()
    {
        var toyStory = C(1, "Toy Story", 1995, "John Lasseter", "Tom Hanks");
        var series = new[] { C(2, "Toy Story 2", 1999, "John Lasseter"), C(3, "Toy Story 3", 2010, "Lee Unkrich") };
        // One-word stems need a shared person: "Heat" (1995) is not a sequel of "Heat" (1972) by name alone.
        var heat = C(10, "Heat", 1995, "Michael Mann");

        var ranked = SimilarBlend.Rank(toyStory, [(20, 0.9f), (3, 0.5f), (21, 0.6f)], [(22, 0.8f), (21, 0.4f)], series, 5);

        Assert.Equal([2L, 3L], ranked.Take(2).Select(r => r.Id));
        Assert.All(ranked.Take(2), r => Assert.Equal(SimilarKind.SameSeries, r.Kind));
        Assert.Equal("same series", SimilarBlend.Label(ranked[0].Kind, ranked[0].Similarity));
        var rest = ranked.Skip(2).ToList();
        Assert.Equal(rest.OrderByDescending(r => r.Similarity).Select(r => r.Id), rest.Select(r => r.Id));
        Assert.Equal(SimilarKind.Both, rest.Single(r => r.Id == 21).Kind);
        Assert.Equal(SimilarKind.CoWatch, rest.Single(r => r.Id == 22).Kind);
        Assert.Equal($"{Math.Round(rest[0].Similarity * 100):0}% similar", SimilarBlend.Label(rest[0].Kind, rest[0].Similarity));
        Assert.False(SimilarBlend.SameSeries(heat, C(11, "Heat", 1972, "Burt Reynolds")));
        Assert.True(SimilarBlend.SameSeries(C(12, "Alien", 1979, "Sigourney Weaver"), C(13, "Aliens", 1986, "Sigourney Weaver")));
    }
}
