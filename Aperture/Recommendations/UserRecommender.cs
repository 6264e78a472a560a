using System.Numerics.Tensors;
using Aperture.Feedback;
using Aperture.Data;

namespace Aperture.Recommendations;

// A catalogue title as the recommender sees it.
public sealed record CatalogTitle(long Id, string Name, int? Year, IReadOnlyList<string> Genres, double RatingPrior, double Popularity, bool Candidate,
    double? CommunityRating = null, string? Overview = null);

// One user's watched titles with their taste weights (negative for dislikes).
public sealed record UserHistory(string UserId, IReadOnlyList<WatchSignal> Signals, IReadOnlySet<long> Excluded);

public sealed record PickDraft(
    long TitleId, int Rank, double Score, double Similarity, double Novelty, double Rating, double Popularity, double Collaborative,
    double Variety, int MatchPercent, IReadOnlyList<string> MatchedGenres, IReadOnlyList<EvidenceDraft> Evidence,
    IReadOnlyList<GenreNudge>? Nudges = null);

// A genre of the pick whose score the user's own feedback or tuning moved (Factor < 1: they asked for less of it).
public sealed record GenreNudge(string Genre, double Factor);

public sealed record EvidenceDraft(long TitleId, WatchSignal Signal, double Similarity);

public sealed record UserPicks(IReadOnlyList<PickDraft> Picks, int Candidates, IReadOnlyDictionary<string, double> GenreShare);

// Everything that is the same for every user of one run: titles, vectors, the co-watch model and a
// fixed sample of the catalogue against which similarity becomes a percentile (the match %).
public sealed class RecommendationContext(
    IReadOnlyDictionary<long, CatalogTitle> titles,
    Func<long, float[]?> vectorOf,
    ItemCooccurrence? cooccurrence,
    IReadOnlyList<(long Id, float[] Vector)> calibration,
    KindRecommendationSettings settings,
    DateTimeOffset now)
{
    public IReadOnlyDictionary<long, CatalogTitle> Titles { get; } = titles;
    public ItemCooccurrence? Cooccurrence { get; } = cooccurrence;
    public KindRecommendationSettings Settings { get; } = settings;
    public DateTimeOffset Now { get; } = now;

    public float[]? VectorOf(long id) => vectorOf(id);

    private Dictionary<string, double>? libraryGenreShare;

    // The share of the catalogue in each genre: a genre is the user's own only where they watch more of it than this.
    public IReadOnlyDictionary<string, double> LibraryGenreShare => libraryGenreShare ??= Titles.Count == 0 ? []
        : Titles.Values.SelectMany(t => t.Genres.Distinct(StringComparer.OrdinalIgnoreCase)).GroupBy(g => g, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Count() / (double)Titles.Count, StringComparer.OrdinalIgnoreCase);

    // The share of the catalogue sample this close to the taste or less: 0.9 = closer than 90 % of titles
    // (the match %); and the "unrelated" level the similarity signal starts from: the 10th percentile, not
    // the median, because in a small library half the titles may be the user's favourite kind.
    // The user's own watched titles are left out of the sample (they are what the taste is made of), and
    // ties count half (the usual percentile rank), so a small library of look-alikes does not read 50 % or 100 %.
    public static (Func<float, double> Percentile, float Unrelated) Calibrate(float[]? taste, IReadOnlyList<(long Id, float[] Vector)> sample,
        IReadOnlySet<long> excluded)
    {
        var sims = taste is null ? [] : sample.Where(x => !excluded.Contains(x.Id)).Select(x => TensorPrimitives.Dot(taste, x.Vector)).ToArray();
        if (sims.Length == 0)
        {
            return (_ => 0.5, 0);
        }
        Array.Sort(sims);
        return (s =>
        {
            var (below, equal) = MidRank.Counts(sims, s);
            return (below + 0.5 * equal) / sims.Length;
        }, sims[sims.Length / 10]);
    }


    public IReadOnlyList<(long Id, float[] Vector)> CalibrationSample { get; } = calibration;

    // Candidate titles best first by the priors alone (popular here, well rated), computed once per run.
    public IReadOnlyList<long> ByPriors => byPriors ??= Titles.Values.Where(t => t.Candidate)
        .OrderByDescending(t => t.Popularity + t.RatingPrior).ThenBy(t => t.Id).Select(t => t.Id).ToList();

    private List<long>? byPriors;
}

// One user's picks from their history and the candidates the index found near their taste.
public static class UserRecommender
{
    public static float[]? Taste(UserHistory user, RecommendationContext context) =>
        TasteProfile.Build(user.Signals, context.VectorOf, context.Settings.Taste, context.Now);

    public static Dictionary<string, double> GenreShare(UserHistory user, RecommendationContext context)
    {
        var counts = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        var total = 0.0;
        foreach (var s in user.Signals)
        {
            var w = TasteProfile.Weight(s, context.Settings.Taste, context.Now);
            if (w <= 0 || !context.Titles.TryGetValue(s.TitleId, out var t))
            {
                continue;
            }
            total += w;
            foreach (var g in t.Genres)
            {
                counts[g] = counts.GetValueOrDefault(g) + w;
            }
        }
        return total <= 0 ? counts : counts.ToDictionary(kv => kv.Key, kv => kv.Value / total, StringComparer.OrdinalIgnoreCase);
    }

    // People with overlapping histories: the co-watch score of every title for this user, 0..1 (their best is 1).
    public static Dictionary<long, double> Collaborative(UserHistory user, RecommendationContext context) =>
        context.Cooccurrence is null ? [] : context.Cooccurrence.ScoreUser(user.Signals, context.Settings.Taste, context.Now);

    // The pool and the co-watch scores of its titles, all a picks run keeps of a user's co-watch scores.
    public static (HashSet<long> Pool, Dictionary<long, double> Collaborative) PoolWithScores(UserHistory user, IEnumerable<long> nearest,
        RecommendationContext context)
    {
        if (context.Cooccurrence is null)
        {
            return (Pool(user, nearest, [], context), []);
        }
        return context.Cooccurrence.ScoreUser(user.Signals, context.Settings.Taste, context.Now, scores =>
        {
            var pool = Pool(user, nearest, scores, context);
            var kept = new Dictionary<long, double>();
            foreach (var (id, score) in scores)
            {
                if (pool.Contains(id))
                {
                    kept[id] = score;
                }
            }
            return (pool, kept);
        });
    }

    // The pool: near the taste (from the vector index, already without watched titles and their copies),
    // plus what people with similar histories watched, plus the best-loved titles on this server (priors
    // carry real weight: see README's quality benchmark).
    public static HashSet<long> Pool(UserHistory user, IEnumerable<long> nearest, IEnumerable<KeyValuePair<long, double>> collaborative, RecommendationContext context)
    {
        var poolSize = PoolSize(context.Settings);
        var pool = new HashSet<long>(nearest);
        pool.UnionWith(Strongest(collaborative.Where(kv => IsCandidate(kv.Key)), poolSize));
        pool.UnionWith(context.ByPriors.Where(IsCandidate).Take(poolSize / 2));
        pool.RemoveWhere(id => !IsCandidate(id));
        return pool;

        bool IsCandidate(long id) => !user.Excluded.Contains(id) && context.Titles.TryGetValue(id, out var t) && t.Candidate;
    }

    // The k best-scored titles (ties by the lower id), without sorting the thousands of titles a co-watch score reaches.
    private static IEnumerable<long> Strongest(IEnumerable<KeyValuePair<long, double>> scores, int k)
    {
        if (k <= 0)
        {
            return [];
        }
        // Weakest at the root: lower score, then higher id (double.CompareTo orders NaN first, as OrderBy does).
        var top = new PriorityQueue<long, (double Score, long Id)>(k + 1, WeakestFirst);
        foreach (var (id, score) in scores)
        {
            if (top.Count < k)
            {
                top.Enqueue(id, (score, id));
            }
            else if (top.TryPeek(out _, out var weakest) && WeakestFirst.Compare((score, id), weakest) > 0)
            {
                top.DequeueEnqueue(id, (score, id));
            }
        }
        return top.UnorderedItems.Select(x => x.Element);
    }

    private static readonly Comparer<(double Score, long Id)> WeakestFirst =
        Comparer<(double Score, long Id)>.Create((a, b) => a.Score.CompareTo(b.Score) is var c && c != 0 ? c : b.Id.CompareTo(a.Id));

    public static int PoolSize(KindRecommendationSettings settings) => Math.Max(200, settings.PicksPerUser * 4);

    private static List<(WatchSignal Signal, double Weight)> Positive(UserHistory user, RecommendationContext context) => user.Signals
        .Select(s => (Signal: s, Weight: TasteProfile.Weight(s, context.Settings.Taste, context.Now)))
        .Where(x => x.Weight > 0)
        .ToList();

    // adjustments: the user's own feedback and tuning (Aperture.Feedback); their signals and exclusions are already in the
    // history (FeedbackInputs.Apply), here they bring the user's weights, count and genre factors.
    public static UserPicks Recommend(UserHistory user, float[]? taste, IReadOnlySet<long> pool, IReadOnlyDictionary<long, double> collaborative,
        RecommendationContext context, UserAdjustments? adjustments = null)
    {
        var settings = context.Settings;
        adjustments ??= UserAdjustments.None;
        var weights = adjustments.Weights ?? settings.Weights;
        var count = adjustments.PicksPerUser ?? settings.PicksPerUser;
        var share = GenreShare(user, context);
        var positive = Positive(user, context);
        var (percentile, unrelated) = RecommendationContext.Calibrate(taste, context.CalibrationSample, user.Excluded);
        // Similarity as a signal: from the catalogue's unrelated level (0) to the closest candidate (1).
        // A percentile alone squeezes the whole top of a large catalogue into 0.95–1 and lets small
        // priors outvote a clear match; the scale keeps how much closer a title really is.
        var cosines = pool.ToDictionary(id => id, id => taste is not null && context.VectorOf(id) is { } v ? TensorPrimitives.Dot(taste, v) : float.NaN);
        var top = cosines.Values.Where(c => !float.IsNaN(c)).DefaultIfEmpty(unrelated).Max();
        var spread = Math.Max(1e-6, top - unrelated);
        var ranked = new List<RankedCandidate>(pool.Count);
        var signals = new Dictionary<long, (CandidateSignals Signals, int Match)>(pool.Count);
        foreach (var id in pool.Order())
        {
            var title = context.Titles[id];
            if (!adjustments.Allows(title.Genres))
            {
                continue;
            }
            var vector = context.VectorOf(id);
            var cosine = cosines[id];
            var similarity = float.IsNaN(cosine) ? 0.5 : Math.Clamp((cosine - unrelated) / spread, 0, 1);
            var match = float.IsNaN(cosine) ? 50 : (int)Math.Round(100 * percentile(cosine));
            var s = new CandidateSignals(id, similarity, CandidateScorer.Novelty(title.Genres.ToList(), share), title.RatingPrior, title.Popularity,
                collaborative.GetValueOrDefault(id));
            signals[id] = (s, match);
            ranked.Add(new RankedCandidate(id, CandidateScorer.Score(s, weights) * adjustments.GenreFactor(title.Genres), vector, title.Genres.ToList()));
        }
        var diversified = Reranker.DiversifyWithSimilarity(ranked, count, weights.Diversity);
        var chosen = diversified.Chosen;

        var picks = new List<PickDraft>(chosen.Count);
        // The user's matched genres as My Taste shows them (watched more than the library holds), and a real share of what they watch.
        var liked = share.Where(kv => kv.Value >= 0.15 && kv.Value >= context.LibraryGenreShare.GetValueOrDefault(kv.Key))
            .Select(kv => kv.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var evidence = new EvidenceFinder(positive, chosen, context);
        for (var rank = 0; rank < chosen.Count; rank++)
        {
            var c = chosen[rank];
            var (s, match) = signals[c.TitleId];
            // 1 − the closest similarity to a pick above (the reranker's running maximum, floored at 0), in float as it always was.
            var variety = c.Vector is null ? 1.0 : Math.Min(1.0, 1 - diversified.ClosestAbove[rank]);
            // A pick that is not close to the taste is never said to match it, whatever genres it shares.
            var genres = MatchScale.SaysTaste(match) ? context.Titles[c.TitleId].Genres.Where(liked.Contains).ToList() : [];
            picks.Add(new PickDraft(c.TitleId, rank + 1, c.Score, s.Similarity, s.Novelty, s.Rating, s.Popularity, s.Collaborative,
                variety, match, genres, evidence.For(rank, c), Nudges(context.Titles[c.TitleId].Genres, adjustments)));
        }
        return new UserPicks(picks, pool.Count, share);
    }

    // The genres of a pick that the user's "more / less / not my genre" moved, so the explanation can say so.
    private static List<GenreNudge> Nudges(IReadOnlyList<string> genres, UserAdjustments adjustments) => adjustments.GenreFactors.Count == 0 ? []
        : [.. genres.Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(g => new GenreNudge(g, adjustments.GenreFactors.GetValueOrDefault(g, 1)))
            .Where(n => Math.Abs(n.Factor - 1) > 1e-9)];

    // The watched titles that pulled a pick in: nearest to it in vector space, weighted by how much they count in the taste,
    // plus those people watched together with it. The co-watch links between the user's history and the chosen picks are
    // read once per user (each watched title's neighbour row, once) into one small array per pick, not searched per pair.
    private sealed class EvidenceFinder
    {
        // The 3–5 that matter: always the strongest three, then others only if they pull nearly as hard.
        private const int Kept = 5;

        private readonly List<(WatchSignal Signal, double Weight, float[]? Vector)> positive;
        // Per chosen pick (by rank), the co-watch link of each positive title (by its index in positive); 0 when none.
        private readonly float[][] cowatch;
        private readonly double maxWeight;

        public EvidenceFinder(List<(WatchSignal Signal, double Weight)> positive, List<RankedCandidate> chosen, RecommendationContext context)
        {
            this.positive = positive.Select(p => (p.Signal, p.Weight, context.VectorOf(p.Signal.TitleId))).ToList();
            maxWeight = positive.Count == 0 ? 0 : positive.Max(p => p.Weight);
            cowatch = new float[chosen.Count][];
            if (context.Cooccurrence is { } model && chosen.Count > 0 && positive.Count > 0)
            {
                var rankOf = new Dictionary<long, int>(chosen.Count);
                for (var rank = 0; rank < chosen.Count; rank++)
                {
                    rankOf.TryAdd(chosen[rank].TitleId, rank);
                }
                for (var j = 0; j < positive.Count; j++)
                {
                    var row = model.NeighboursOf(positive[j].Signal.TitleId);
                    // The first link in the row, as SimilarityOf reads it (a row holds each title once).
                    for (var n = row.Count - 1; n >= 0; n--)
                    {
                        var (item, similarity) = row[n];
                        if (rankOf.TryGetValue(item, out var rank))
                        {
                            (cowatch[rank] ??= new float[positive.Count])[j] = similarity;
                        }
                    }
                }
            }
        }

        public List<EvidenceDraft> For(int rank, RankedCandidate pick)
        {
            if (positive.Count == 0)
            {
                return [];
            }
            var links = cowatch[rank];
            // The best Kept by pull, ties by title id then history order: the head of the stable sort this replaces.
            var best = new (double Pull, long TitleId, int Index, float Similarity)[Kept];
            var kept = 0;
            for (var j = 0; j < positive.Count; j++)
            {
                var (signal, weight, vector) = positive[j];
                var similarity = pick.Vector is not null && vector is not null ? TensorPrimitives.Dot(pick.Vector, vector) : 0f;
                var linked = links is null ? 0f : links[j];
                var pull = (Math.Max(0, similarity) + linked) * (0.5 + 0.5 * weight / maxWeight);
                if (!(pull > 0))
                {
                    continue;
                }
                var at = kept;
                while (at > 0 && (pull > best[at - 1].Pull || (pull == best[at - 1].Pull && signal.TitleId < best[at - 1].TitleId)))
                {
                    at--;
                }
                if (at >= Kept)
                {
                    continue;
                }
                for (var k = Math.Min(kept, Kept - 1); k > at; k--)
                {
                    best[k] = best[k - 1];
                }
                best[at] = (pull, signal.TitleId, j, Math.Max(similarity, linked));
                kept = Math.Min(kept + 1, Kept);
            }
            var result = new List<EvidenceDraft>(kept);
            for (var i = 0; i < kept; i++)
            {
                if (i < 3 || best[i].Pull >= 0.6 * best[0].Pull)
                {
                    var signal = positive[best[i].Index].Signal;
                    result.Add(new EvidenceDraft(signal.TitleId, signal, best[i].Similarity));
                }
            }
            return result;
        }
    }
}
