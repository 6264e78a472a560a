using System.Numerics.Tensors;

namespace Aperture.Recommendations;

public sealed record RankedCandidate(long TitleId, double Score, float[]? Vector, IReadOnlyCollection<string> Genres);

// Maximal marginal relevance: each next pick trades its score against how much it repeats the
// picks already made (vector similarity and shared genres), so a list is not ten copies of one film.
public static class Reranker
{
    public static List<RankedCandidate> Diversify(IReadOnlyList<RankedCandidate> candidates, int count, double diversity)
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
                    // Share of the list already in this title's genres.
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
