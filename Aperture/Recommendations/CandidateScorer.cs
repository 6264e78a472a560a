namespace Aperture.Recommendations;

// Weights per kind (Admin › AI Config). Defaults chosen on the MovieLens benchmark (Aperture.Bench quality,
// README): what people watch next is mostly what their co-watchers and everybody else watch, so the co-watch
// signal carries the list, recent popularity and rating steer among its candidates, and similarity to the
// taste vector only tips near-ties (on its own it finds a fourteenth of what popularity finds). Genre novelty
// costs accuracy at any weight, so it is off; a little diversity costs almost nothing.
public sealed record ScoringWeights(
    double Similarity = 0.1,
    double Novelty = 0,
    double Rating = 0.1,
    double Popularity = 0.25,
    double Collaborative = 1.0,
    double Diversity = 0.05)
{
    // When ItemCooccurrence.IsUsable says no (one or two users): popularity and the community rating carry the
    // list, similarity picks among them (grid: similarity 0.25 → 0.1 and rating 0.2 → 1 each helped).
    public static ScoringWeights ContentOnly { get; } = new(Similarity: 0.1, Novelty: 0, Rating: 1, Popularity: 1, Collaborative: 0, Diversity: 0);
}

// Each signal is on 0..1 for this user, so weights mean the same for everybody.
public sealed record CandidateSignals(long TitleId, double Similarity, double Novelty, double Rating, double Popularity, double Collaborative);

public static class CandidateScorer
{
    public static double Score(CandidateSignals s, ScoringWeights w) =>
        w.Similarity * s.Similarity + w.Novelty * s.Novelty + w.Rating * s.Rating + w.Popularity * s.Popularity + w.Collaborative * s.Collaborative;

    // Similarity as a percentile among this user's candidates: cosine values differ by model and by
    // user, a rank does not. Also what the match % shows.
    public static double[] Percentiles(IReadOnlyList<float> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var result = new double[values.Count];
        for (var rank = 0; rank < order.Length; rank++)
        {
            result[order[rank]] = order.Length == 1 ? 1 : rank / (double)(order.Length - 1);
        }
        return result;
    }

    // How far a title takes the user from the genres they already watch: 0 for their favourite genre, 1 for one they never watch.
    public static double Novelty(IReadOnlyCollection<string> genres, IReadOnlyDictionary<string, double> userGenreShare)
    {
        if (genres.Count == 0 || userGenreShare.Count == 0)
        {
            return 0.5;
        }
        var top = userGenreShare.Values.Max();
        var closest = genres.Max(g => userGenreShare.GetValueOrDefault(g));
        return 1 - closest / top;
    }

    // A community rating (0–10) shrunk towards the middle when few people voted.
    public static double RatingPrior(double? rating, int votes = 1000, double prior = 6.5, int strength = 50) =>
        rating is not { } r ? 0.5 : Math.Clamp((r * votes + prior * strength) / (votes + strength) / 10, 0, 1);
}
