using System.Globalization;
using Aperture.Channels;
using Aperture.Embeddings;
using Aperture.Recommendations;
using Aperture.VectorSearch;

namespace Aperture.Bench;

// Channels from words alone on the MovieLens catalogue: precision@20 of natural-language queries, each judged by
// MovieLens genres or TMDB keywords (a title is relevant if it has any of the listed ones).
internal static class ChannelsBench
{
    private const int Size = 20;

    private sealed record Judged(string Query, string[] Genres, string[] Keywords);

    // Phrased the way people talk, not the literal genre or keyword; judged by what a person would accept.
    private static readonly Judged[] Queries =
    [
        new("classic film noir", ["Film-Noir"], []),
        new("heartwarming animated family movies", ["Animation"], []),
        new("funny talking animals", ["Children", "Animation"], []),
        new("the undead walk the earth", [], ["zombie"]),
        new("something scary to watch at night", ["Horror"], []),
        new("cartoons for the kids", ["Animation", "Children"], []),
        new("space adventures among the stars", ["Sci-Fi"], []),
        new("going back in time to change the past", [], ["time travel"]),
        new("soldiers fighting in world war two", ["War"], ["world war ii"]),
        new("gunslingers and outlaws in the old west", ["Western"], []),
        new("song and dance numbers", ["Musical"], []),
        new("laugh out loud comedies", ["Comedy"], []),
        new("love stories that make you cry", ["Romance"], []),
        new("documentaries about real life", ["Documentary"], []),
        new("creatures of the night that drink blood", [], ["vampire"]),
        new("superheroes saving the world", [], ["superhero", "based on comic book", "marvel comic", "dc comics"]),
        new("a crew planning the perfect heist", [], ["heist", "robbery", "bank robbery"]),
        new("spies and secret agents on a mission", [], ["spy", "secret agent", "espionage", "cia"]),
        new("kung fu fighting", [], ["martial arts", "kung fu"]),
        new("aliens invading the planet", [], ["alien", "alien invasion"]),
        new("a serial killer on the loose", [], ["serial killer", "psychopath"]),
        new("teen comedies set in high school", [], ["high school", "teenager"]),
        new("wizards, dragons and magic", ["Fantasy"], []),
        new("mob bosses and gangsters", ["Crime"], []),
        new("edge of your seat suspense", ["Thriller"], []),
        new("who did it? murder mysteries", ["Mystery"], []),
        new("robots and artificial intelligence", [], ["robot", "artificial intelligence", "android"]),
        new("christmas movies for the holidays", [], ["christmas", "holiday"]),
        new("a world after the apocalypse", [], ["post-apocalyptic", "dystopia", "apocalypse"]),
        new("ghosts and haunted houses", [], ["ghost", "haunted house"]),
    ];

    public static int Run(string[] args)
    {
        var folder = MovieLens.FindFolder();
        if (folder is null)
        {
            Console.Error.WriteLine("movielens-small not found (../shared/data/movielens-small).");
            return 2;
        }
        var ml = MovieLens.Load(folder);
        var verbose = args.Contains("--show");
        var ids = ml.Items.Select(i => long.Parse(i.Key, CultureInfo.InvariantCulture)).ToList();
        var model = LocalEmbeddingModel.Fit(ml.Items);
        var vectors = ml.Items.ToDictionary(i => long.Parse(i.Key, CultureInfo.InvariantCulture), model.Embed);
        var index = new ExactVectorIndex(model.Dimensions, vectors.Select(kv => (kv.Key, kv.Value)).ToList());
        var vocabulary = CatalogVocabulary.Build(ml.Items.Select(Document).ToList());
        var byId = ml.Items.ToDictionary(i => long.Parse(i.Key, CultureInfo.InvariantCulture));

        var methods = new (string Name, Func<string, List<long>> Run)[]
        {
            ("random", _ => []), // expectation computed exactly below
            ("plain BM25", q => vocabulary.Rank(new WordQuery(q, [], CatalogVocabulary.Tokens(q).Select(t => (t, 1.0)).ToList()), feedback: false)
                .Take(Size).Select(h => h.Id).ToList()),
            ("current (vector)", q => Current(model, index, vectors, byId, q)),
            ("vocabulary", q => vocabulary.Rank(vocabulary.Interpret(q)).Take(Size).Select(h => h.Id).ToList()),
            ("new (hybrid)", q => Hybrid(model, index, vectors, byId, vocabulary, q)),
        };
        Console.WriteLine($"channels from words alone: precision@{Size} on {Queries.Length} queries, MovieLens catalogue of {ids.Count} titles");
        Console.WriteLine($"{"query",-45} {string.Join(" ", methods.Select(m => $"{m.Name,16}"))}");
        var sums = new double[methods.Length];
        foreach (var q in Queries)
        {
            bool Relevant(long id) => byId[id].Genres.Any(g => q.Genres.Contains(g)) || byId[id].Tags.Any(k => q.Keywords.Contains(k));
            var row = new double[methods.Length];
            for (var m = 0; m < methods.Length; m++)
            {
                if (methods[m].Name == "random")
                {
                    row[m] = ids.Count(Relevant) / (double)ids.Count;
                    continue;
                }
                var got = methods[m].Run(q.Query);
                row[m] = got.Count(Relevant) / (double)Size;
                if (verbose && methods[m].Name.StartsWith("new", StringComparison.Ordinal))
                {
                    Console.WriteLine("    " + string.Join("; ", got.Select(id => (Relevant(id) ? "+" : "-") + byId[id].Name)));
                    // What the why of the first entries says (the matched parts a channel entry names).
                    var reasons = vocabulary.Rank(vocabulary.Interpret(q.Query)).ToDictionary(h => h.Id, h => h.Reasons);
                    foreach (var id in got.Take(3))
                    {
                        Console.WriteLine($"      {byId[id].Name}: {(reasons.TryGetValue(id, out var r) && r.Count > 0 ? "Matches " + string.Join(", ", r.Take(3)) : "(vector only)")}");
                    }
                }
            }
            for (var m = 0; m < methods.Length; m++)
            {
                sums[m] += row[m];
            }
            Console.WriteLine($"{q.Query,-45} {string.Join(" ", row.Select(v => $"{v,16:F2}"))}");
        }
        Console.WriteLine($"{"mean",-45} {string.Join(" ", sums.Select(s => $"{s / Queries.Length,16:F3}"))}");
        return 0;
    }

    internal static VocabularyDocument Document(TitleDocument d) =>
        new(long.Parse(d.Key, CultureInfo.InvariantCulture), d.Name, d.Year, d.Genres, d.Tags, d.Directors.Concat(d.Cast).ToList(), d.Studios,
            d.Overview, d.Taglines);

    // Main's code path before issue 13: the words' vector from the active model, its nearest 120 (size × 6), then
    // the diversity re-rank.
    private static List<long> Current(LocalEmbeddingModel model, ExactVectorIndex index, Dictionary<long, float[]> vectors,
        Dictionary<long, TitleDocument> byId, string q)
    {
        var query = model.EmbedQuery(q);
        var hits = index.Nearest(query, Math.Clamp(Size * 6, 60, 3000));
        var candidates = hits.Select(h => new RankedCandidate(h.Id, h.Score, vectors[h.Id], byId[h.Id].Genres)).ToList();
        return Reranker.Diversify(candidates, Size, ChannelGenerator.Diversity).Select(c => c.TitleId).ToList();
    }

    // The new path (as ChannelGenerator runs it, without taste): vocabulary ranking and vector ranking fused, then diversified.
    private static List<long> Hybrid(LocalEmbeddingModel model, ExactVectorIndex index, Dictionary<long, float[]> vectors,
        Dictionary<long, TitleDocument> byId, CatalogVocabulary vocabulary, string q)
    {
        var words = vocabulary.Interpret(q);
        var lexical = vocabulary.Rank(words).Take(ChannelGenerator.LexicalDepth).Select(h => h.Id).ToList();
        var asked = ChannelRanking.AskedGenres(words, []);
        var vector = index.Nearest(model.EmbedQuery(q), ChannelGenerator.VectorDepth);
        var pool = ChannelRanking.Pool(ChannelRanking.Fuse(lexical, vector), vector, Size);
        var candidates = pool.Select(p => new RankedCandidate(p.Id, p.Score, vectors[p.Id], byId[p.Id].Genres.Where(g => !asked.Contains(g)).ToList())).ToList();
        return ChannelRanking.Choose(candidates, Size, ChannelGenerator.Diversity).Select(c => c.TitleId).ToList();
    }
}
