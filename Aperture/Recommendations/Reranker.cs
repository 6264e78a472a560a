using System.Numerics.Tensors;

namespace Aperture.Recommendations;

public sealed record RankedCandidate(long TitleId, double Score, float[]? Vector, IReadOnlyCollection<string> Genres);

// A diversified list, with each pick's closest vector similarity to the picks above it (0 when none is positive or it has
// no vector): what the pick's "variety" is made from.
public sealed record DiversifiedList(List<RankedCandidate> Chosen, IReadOnlyList<float> ClosestAbove);

// Maximal marginal relevance: each next pick trades its score against how much it repeats the
// picks already made (vector similarity and shared genres), so a list is not ten copies of one film.
public static class Reranker
{
    public static List<RankedCandidate> Diversify(IReadOnlyList<RankedCandidate> candidates, int count, double diversity) =>
        DiversifyWithSimilarity(candidates, count, diversity).Chosen;

    // Linear in picks: each candidate keeps its running maximum similarity to the chosen set, updated with one dot product per
    // pick (O(picks × pool)), instead of comparing it with every chosen title again each round (O(picks² × pool)). The same
    // float maxima in the same order, so the same list as the quadratic form (Recommendations tests keep it as the reference).
    public static DiversifiedList DiversifyWithSimilarity(IReadOnlyList<RankedCandidate> candidates, int count, double diversity)
    {
        var pool = candidates.OrderByDescending(c => c.Score).Take(Math.Max(count * 4, count)).ToList();
        var chosen = new List<RankedCandidate>(Math.Min(count, pool.Count));
        var closest = new List<float>(chosen.Capacity);
        if (pool.Count == 0)
        {
            return new DiversifiedList(chosen, closest);
        }
        var max = pool.Max(c => c.Score);
        var min = pool.Min(c => c.Score);
        var span = max - min > 1e-9 ? max - min : 1;
        // Genres as small ints (case-insensitive, as the counts always were): the share of the list in a candidate's genres is
        // then a few array reads per round instead of a string-hashing lookup per genre per candidate per round.
        var genreIds = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var genresOf = new int[pool.Count][];
        for (var i = 0; i < pool.Count; i++)
        {
            var ids = new int[pool[i].Genres.Count];
            var n = 0;
            foreach (var g in pool[i].Genres)
            {
                if (!genreIds.TryGetValue(g, out var id))
                {
                    genreIds[g] = id = genreIds.Count;
                }
                ids[n++] = id;
            }
            genresOf[i] = ids;
        }
        var genreCounts = new int[genreIds.Count];
        // Running max of dot(candidate, chosen) over the chosen so far, starting at 0 (a negative similarity is no repetition).
        var maxSimilarity = new float[pool.Count];
        var taken = new bool[pool.Count];
        while (chosen.Count < count && chosen.Count < pool.Count)
        {
            var best = -1;
            var bestValue = double.NegativeInfinity;
            for (var i = 0; i < pool.Count; i++)
            {
                if (taken[i])
                {
                    continue;
                }
                var c = pool[i];
                var relevance = (c.Score - min) / span;
                var redundancy = 0.0;
                if (diversity > 0 && chosen.Count > 0)
                {
                    // Share of the list already in this title's genres: the mean count over the title's genres (a long sum over an
                    // int count, as Enumerable.Average computes it), per pick so far.
                    var genres = genresOf[i];
                    var genreShare = 0.0;
                    if (genres.Length > 0)
                    {
                        long sum = 0;
                        foreach (var g in genres)
                        {
                            sum += genreCounts[g];
                        }
                        genreShare = (double)sum / genres.Length / chosen.Count;
                    }
                    redundancy = 0.5 * maxSimilarity[i] + 0.5 * genreShare;
                }
                var value = (1 - diversity) * relevance - diversity * redundancy;
                if (value > bestValue)
                {
                    bestValue = value;
                    best = i;
                }
            }
            // Nothing better than -infinity (NaN scores): the first one left, as the list order has it.
            best = best >= 0 ? best : Array.IndexOf(taken, false);
            var pick = pool[best];
            taken[best] = true;
            chosen.Add(pick);
            closest.Add(maxSimilarity[best]);
            foreach (var g in genresOf[best])
            {
                genreCounts[g]++;
            }
            if (pick.Vector is { } chosenVector)
            {
                for (var i = 0; i < pool.Count; i++)
                {
                    if (!taken[i] && pool[i].Vector is { } v)
                    {
                        var similarity = TensorPrimitives.Dot(v, chosenVector);
                        if (similarity > maxSimilarity[i])
                        {
                            maxSimilarity[i] = similarity;
                        }
                    }
                }
            }
        }
        return new DiversifiedList(chosen, closest);
    }
}
