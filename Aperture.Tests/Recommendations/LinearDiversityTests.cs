using System.Numerics.Tensors;
using Aperture.Recommendations;

namespace Aperture.Tests.Recommendations;

// The linear maximal-marginal-relevance re-rank against the quadratic one it replaced (kept here, verbatim, as the
// reference): the same lists and the same "variety" per pick on fixed random inputs with ties, titles without vectors,
// shared genres and every diversity setting from off to full.
public sealed class LinearDiversityTests
{
    private static readonly string[] GenrePool = ["Drama", "Comedy", "Horror", "Western", "Animation", "Thriller", "Romance"];

    private static List<RankedCandidate> Candidates(int seed, int count)
    {
        var random = new Random(seed);
        var list = new List<RankedCandidate>(count);
        for (var i = 0; i < count; i++)
        {
            float[]? vector = null;
            if (random.Next(10) != 0)
            {
                vector = new float[32];
                for (var d = 0; d < vector.Length; d++)
                {
                    vector[d] = (float)(random.NextDouble() * 2 - 1);
                }
                var norm = TensorPrimitives.Norm(vector);
                TensorPrimitives.Divide(vector, norm, vector);
            }
            var genres = GenrePool.Where(_ => random.Next(4) == 0).ToList();
            // Scores on a coarse grid, so ties happen and the order among them matters.
            list.Add(new RankedCandidate(1000 + i, Math.Round(random.NextDouble(), 2), vector, genres));
        }
        return list;
    }

    [Theory]
    [InlineData(1, 50, 0.0)]
    [InlineData(2, 50, 0.05)]
    [InlineData(3, 50, 0.3)]
    [InlineData(4, 20, 1.0)]
    [InlineData(5, 120, 0.5)]
    [InlineData(6, 500, 0.3)]
    public void Linear_rerank_gives_the_same_list_and_variety_as_the_quadratic_reference(int seed, int count, double diversity)
    {
        var candidates = Candidates(seed, Math.Max(count * 5, 60));

        var expected = QuadraticReference(candidates, count, diversity);
        var actual = Reranker.DiversifyWithSimilarity(candidates, count, diversity);

        Assert.Equal(expected.Select(c => c.TitleId), actual.Chosen.Select(c => c.TitleId));
        Assert.Equal(expected.Count, actual.ClosestAbove.Count);
        for (var rank = 0; rank < expected.Count; rank++)
        {
            var c = expected[rank];
            Assert.Equal(ReferenceVariety(expected, rank), c.Vector is null ? 1.0 : Math.Min(1.0, 1 - actual.ClosestAbove[rank]));
        }
        Assert.Equal(expected.Select(c => c.TitleId), Reranker.Diversify(candidates, count, diversity).Select(c => c.TitleId));
    }

    [Fact]
    public void An_empty_pool_gives_an_empty_list()
    {
        var result = Reranker.DiversifyWithSimilarity([], 50, 0.3);
        Assert.Empty(result.Chosen);
        Assert.Empty(result.ClosestAbove);
    }

    // UserRecommender's variety before the change: the smallest 1 − max(0, cosine) to any pick above.
    private static double ReferenceVariety(List<RankedCandidate> chosen, int rank)
    {
        var c = chosen[rank];
        var variety = 1.0;
        if (c.Vector is not null)
        {
            for (var above = 0; above < rank; above++)
            {
                if (chosen[above].Vector is { } v)
                {
                    variety = Math.Min(variety, 1 - Math.Max(0, TensorPrimitives.Dot(c.Vector, v)));
                }
            }
        }
        return variety;
    }

    // Reranker.Diversify as it was (O(picks² × pool)).
    private static List<RankedCandidate> QuadraticReference(IReadOnlyList<RankedCandidate> candidates, int count, double diversity)
    {
        var pool = candidates.OrderByDescending(c => c.Score).Take(Math.Max(count * 4, count)).ToList();
        var chosen = new List<RankedCandidate>(count);
        if (pool.Count == 0)
        {
            return chosen;
        }
        var max = pool.Max(c => c.Score);
        var min = pool.Min(c => c.Score);
        var span = max - min > 1e-9 ? max - min : 1;
        var genreCounts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        while (chosen.Count < count && pool.Count > 0)
        {
            var best = 0;
            var bestValue = double.NegativeInfinity;
            for (var i = 0; i < pool.Count; i++)
            {
                var c = pool[i];
                var relevance = (c.Score - min) / span;
                var redundancy = 0.0;
                if (diversity > 0 && chosen.Count > 0)
                {
                    if (c.Vector is not null)
                    {
                        foreach (var s in chosen)
                        {
                            if (s.Vector is not null)
                            {
                                redundancy = Math.Max(redundancy, TensorPrimitives.Dot(c.Vector, s.Vector));
                            }
                        }
                    }
                    var genreShare = c.Genres.Count == 0 ? 0 : c.Genres.Average(g => genreCounts.GetValueOrDefault(g)) / chosen.Count;
                    redundancy = 0.5 * redundancy + 0.5 * genreShare;
                }
                var value = (1 - diversity) * relevance - diversity * redundancy;
                if (value > bestValue)
                {
                    bestValue = value;
                    best = i;
                }
            }
            var pick = pool[best];
            pool.RemoveAt(best);
            chosen.Add(pick);
            foreach (var g in pick.Genres)
            {
                genreCounts[g] = genreCounts.GetValueOrDefault(g) + 1;
            }
        }
        return chosen;
    }
}
