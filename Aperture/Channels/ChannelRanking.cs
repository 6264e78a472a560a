using Aperture.Recommendations;
using Aperture.VectorSearch;

namespace Aperture.Channels;

// How a channel's two rankings become one: reciprocal rank fusion of the vocabulary ranking (what the words say,
// understood against the catalogue) and the vector ranking (the embedding model's idea of the words and examples).
// The vocabulary counts double: the local vectors blur words into their neighbours, and a remote model's vector
// still joins as the second voice. Then the diversity re-rank of the fused top.
public static class ChannelRanking
{
    public const double LexicalWeight = 1.0;
    public const double VectorWeight = 0.5;
    // The usual RRF constant: ranks 1 and 10 differ, ranks 200 and 210 hardly.
    public const int RrfK = 60;

    // The vector voice names only titles reasonably near the query (at least this share of the best cosine): rank
    // fusion forgets magnitudes, and the 150th-nearest title of a local model is often not near at all.
    public const double VectorNear = 0.5;

    public static Dictionary<long, double> Fuse(IReadOnlyList<long> lexical, IReadOnlyList<VectorHit> vector)
    {
        var fused = new Dictionary<long, double>();
        for (var i = 0; i < lexical.Count; i++)
        {
            fused[lexical[i]] = fused.GetValueOrDefault(lexical[i]) + LexicalWeight / (RrfK + i + 1);
        }
        var best = vector.Count == 0 ? 0 : vector.Max(h => h.Score);
        for (var i = 0; i < vector.Count && vector[i].Score >= VectorNear * best; i++)
        {
            fused[vector[i].Id] = fused.GetValueOrDefault(vector[i].Id) + VectorWeight / (RrfK + i + 1);
        }
        return fused;
    }

    // The best fused titles for a channel of this size (four times over, for the diversity re-rank to choose from);
    // if the two voices name fewer, the rest of the vector ranking fills up, below them, so a filtered channel is full.
    public static List<(long Id, double Score)> Pool(Dictionary<long, double> fused, IReadOnlyList<VectorHit> vector, int size)
    {
        var pool = fused.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(Math.Max(size * 4, 40)).Select(kv => (kv.Key, kv.Value)).ToList();
        if (pool.Count < size)
        {
            var floor = pool.Count == 0 ? 1e-3 : pool.Min(p => p.Value);
            var taken = pool.Select(p => p.Key).ToHashSet();
            foreach (var hit in vector.Where(h => !taken.Contains(h.Id)).Take(size - pool.Count))
            {
                floor *= 0.99;
                pool.Add((hit.Id, floor));
            }
        }
        return pool;
    }

    // The genres the channel asks for (its filter, and genres its words name outright or through a synonym): sharing
    // them is what the channel is, not repetition, so the diversity re-rank does not count them.
    public static HashSet<string> AskedGenres(WordQuery? query, IEnumerable<string> include)
    {
        var asked = new HashSet<string>(include, StringComparer.OrdinalIgnoreCase);
        if (query is not null)
        {
            asked.UnionWith(query.Labels.Where(l => l.Kind == "genre" && l.Source is LabelSource.Words or LabelSource.Synonym).Select(l => l.Display));
        }
        return asked;
    }

    // The fused top, diversified: the candidates carry their fused score (plus any taste lean the caller added).
    public static List<RankedCandidate> Choose(IReadOnlyList<RankedCandidate> candidates, int size, double diversity) =>
        Reranker.Diversify(candidates, size, diversity);
}
