namespace Aperture.Recommendations;

// How the co-watch similarity is computed (defaults measured on the MovieLens benchmark, README).
public sealed record CooccurrenceOptions
{
    // sim(a→b) = c_ab / (n_a^α · n_b^(1-α)) for a watched title a and a candidate b: 0.5 is cosine; above it
    // popular candidates rank higher (1 = "people who watched a also watched b" as a share of a's viewers).
    public double Alpha { get; init; } = 0.5;
    // Pairs seen together by few people are shrunk: sim · c/(c + Shrink).
    public double Shrink { get; init; }
    // Each user's co-watches count 1/|history|^HeavyUserDamping, so one binge-watcher does not link everything
    // (0 = every user counts 1; the largest single gain on the benchmark).
    public double HeavyUserDamping { get; init; } = 0.7;
    // ScoreUser: a watch counts half per this many titles back from the user's latest (infinity = off).
    public double PositionHalfLife { get; init; } = 10;
}

// The collaborative signal: titles watched by the same people are related (item-item similarity over
// who watched what). A user's score for a title sums its similarity to everything they watched.
public sealed class ItemCooccurrence
{
    private readonly Dictionary<long, (long Item, float Similarity)[]> neighbours;

    private ItemCooccurrence(Dictionary<long, (long, float)[]> neighbours, int users, int activeUsers, long pairs, CooccurrenceOptions options)
    {
        this.neighbours = neighbours;
        Options = options;
        Users = users;
        ActiveUsers = activeUsers;
        Pairs = pairs;
    }

    public int Users { get; }
    public CooccurrenceOptions Options { get; }
    // Users with at least two titles that someone else also watched: the ones that link titles.
    public int ActiveUsers { get; }
    // Linked title pairs: kept neighbour links over all titles, halved (a link is usually kept in both rows).
    public long Pairs { get; }
    public int Items => neighbours.Count;

    // Whether the co-watch signal says anything on this server: with one or two users every title a user
    // watched is "related" to every other, which is their own history echoed back, not a recommendation.
    // Off: blend with ScoringWeights.ContentOnly instead. On MovieLens groups (bench --small-servers) the co-watch
    // blend loses to ContentOnly with 1–3 users and wins from 5.
    public bool IsUsable(int minUsers = 5, long minPairs = 100) => ActiveUsers >= minUsers && Pairs >= minPairs;

    // history: each user's watched titles. Keeps the strongest `keep` neighbours per title.
    public static ItemCooccurrence Build(IReadOnlyDictionary<string, IReadOnlyCollection<long>> history, int keep = 200, int minCount = 2,
        CooccurrenceOptions? options = null)
    {
        var o = options ?? new CooccurrenceOptions();
        var count = new Dictionary<long, int>();
        var histories = new List<long[]>(history.Count);
        // Ordinal key order: the same histories give the same float sums whatever the dictionary's order.
        foreach (var key in history.Keys.Order(StringComparer.Ordinal))
        {
            var items = history[key].Distinct().ToArray();
            histories.Add(items);
            foreach (var i in items)
            {
                count[i] = count.GetValueOrDefault(i) + 1;
            }
        }
        var ids = count.Where(kv => kv.Value >= minCount).Select(kv => kv.Key).Order().ToArray();
        var index = new Dictionary<long, int>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            index[ids[i]] = i;
        }
        var users = new List<(int[] Items, float Weight)>();
        foreach (var items in histories)
        {
            var kept = items.Where(index.ContainsKey).Select(i => index[i]).ToArray();
            if (kept.Length >= 2)
            {
                users.Add((kept, (float)Math.Pow(kept.Length, -o.HeavyUserDamping)));
            }
        }
        // Who watched each title (CSR), so a title's row is built from its own viewers only.
        var viewers = new List<int>[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            viewers[i] = [];
        }
        for (var u = 0; u < users.Count; u++)
        {
            foreach (var i in users[u].Items)
            {
                viewers[i].Add(u);
            }
        }
        var watchedSide = ids.Select(i => Math.Pow(count[i], o.Alpha)).ToArray();
        var candidateSide = ids.Select(i => Math.Pow(count[i], 1 - o.Alpha)).ToArray();
        var rows = new (long, float)[ids.Length][];
        Parallel.For(0, ids.Length, () => (Sum: new float[ids.Length], Hits: new int[ids.Length], Touched: new List<int>()), (a, loop, scratch) =>
        {
            var (sum, hits, touched) = scratch;
            foreach (var u in viewers[a])
            {
                var (items, weight) = users[u];
                foreach (var b in items)
                {
                    if (b == a)
                    {
                        continue;
                    }
                    if (hits[b] == 0)
                    {
                        touched.Add(b);
                    }
                    hits[b]++;
                    sum[b] += weight;
                }
            }
            var top = new PriorityQueue<int, (float, long)>(keep + 1);
            var na = watchedSide[a];
            foreach (var b in touched)
            {
                var similarity = (float)(sum[b] / (na * candidateSide[b]) * (hits[b] / (hits[b] + o.Shrink)));
                // Ties broken by id, so the kept set does not depend on the order titles were touched in.
                if (top.Count < keep)
                {
                    top.Enqueue(b, (similarity, -ids[b]));
                }
                else if (top.TryPeek(out _, out var weakest) && (similarity, -ids[b]).CompareTo(weakest) > 0)
                {
                    top.DequeueEnqueue(b, (similarity, -ids[b]));
                }
                sum[b] = 0;
                hits[b] = 0;
            }
            touched.Clear();
            var row = new (long, float)[top.Count];
            for (var k = row.Length - 1; k >= 0; k--)
            {
                top.TryDequeue(out var b, out var key);
                row[k] = (ids[b], key.Item1);
            }
            rows[a] = row;
            return scratch;
        }, _ => { });
        var result = new Dictionary<long, (long, float)[]>(ids.Length);
        long pairs = 0;
        for (var a = 0; a < ids.Length; a++)
        {
            if (rows[a].Length > 0)
            {
                result[ids[a]] = rows[a];
                pairs += rows[a].Length;
            }
        }
        return new ItemCooccurrence(result, history.Count, users.Count, pairs / 2, o);
    }

    // A user's history as the co-watch score weighs it: TasteProfile.Weight (rating, favourite, time
    // recency, dislikes negative) times 0.5 per positionHalfLife titles back from the latest watch — what
    // someone watched last predicts what they watch next, even when they watched it all in one week.
    public static List<(long Item, double Weight)> HistoryWeights(IReadOnlyList<WatchSignal> history, TasteOptions options, DateTimeOffset now,
        double positionHalfLife = double.PositiveInfinity)
    {
        var ordered = history.OrderBy(w => w.LastPlayed ?? DateTimeOffset.MinValue).ThenBy(w => w.TitleId).ToList();
        var result = new List<(long, double)>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var back = ordered.Count - 1 - i;
            result.Add((ordered[i].TitleId, TasteProfile.Weight(ordered[i], options, now) * Math.Pow(0.5, back / positionHalfLife)));
        }
        return result;
    }

    // The collaborative signal of one user for CandidateSignals: Score over HistoryWeights (Options.PositionHalfLife),
    // divided by the user's best score so it is on 0..1 like the other signals. Titles the user watched are left in:
    // the caller drops them with the rest of the history.
    public Dictionary<long, double> ScoreUser(IReadOnlyList<WatchSignal> history, TasteOptions taste, DateTimeOffset now)
    {
        var raw = Score(HistoryWeights(history, taste, now, Options.PositionHalfLife));
        var max = raw.Count == 0 ? 0 : raw.Values.Max();
        return max <= 0 ? [] : raw.Where(kv => kv.Value > 0).ToDictionary(kv => kv.Key, kv => kv.Value / (double)max);
    }

    public Dictionary<long, float> Score(IEnumerable<(long Item, double Weight)> watched)
    {
        var scores = new Dictionary<long, float>();
        foreach (var (item, weight) in watched)
        {
            if (weight <= 0 || !neighbours.TryGetValue(item, out var row))
            {
                continue;
            }
            foreach (var (other, similarity) in row)
            {
                scores[other] = scores.GetValueOrDefault(other) + (float)(similarity * weight);
            }
        }
        return scores;
    }

    // How strongly two titles are watched together (0 when not among each other's neighbours).
    // The titles most watched together with this one, strongest first ("people who watched this also watched").
    public IReadOnlyList<(long Item, float Similarity)> NeighboursOf(long item) =>
        neighbours.TryGetValue(item, out var row) ? row : [];

    public float SimilarityOf(long watched, long other)
    {
        if (!neighbours.TryGetValue(watched, out var row))
        {
            return 0;
        }
        foreach (var (item, similarity) in row)
        {
            if (item == other)
            {
                return similarity;
            }
        }
        return 0;
    }
}
