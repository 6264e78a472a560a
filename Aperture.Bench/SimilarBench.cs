using System.Globalization;
using Aperture.Embeddings;
using Aperture.Recommendations;
using Aperture.VectorSearch;

namespace Aperture.Bench;

// "More like this" on MovieLens: for every title with a sequel in the catalogue, is the sequel in the top 10; and the
// audience overlap of the top 10 (Jaccard of the users who rated both >= 4) against random titles, before (content
// vectors only, main's code) and after (same series first, content blended with co-watch).
internal static class SimilarBench
{
    private const int K = 10;

    public static int Run(string[] args)
    {
        var folder = MovieLens.FindFolder();
        if (folder is null)
        {
            Console.Error.WriteLine("movielens-small not found (../shared/data/movielens-small).");
            return 2;
        }
        var ml = MovieLens.Load(folder);
        var model = LocalEmbeddingModel.Fit(ml.Items);
        var vectors = ml.Items.ToDictionary(i => long.Parse(i.Key, CultureInfo.InvariantCulture), model.Embed);
        var index = new ExactVectorIndex(model.Dimensions, vectors.Select(kv => (kv.Key, kv.Value)).ToList());
        var candidates = ml.Items.ToDictionary(i => long.Parse(i.Key, CultureInfo.InvariantCulture),
            i => new SimilarCandidate(long.Parse(i.Key, CultureInfo.InvariantCulture), i.Name, i.Year, i.Directors.Concat(i.Cast).ToList()));
        // Co-watch as the app builds it: every rated title is watched (the same history the recommender reads).
        var history = ml.Ratings.GroupBy(r => r.UserId.ToString(CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => (IReadOnlyCollection<long>)g.Select(r => (long)r.MovieId).ToList());
        var coWatch = ItemCooccurrence.Build(history);
        var likers = ml.Ratings.Where(r => r.Rating >= 4).GroupBy(r => (long)r.MovieId).ToDictionary(g => g.Key, g => g.Select(r => r.UserId).ToHashSet());

        // Sequels, judged by the title alone (the data has no TMDB collection): "<name> 2", "<name> II", "<name> Part 2",
        // "<name>: Part II", "<name> 2: subtitle" — the first film's exact name followed by a sequel number.
        var byName = ml.Items.GroupBy(i => Bare(i.Name)).ToDictionary(g => g.Key, g => g.Select(i => long.Parse(i.Key, CultureInfo.InvariantCulture)).ToList());
        var pairs = new List<(long First, long Sequel)>();
        foreach (var item in ml.Items)
        {
            var m = System.Text.RegularExpressions.Regex.Match(Bare(item.Name), @"^(.+?)[:,]?\s+(part\s+)?(2|ii)(\s*[:\-].*)?$");
            if (m.Success && byName.TryGetValue(m.Groups[1].Value.Trim(), out var firsts))
            {
                pairs.AddRange(firsts.Select(f => (f, long.Parse(item.Key, CultureInfo.InvariantCulture))));
            }
        }

        var before = new Func<long, List<long>>(id => index.Nearest(vectors[id], K + 1, o => o != id).Select(h => h.Id).Take(K).ToList());
        var after = new Func<long, List<long>>(id =>
        {
            var content = index.Nearest(vectors[id], 50, o => o != id).Select(h => (h.Id, h.Score)).ToList();
            var stem = SimilarBlend.SeriesStem(candidates[id].Name);
            var series = stem is null ? [] : candidates.Values.Where(c => c.Id != id && SimilarBlend.SeriesStem(c.Name) == stem).ToList();
            return SimilarBlend.Rank(candidates[id], content, coWatch.NeighboursOf(id).Take(50).ToList(), series, K).Select(s => s.Id).ToList();
        });

        Console.WriteLine($"more like this on MovieLens ({ml.Items.Count} titles, co-watch from {history.Count} users)");
        Console.WriteLine($"  sequel pairs by title (\"X\" → \"X 2\"/\"X II\"/\"X Part 2\"): {pairs.Count}");
        Console.WriteLine($"    sequel in top {K}: before {pairs.Count(p => before(p.First).Contains(p.Sequel)) / (double)pairs.Count:P0}, after {pairs.Count(p => after(p.First).Contains(p.Sequel)) / (double)pairs.Count:P0}");
        var random = new Random(42);
        var ids = vectors.Keys.ToArray();
        var probes = ids.Where(id => likers.TryGetValue(id, out var l) && l.Count >= 10).ToArray();
        double b = 0, a = 0, r = 0;
        var n = 0;
        foreach (var id in probes)
        {
            var bl = before(id);
            var al = after(id);
            for (var i = 0; i < K; i++)
            {
                b += i < bl.Count ? Jaccard(likers[id], likers.GetValueOrDefault(bl[i]) ?? []) : 0;
                a += i < al.Count ? Jaccard(likers[id], likers.GetValueOrDefault(al[i]) ?? []) : 0;
                r += Jaccard(likers[id], likers.GetValueOrDefault(ids[random.Next(ids.Length)]) ?? []);
                n++;
            }
        }
        Console.WriteLine($"  audience overlap of the top {K} ({probes.Length} titles liked by >= 10 users; Jaccard of users who rated both >= 4):");
        Console.WriteLine($"    random {r / n:F4}, before {b / n:F4} ({b / r:F1}x), after {a / n:F4} ({a / r:F1}x)");
        foreach (var name in new[] { "Toy Story", "Alien", "Godfather, The", "Shrek" })
        {
            if (ml.Items.FirstOrDefault(i => i.Name == name) is { } item)
            {
                var id = long.Parse(item.Key, CultureInfo.InvariantCulture);
                Console.WriteLine($"    {name}: before {string.Join("; ", before(id).Take(5).Select(x => ml.ById[(int)x].Name))}");
                Console.WriteLine($"    {new string(' ', name.Length)}  after  {string.Join("; ", after(id).Take(5).Select(x => ml.ById[(int)x].Name))}");
            }
        }
        return 0;
    }

    private static string Bare(string name) => System.Text.RegularExpressions.Regex.Replace(name.Trim(), @",\s*(The|A|An)$", "").ToLowerInvariant();

    private static double Jaccard(HashSet<int> x, HashSet<int> y)
    {
        if (x.Count == 0 && y.Count == 0)
        {
            return 0;
        }
        var shared = x.Count(y.Contains);
        return shared / (double)(x.Count + y.Count - shared);
    }
}
