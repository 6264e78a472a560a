namespace Aperture.Recommendations;

// The collaborative signal: titles watched by the same people are related (item-item cosine over
// who watched what). A user's score for a title sums its similarity to everything they watched.
public sealed class ItemCooccurrence
{
    private readonly Dictionary<long, (long Item, float Similarity)[]> neighbours;

    private ItemCooccurrence(Dictionary<long, (long, float)[]> neighbours, int users)
    {
        this.neighbours = neighbours;
        Users = users;
    }

    public int Users { get; }
    public int Items => neighbours.Count;

    // history: each user's watched titles. Keeps the strongest `keep` neighbours per title.
    public static ItemCooccurrence Build(IReadOnlyDictionary<string, IReadOnlyCollection<long>> history, int keep = 200, int minCount = 2)
    {
        var count = new Dictionary<long, int>();
        foreach (var items in history.Values)
        {
            foreach (var i in items)
            {
                count[i] = count.GetValueOrDefault(i) + 1;
            }
        }
        var pairs = new Dictionary<long, Dictionary<long, int>>();
        foreach (var items in history.Values)
        {
            var list = items.Where(i => count[i] >= minCount).ToArray();
            // Heavy users say less per pair (otherwise one binge-watcher links everything to everything).
            foreach (var a in list)
            {
                if (!pairs.TryGetValue(a, out var row))
                {
                    pairs[a] = row = [];
                }
                foreach (var b in list)
                {
                    if (a != b)
                    {
                        row[b] = row.GetValueOrDefault(b) + 1;
                    }
                }
            }
        }
        var result = new Dictionary<long, (long, float)[]>(pairs.Count);
        foreach (var (a, row) in pairs)
        {
            result[a] = row
                .Select(kv => (kv.Key, (float)(kv.Value / Math.Sqrt((double)count[a] * count[kv.Key]))))
                .OrderByDescending(x => x.Item2)
                .Take(keep)
                .ToArray();
        }
        return new ItemCooccurrence(result, history.Count);
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
