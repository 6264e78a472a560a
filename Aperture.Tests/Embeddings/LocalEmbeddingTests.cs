using System.Numerics.Tensors;
using Aperture.Data;
using Aperture.Embeddings;
using Aperture.VectorSearch;

namespace Aperture.Tests;

public sealed class LocalEmbeddingTests
{
    private static TitleDocument Doc(string key, string name, int year, string[] genres, string[]? tags = null,
        string[]? directors = null, string[]? cast = null, string? overview = null) =>
        new(key, MediaKind.Movie, name, year, genres, tags ?? [], directors ?? [], cast ?? [], [], null, overview, []);

    private static List<TitleDocument> Catalogue() =>
    [
        Doc("1", "Alien", 1979, ["Horror", "Science Fiction"], ["spaceship", "creature", "survival"], ["Ridley Scott"], ["Sigourney Weaver"], "The crew of a commercial spaceship meets a deadly alien creature."),
        Doc("2", "Aliens", 1986, ["Horror", "Science Fiction", "Action"], ["spaceship", "creature", "marines"], ["James Cameron"], ["Sigourney Weaver"], "Ripley returns to the planet with marines to fight the alien creature."),
        Doc("3", "Prometheus", 2012, ["Science Fiction", "Horror"], ["spaceship", "creature", "origins"], ["Ridley Scott"], ["Noomi Rapace"], "A spaceship crew searches for the origins of humanity and finds a creature."),
        Doc("4", "Notting Hill", 1999, ["Romance", "Comedy"], ["bookshop", "celebrity", "london"], ["Roger Michell"], ["Hugh Grant"], "A London bookshop owner falls in love with a famous actress."),
        Doc("5", "Love Actually", 2003, ["Romance", "Comedy"], ["christmas", "london", "celebrity"], ["Richard Curtis"], ["Hugh Grant"], "Several love stories in London in the weeks before Christmas."),
        Doc("6", "Four Weddings and a Funeral", 1994, ["Romance", "Comedy"], ["wedding", "london"], ["Mike Newell"], ["Hugh Grant"], "A charming bachelor meets an American woman at a series of weddings."),
        Doc("7", "Paddington", 2014, ["Family", "Comedy"], ["bear", "london"], ["Paul King"], ["Ben Whishaw"], "A young bear from Peru travels to London in search of a home."),
    ];

    [Fact]
    public void Same_catalogue_gives_the_same_vectors_and_version()
    {
        var a = LocalEmbeddingModel.Fit(Catalogue());
        var b = LocalEmbeddingModel.Fit(Catalogue().AsEnumerable().Reverse().ToList());
        Assert.Equal(a.Version, b.Version);
        foreach (var doc in Catalogue())
        {
            Assert.Equal(a.Embed(doc), b.Embed(doc));
            Assert.Equal(1f, TensorPrimitives.Norm(a.Embed(doc)), 4);
        }
    }

    [Fact]
    public void Titles_sharing_director_genres_and_keywords_are_nearer_than_unrelated_ones()
    {
        var model = LocalEmbeddingModel.Fit(Catalogue());
        var v = Catalogue().ToDictionary(d => d.Name, model.Embed);
        float Sim(string x, string y) => TensorPrimitives.Dot(v[x], v[y]);

        Assert.True(Sim("Alien", "Prometheus") > Sim("Alien", "Notting Hill"));
        Assert.True(Sim("Alien", "Aliens") > Sim("Alien", "Love Actually"));
        Assert.True(Sim("Notting Hill", "Love Actually") > Sim("Notting Hill", "Prometheus"));
        var index = new ExactVectorIndex(model.Dimensions, Catalogue().Select(d => (long.Parse(d.Key), v[d.Name])).ToList());
        var nearest = index.Nearest(v["Alien"], 3, id => id != 1).Select(h => h.Id).ToList();
        Assert.Equal([2L, 3L], nearest.Take(2).Order());
    }

    [Fact]
    public void A_grown_catalogue_refits_to_a_new_version()
    {
        var before = LocalEmbeddingModel.Fit(Catalogue());
        var grown = Catalogue();
        grown.Add(Doc("8", "Paddington 2", 2017, ["Family", "Comedy"], ["bear", "london", "prison"], ["Paul King"], ["Ben Whishaw"], "Paddington looks for a present."));
        var after = LocalEmbeddingModel.Fit(grown);
        Assert.NotEqual(before.Version, after.Version);
        Assert.Equal(8, after.DocumentCount);
    }

    [Fact]
    public void Composed_text_names_every_field_an_api_model_should_see()
    {
        var doc = new TitleDocument("9", MediaKind.Series, "The Expanse", 2015, ["Sci-Fi & Fantasy", "Drama"], ["space"], ["Mark Fergus"],
            ["Steven Strait", "Dominique Tipper"], ["Amazon"], "TV-14", "Humanity has colonized the solar system.", ["The solar system is at war."], "Ended", 62);
        Assert.Equal(
            "The Expanse (2015). TV series. Genres: Sci-Fi & Fantasy, Drama. Humanity has colonized the solar system. Tagline: The solar system is at war. " +
            "Keywords: space. Created by: Mark Fergus. Starring: Steven Strait, Dominique Tipper. Network: Amazon. Rated TV-14. Status: Ended. 62 episodes.",
            doc.ComposeText());
    }
}

public sealed class ExactVectorIndexTests
{
    private static List<(long Id, float[] Vector)> RandomUnitVectors(int n, int dims, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(i =>
        {
            var v = Enumerable.Range(0, dims).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
            return ((long)i * 10, v);
        }).ToList();
    }

    [Fact]
    public void Top_k_equals_a_full_sort_and_the_batch_equals_single_queries()
    {
        var rows = RandomUnitVectors(1000, 32, 1);
        var index = new ExactVectorIndex(32, rows);
        var queries = RandomUnitVectors(20, 32, 2).Select(r => r.Vector).ToList();
        var batch = index.NearestBatch(queries, 15);
        for (var q = 0; q < queries.Count; q++)
        {
            var expected = rows.Select(r => (r.Id, Score: TensorPrimitives.Dot(queries[q], r.Vector)))
                .OrderByDescending(x => x.Score).Take(15).Select(x => x.Id).ToList();
            Assert.Equal(expected, index.Nearest(queries[q], 15).Select(h => h.Id).ToList());
            Assert.Equal(expected, batch[q].Select(h => h.Id).ToList());
        }
    }

    [Fact]
    public void Filter_excludes_titles_and_k_larger_than_the_index_returns_all_that_pass()
    {
        var rows = RandomUnitVectors(50, 8, 3);
        var index = new ExactVectorIndex(8, rows);
        var hits = index.Nearest(rows[0].Vector, 100, id => id % 20 == 0);
        Assert.Equal(25, hits.Count);
        Assert.All(hits, h => Assert.Equal(0, h.Id % 20));
        Assert.Equal(0, hits[0].Id);
    }

    [Fact]
    public void A_query_of_another_dimension_is_refused()
    {
        var index = new ExactVectorIndex(8, RandomUnitVectors(5, 8, 4));
        var e = Assert.Throws<ArgumentException>(() => index.Nearest(new float[16], 3));
        Assert.Contains("16 dimensions", e.Message, StringComparison.Ordinal);
    }
}
