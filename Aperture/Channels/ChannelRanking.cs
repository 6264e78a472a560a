using Aperture.Recommendations;

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

    public static Dictionary<long, double> Fuse(IReadOnlyList<long> lexical, IReadOnlyList<long> vector)
    {
        var fused = new Dictionary<long, double>();
        for (var i = 0; i < lexical.Count; i++)
        {
            fused[lexical[i]] = fused.GetValueOrDefault(lexical[i]) + LexicalWeight / (RrfK + i + 1);
        }
        for (var i = 0; i < vector.Count; i++)
        {
            fused[vector[i]] = fused.GetValueOrDefault(vector[i]) + VectorWeight / (RrfK + i + 1);
        }
        return fused;
    }

    // The fused top, diversified: the candidates carry their fused score (plus any taste lean the caller added).
    public static List<RankedCandidate> Choose(IReadOnlyList<RankedCandidate> candidates, int size, double diversity) =>
        Reranker.Diversify(candidates, size, diversity);
}
