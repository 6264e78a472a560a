using System.Buffers;

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
    // The neighbour rows as one compressed sparse row matrix over title slots: a link is an int slot and a float (8 bytes,
    // not a 16-byte (long, float) pair in an array per title), and a user's score is summed in a dense array, not a dictionary.
    private readonly long[] items;
    private readonly Dictionary<long, int> slotOf;
    private readonly int[] rowStart;
    private readonly int[] linkSlot;
    private readonly float[] linkSimilarity;

    private ItemCooccurrence(long[] items, int[] rowStart, int[] linkSlot, float[] linkSimilarity, int users, int activeUsers, long pairs,
        CooccurrenceOptions options)
    {
        this.items = items;
        this.rowStart = rowStart;
        this.linkSlot = linkSlot;
        this.linkSimilarity = linkSimilarity;
        slotOf = new Dictionary<long, int>(items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            slotOf[items[i]] = i;
        }
        Items = Enumerable.Range(0, items.Length).Count(i => rowStart[i + 1] > rowStart[i]);
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
    // Titles with at least one neighbour.
    public int Items { get; }

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
        var rows = new (int Slot, float Similarity)[ids.Length][];
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
            var row = new (int, float)[top.Count];
            for (var k = row.Length - 1; k >= 0; k--)
            {
                top.TryDequeue(out var b, out var key);
                row[k] = (b, key.Item1);
            }
            rows[a] = row;
            return scratch;
        }, _ => { });
        var rowStart = new int[ids.Length + 1];
        for (var a = 0; a < ids.Length; a++)
        {
            rowStart[a + 1] = rowStart[a] + rows[a].Length;
        }
        var linkSlot = new int[rowStart[ids.Length]];
        var linkSimilarity = new float[linkSlot.Length];
        for (var a = 0; a < ids.Length; a++)
        {
            var at = rowStart[a];
            foreach (var (b, similarity) in rows[a])
            {
                linkSlot[at] = b;
                linkSimilarity[at++] = similarity;
            }
            rows[a] = null!;
        }
        return new ItemCooccurrence(ids, rowStart, linkSlot, linkSimilarity, history.Count, users.Count, linkSlot.Length / 2, o);
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
    public Dictionary<long, double> ScoreUser(IReadOnlyList<WatchSignal> history, TasteOptions taste, DateTimeOffset now) =>
        ScoreUser(history, taste, now, scores =>
        {
            var result = new Dictionary<long, double>(scores.Count);
            foreach (var (id, score) in scores)
            {
                result[id] = score;
            }
            return result;
        });

    // The same scores handed to `read` straight from the summed slots, without a dictionary of every title the user reaches:
    // that is thousands of titles, a large-object array per user that only a full collection frees (the picks run reads the
    // few it pools). Valid only inside `read`.
    public T ScoreUser<T>(IReadOnlyList<WatchSignal> history, TasteOptions taste, DateTimeOffset now, Func<ScaledScores, T> read) =>
        Summed(HistoryWeights(history, taste, now, Options.PositionHalfLife), (sums, order) =>
        {
            // The largest raw score, as Enumerable.Max reads floats: NaN only when every score is NaN.
            var max = float.NaN;
            foreach (var other in order)
            {
                if (float.IsNaN(max) || sums[other] > max)
                {
                    max = sums[other];
                }
            }
            return read(new ScaledScores(items, sums, order.Count == 0 || max <= 0 ? [] : order, max));
        });

    // A user's co-watch scores over 0..1 (raw / the best), in the order titles were first reached, the positive ones only.
    public sealed class ScaledScores(long[] items, float[] sums, List<int> order, float max) : IEnumerable<KeyValuePair<long, double>>
    {
        private int count = -1;

        public int Count => count >= 0 ? count : count = order.Count(other => sums[other] > 0);

        public IEnumerator<KeyValuePair<long, double>> GetEnumerator()
        {
            foreach (var other in order)
            {
                if (sums[other] > 0)
                {
                    yield return new(items[other], sums[other] / (double)max);
                }
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    public Dictionary<long, float> Score(IEnumerable<(long Item, double Weight)> watched) =>
        Summed(watched, (sums, order) =>
        {
            var scores = new Dictionary<long, float>(order.Count);
            foreach (var other in order)
            {
                scores[items[other]] = sums[other];
            }
            return scores;
        });

    // Sums the links of the watched titles per slot, in the order the links come (the same float additions as per title in a
    // dictionary), and lets `read` take the result from the sums and the slots in the order they were first reached, before
    // the pooled arrays go back.
    private T Summed<T>(IEnumerable<(long Item, double Weight)> watched, Func<float[], List<int>, T> read)
    {
        var sums = ArrayPool<float>.Shared.Rent(items.Length);
        var reached = ArrayPool<bool>.Shared.Rent(items.Length);
        // A pooled array comes back as its last user left it.
        Array.Clear(reached, 0, items.Length);
        var order = new List<int>();
        try
        {
            foreach (var (item, weight) in watched)
            {
                if (weight <= 0 || !slotOf.TryGetValue(item, out var slot))
                {
                    continue;
                }
                for (var at = rowStart[slot]; at < rowStart[slot + 1]; at++)
                {
                    var other = linkSlot[at];
                    if (!reached[other])
                    {
                        reached[other] = true;
                        sums[other] = 0;
                        order.Add(other);
                    }
                    sums[other] += (float)(linkSimilarity[at] * weight);
                }
            }
            return read(sums, order);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(sums);
            ArrayPool<bool>.Shared.Return(reached);
        }
    }

    // How strongly two titles are watched together (0 when not among each other's neighbours).
    // The titles most watched together with this one, strongest first ("people who watched this also watched").
    public IReadOnlyList<(long Item, float Similarity)> NeighboursOf(long item) =>
        slotOf.TryGetValue(item, out var slot) && rowStart[slot + 1] > rowStart[slot] ? new Row(this, rowStart[slot], rowStart[slot + 1] - rowStart[slot]) : [];

    public float SimilarityOf(long watched, long other)
    {
        if (!slotOf.TryGetValue(watched, out var slot) || !slotOf.TryGetValue(other, out var target))
        {
            return 0;
        }
        for (var at = rowStart[slot]; at < rowStart[slot + 1]; at++)
        {
            if (linkSlot[at] == target)
            {
                return linkSimilarity[at];
            }
        }
        return 0;
    }

    // One title's neighbours as a view over the shared arrays (nothing copied).
    private sealed class Row(ItemCooccurrence model, int start, int count) : IReadOnlyList<(long Item, float Similarity)>
    {
        public int Count => count;

        public (long Item, float Similarity) this[int index] =>
            (uint)index < (uint)count
                ? (model.items[model.linkSlot[start + index]], model.linkSimilarity[start + index])
                : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<(long Item, float Similarity)> GetEnumerator()
        {
            for (var i = 0; i < count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
