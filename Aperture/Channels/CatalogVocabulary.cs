using System.Globalization;
using System.Text;

namespace Aperture.Channels;

// What the vocabulary needs of one title; built from the catalogue (or, in the bench, from MovieLens).
public sealed record VocabularyDocument(long Id, string Name, int? Year, IReadOnlyList<string> Genres, IReadOnlyList<string> Tags,
    IReadOnlyList<string> People, IReadOnlyList<string> Studios, string? Overview, IReadOnlyList<string> Taglines);

// How a label of the query was found: said outright, through the built-in synonyms, or learnt from the catalogue
// (a word of the query that co-occurs with the label in overviews), or from the first-pass results (feedback).
public enum LabelSource { Words, Synonym, Learnt, Feedback }

// Because: the query's words that brought the label in, folded (the key of its span); Said: the same words as typed.
public sealed record QueryLabel(string Feature, string Display, string Kind, double Weight, LabelSource Source, string Because, string? Said = null);

public sealed record WordQuery(string Text, IReadOnlyList<QueryLabel> Labels, IReadOnlyList<(string Term, double Weight)> Terms);

public sealed record LexicalHit(long Id, double Score, IReadOnlyList<string> Reasons);

// The words of a channel understood against the catalogue itself, offline: its genres, keywords, people, studios,
// decades and overview text. Labels (a genre, a keyword, a person...) are matched as whole phrases after a light
// inflection fold; a small synonym map covers common mood and genre words; the rest the catalogue teaches:
// a query word that appears in the overviews of titles carrying a label far more often than chance expands to that
// label ("undead" → zombie), and one round of pseudo-relevance feedback adds the labels the best first-pass titles
// share. Titles are then scored: each label present counts its weight × rarity, each text word by BM25.
public sealed class CatalogVocabulary
{
    private const double K1 = 1.2;
    private const double B = 0.75;
    // A label named outright outweighs any single word of an overview: "scary" means horror films first.
    private const double SaidWeight = 3;
    private const double LearntWeight = 1.2;
    private const double FeedbackWeight = 0.8;
    private const int FeedbackDocs = 10;
    private const double SaidTextWeight = 0.3;

    private readonly VocabularyDocument[] docs;
    private readonly HashSet<string>[] labels;
    private readonly Dictionary<string, int>[] text;
    private readonly int[] length;
    private readonly double averageLength;
    private readonly Dictionary<string, int> labelCount = [];
    private readonly Dictionary<string, int> termCount = [];
    // Normalised phrase → features that carry it (a genre and a keyword may share a phrase).
    private readonly Dictionary<string, List<string>> phrases = [];
    private readonly Dictionary<string, string> display = [];
    // term → (label → documents with both), only for labels that are genres or keywords.
    private readonly Dictionary<string, Dictionary<string, int>> cooccurrence = [];
    private readonly int maxPhraseTokens;

    public IReadOnlyList<string> GenreNames { get; }

    private CatalogVocabulary(IReadOnlyList<VocabularyDocument> documents)
    {
        docs = documents.ToArray();
        labels = new HashSet<string>[docs.Length];
        text = new Dictionary<string, int>[docs.Length];
        length = new int[docs.Length];
        var genreNames = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < docs.Length; i++)
        {
            var d = docs[i];
            var set = new HashSet<string>(StringComparer.Ordinal);
            void Add(string prefix, string kindName, string value, int minTokens = 1)
            {
                var norm = Phrase(value);
                if (norm.Length == 0 || norm.Count(c => c == ' ') + 1 < minTokens)
                {
                    return;
                }
                var feature = prefix + norm;
                if (set.Add(feature))
                {
                    display.TryAdd(feature, value.Trim());
                    if (!phrases.TryGetValue(norm, out var list))
                    {
                        phrases[norm] = list = [];
                    }
                    if (!list.Contains(feature))
                    {
                        list.Add(feature);
                    }
                }
            }
            foreach (var g in d.Genres)
            {
                Add("g:", "genre", g);
                genreNames.TryAdd(Phrase(g), g.Trim());
            }
            foreach (var t in d.Tags)
            {
                Add("k:", "keyword", t);
            }
            // A person or studio only by full name: "will" is not Will Smith.
            foreach (var p in d.People)
            {
                Add("p:", "person", p, minTokens: 2);
            }
            foreach (var s in d.Studios)
            {
                Add("s:", "studio", s);
            }
            if (d.Year is { } year)
            {
                var decade = "d:" + (year / 10 * 10).ToString(CultureInfo.InvariantCulture) + "s";
                set.Add(decade);
                display.TryAdd(decade, decade[2..]);
            }
            labels[i] = set;
            foreach (var f in set)
            {
                labelCount[f] = labelCount.GetValueOrDefault(f) + 1;
            }

            var terms = new Dictionary<string, int>(StringComparer.Ordinal);
            var words = 0;
            foreach (var field in d.Taglines.Prepend(d.Overview ?? "").Prepend(d.Name))
            {
                string? previous = null;
                foreach (var token in Tokens(field))
                {
                    if (Stop.Contains(token))
                    {
                        previous = null;
                        continue;
                    }
                    terms[token] = terms.GetValueOrDefault(token) + 1;
                    words++;
                    if (previous is not null)
                    {
                        var bigram = previous + " " + token;
                        terms[bigram] = terms.GetValueOrDefault(bigram) + 1;
                    }
                    previous = token;
                }
            }
            text[i] = terms;
            length[i] = words;
            foreach (var term in terms.Keys)
            {
                termCount[term] = termCount.GetValueOrDefault(term) + 1;
                if (term.Contains(' ', StringComparison.Ordinal))
                {
                    continue;
                }
                foreach (var f in set)
                {
                    if (f[0] is 'g' or 'k')
                    {
                        if (!cooccurrence.TryGetValue(term, out var row))
                        {
                            cooccurrence[term] = row = [];
                        }
                        row[f] = row.GetValueOrDefault(f) + 1;
                    }
                }
            }
        }
        averageLength = docs.Length == 0 ? 1 : Math.Max(1, length.Average());
        maxPhraseTokens = phrases.Keys.Select(p => p.Count(c => c == ' ') + 1).DefaultIfEmpty(1).Max();
        maxPhraseTokens = Math.Min(maxPhraseTokens, 5);
        GenreNames = genreNames.Values.Order(StringComparer.OrdinalIgnoreCase).ToList();
    }

    public static CatalogVocabulary Build(IReadOnlyList<VocabularyDocument> documents) => new(documents);

    public int Count => docs.Length;

    // Genre names as the catalogue spells them ("film noir" is Film-Noir), each once, in the order asked; blank names are
    // skipped. Error: null, or one sentence per unknown name naming the nearest ones the catalogue has. Channels and movie
    // night check their genre filters with this.
    public static (List<string> Spelled, string? Error) SpellGenres(IEnumerable<string> names, IReadOnlyList<string> known)
    {
        var spelled = new List<string>();
        var unknown = new List<string>();
        foreach (var name in names.Where(n => !string.IsNullOrWhiteSpace(n)))
        {
            var match = known.FirstOrDefault(g => Phrase(g) == Phrase(name));
            if (match is null)
            {
                unknown.Add(name.Trim());
            }
            else if (!spelled.Contains(match, StringComparer.OrdinalIgnoreCase))
            {
                spelled.Add(match);
            }
        }
        return (spelled, unknown.Count == 0 ? null : string.Join(" ", unknown.Select(u =>
            $"This catalogue has no genre \u201C{u}\u201D; the nearest are {string.Join(", ", NearestNames(u, known))}.")));
    }

    // The names closest to one that is not among them, by edit distance on the folded spelling (containment counts).
    public static IReadOnlyList<string> NearestNames(string name, IReadOnlyList<string> names, int take = 3)
    {
        var norm = Phrase(name);
        return names.OrderBy(g => Distance(norm, Phrase(g)) - (Phrase(g).Contains(norm, StringComparison.Ordinal) || norm.Contains(Phrase(g), StringComparison.Ordinal) ? 2 : 0))
            .ThenBy(g => g, StringComparer.OrdinalIgnoreCase).Take(take).ToList();
    }

    // The query's labels (said, synonyms, learnt) and its text terms.
    public WordQuery Interpret(string words)
    {
        var tokens = Tokens(words).ToList();
        var typed = Split(words, fold: false).ToList();
        var found = new Dictionary<string, QueryLabel>(StringComparer.Ordinal);
        var covered = new bool[tokens.Count];
        void Found(QueryLabel label)
        {
            if (!found.TryGetValue(label.Feature, out var old) || old.Weight < label.Weight)
            {
                found[label.Feature] = label;
            }
        }

        // Longest phrases first, said outright, then through the synonyms.
        for (var n = Math.Max(maxPhraseTokens, 3); n >= 1; n--)
        {
            for (var i = 0; i + n <= tokens.Count; i++)
            {
                if (covered.Skip(i).Take(n).Any(c => c))
                {
                    continue;
                }
                var phrase = string.Join(' ', tokens.Skip(i).Take(n));
                var said = string.Join(' ', typed.Skip(i).Take(n));
                if (n == 1 && Stop.Contains(phrase))
                {
                    continue;
                }
                var hit = false;
                if (phrases.TryGetValue(phrase, out var features))
                {
                    foreach (var f in features)
                    {
                        Found(new QueryLabel(f, display[f], KindOf(f), SaidWeight, LabelSource.Words, phrase, said));
                        hit = true;
                    }
                }
                if (Synonyms.TryGetValue(phrase, out var targets))
                {
                    foreach (var target in targets)
                    {
                        if (phrases.TryGetValue(target, out var synonymFeatures))
                        {
                            foreach (var f in synonymFeatures.Where(f => f[0] is 'g' or 'k'))
                            {
                                Found(new QueryLabel(f, display[f], KindOf(f), SaidWeight, LabelSource.Synonym, phrase, said));
                                hit = true;
                            }
                        }
                    }
                }
                if (Decade(phrase) is { } decade && labelCount.ContainsKey(decade))
                {
                    Found(new QueryLabel(decade, display[decade], "decade", SaidWeight, LabelSource.Words, phrase, said));
                    hit = true;
                }
                if (hit && n > 1)
                {
                    for (var j = i; j < i + n; j++)
                    {
                        covered[j] = true;
                    }
                }
            }
        }

        var content = tokens.Where(t => !Stop.Contains(t) && !Generic.Contains(t)).Distinct().ToList();
        // What the catalogue teaches: labels far more common among titles whose text has the word than overall.
        foreach (var token in content)
        {
            if (!cooccurrence.TryGetValue(token, out var row) || !termCount.TryGetValue(token, out var withWord))
            {
                continue;
            }
            var learnt = row.Where(kv => kv.Value >= 3)
                .Select(kv =>
                {
                    var pGiven = kv.Value / (double)withWord;
                    var pLabel = labelCount[kv.Key] / (double)docs.Length;
                    return (Feature: kv.Key, Given: pGiven, Lift: pGiven / pLabel);
                })
                .Where(x => x.Lift >= 4 && x.Given >= 0.15)
                .OrderByDescending(x => x.Given * Math.Log(x.Lift)).Take(3).ToList();
            foreach (var (feature, given, lift) in learnt)
            {
                if (!found.ContainsKey(feature))
                {
                    var weight = LearntWeight * Math.Min(1, given * Math.Log(lift) / 2);
                    Found(new QueryLabel(feature, display[feature], KindOf(feature), weight, LabelSource.Learnt, token,
                        typed.ElementAtOrDefault(tokens.IndexOf(token))));
                }
            }
        }

        // A word already understood as a label still counts in the text, but lightly: "classic" as a keyword and as
        // an overview word is one thing said, not two.
        var saidWords = found.Values.Where(l => l.Source is LabelSource.Words or LabelSource.Synonym)
            .SelectMany(l => l.Because.Split(' ')).ToHashSet(StringComparer.Ordinal);
        var terms = new List<(string, double)>();
        foreach (var token in content)
        {
            terms.Add((token, saidWords.Contains(token) ? SaidTextWeight : 1));
        }
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (!Stop.Contains(tokens[i]) && !Stop.Contains(tokens[i + 1]))
            {
                terms.Add((tokens[i] + " " + tokens[i + 1], 1));
            }
        }
        return new WordQuery(words, found.Values.ToList(), terms);
    }

    // Every title the filter allows, scored against the query (with one round of feedback); best first.
    public List<LexicalHit> Rank(WordQuery query, Func<long, bool>? allow = null, bool feedback = true)
    {
        var scores = Score(query, allow);
        if (feedback && scores.Count > 0)
        {
            var top = scores.OrderByDescending(s => s.Value).Take(FeedbackDocs).Select(s => s.Key).ToList();
            var share = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var i in top)
            {
                foreach (var f in labels[i].Where(f => f[0] is 'g' or 'k'))
                {
                    share[f] = share.GetValueOrDefault(f) + 1;
                }
            }
            var known = query.Labels.Select(l => l.Feature).ToHashSet(StringComparer.Ordinal);
            var added = share.Where(kv => !known.Contains(kv.Key) && kv.Value >= Math.Max(3, top.Count * 0.4))
                .Select(kv => new QueryLabel(kv.Key, display[kv.Key], KindOf(kv.Key), FeedbackWeight * kv.Value / top.Count, LabelSource.Feedback,
                    "the best matches"))
                .ToList();
            if (added.Count > 0)
            {
                query = query with { Labels = query.Labels.Concat(added).ToList() };
                scores = Score(query, allow);
            }
        }
        return scores.OrderByDescending(s => s.Value).ThenBy(s => docs[s.Key].Id)
            .Select(s => new LexicalHit(docs[s.Key].Id, s.Value, Reasons(query, s.Key))).ToList();
    }

    private Dictionary<int, double> Score(WordQuery query, Func<long, bool>? allow)
    {
        var scores = new Dictionary<int, double>();
        var n = docs.Length;
        var spans = query.Labels.Where(l => l.Source is LabelSource.Words or LabelSource.Synonym).GroupBy(l => l.Because)
            .Select(g => g.ToList()).ToList();
        var inferred = query.Labels.Where(l => l.Source is LabelSource.Learnt or LabelSource.Feedback).ToList();
        for (var i = 0; i < n; i++)
        {
            if (allow is not null && !allow(docs[i].Id))
            {
                continue;
            }
            var score = 0.0;
            // A span of the query said outright counts once, by its best label here ("family" as a genre and as a
            // keyword is one thing said, not two).
            foreach (var span in spans)
            {
                var best = 0.0;
                foreach (var label in span)
                {
                    if (labels[i].Contains(label.Feature))
                    {
                        best = Math.Max(best, label.Weight * LabelIdf(label.Feature));
                    }
                }
                score += best;
            }
            foreach (var label in inferred)
            {
                if (labels[i].Contains(label.Feature))
                {
                    score += label.Weight * LabelIdf(label.Feature);
                }
            }
            foreach (var (term, weight) in query.Terms)
            {
                if (text[i].TryGetValue(term, out var tf) && termCount.TryGetValue(term, out var df))
                {
                    score += weight * Idf(df) * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length[i] / averageLength));
                }
            }
            if (score > 0)
            {
                scores[i] = score;
            }
        }
        return scores;
    }

    // Twice the rarity, about what the best single overview word can give (BM25 tops out at (k1+1)·idf), capped:
    // a keyword on two titles is not worth more than a genre of a hundred.
    // A label only a handful of titles carry says little (a "classic" keyword on two films must not outweigh the 87
    // Film-Noir ones), hence the support factor.
    private double LabelIdf(string feature)
    {
        var df = labelCount[feature];
        return 2 * Math.Min(Idf(df), MaxLabelIdf) * df / (df + 5.0);
    }

    private const double MaxLabelIdf = 4.5;

    private double Idf(int df) => Math.Log(1 + (docs.Length - df + 0.5) / (df + 0.5));

    // What actually matched this title, strongest first: the labels it carries, then the words of its text.
    private List<string> Reasons(WordQuery query, int i)
    {
        var reasons = new List<string>();
        var carried = query.Labels.Where(l => labels[i].Contains(l.Feature)).OrderByDescending(l => l.Weight).ThenBy(l => l.Source).ToList();
        var wordsHit = query.Terms.Any(t => text[i].ContainsKey(t.Term));
        // Feedback labels are the weakest evidence: named only when nothing the query said matched.
        if (wordsHit || carried.Any(l => l.Source != LabelSource.Feedback))
        {
            carried.RemoveAll(l => l.Source == LabelSource.Feedback);
        }
        foreach (var label in carried)
        {
            var what = label.Kind switch
            {
                "genre" => $"genre {label.Display}",
                "keyword" => $"keyword \u201C{label.Display}\u201D",
                "person" => $"with {label.Display}",
                "studio" => $"from {label.Display}",
                "decade" => $"from the {label.Display}",
                _ => label.Display,
            };
            reasons.Add(label.Source switch
            {
                LabelSource.Synonym => $"{what} (for \u201C{label.Said ?? label.Because}\u201D)",
                LabelSource.Learnt => $"{what} (the catalogue links it to \u201C{label.Said ?? label.Because}\u201D)",
                LabelSource.Feedback => $"{what} (shared by the best matches)",
                _ => what,
            });
        }
        var words = query.Terms.Where(t => text[i].ContainsKey(t.Term)).Select(t => t.Term).ToList();
        // A two-word phrase says more than its words; show the phrase, not its parts again.
        var phrasesHit = words.Where(w => w.Contains(' ', StringComparison.Ordinal)).ToList();
        var single = words.Where(w => !w.Contains(' ', StringComparison.Ordinal) && !phrasesHit.Any(p => p.Split(' ').Contains(w))).ToList();
        var shown = phrasesHit.Concat(single).Take(3).ToList();
        if (shown.Count > 0)
        {
            reasons.Add($"{(shown.Count == 1 ? "the word" : "the words")} {string.Join(", ", shown.Select(w => $"\u201C{w}\u201D"))} in its overview");
        }
        return reasons;
    }

    private static string KindOf(string feature) => feature[0] switch
    {
        'g' => "genre",
        'k' => "keyword",
        'p' => "person",
        's' => "studio",
        _ => "decade",
    };

    // "80s", "1980s", "eighties" → d:1980s.
    private static string? Decade(string phrase)
    {
        var p = phrase.Replace(" ", "", StringComparison.Ordinal);
        if (p.Length is 3 or 5 && p.EndsWith('s') && int.TryParse(p[..^1], CultureInfo.InvariantCulture, out var number))
        {
            var year = p.Length == 3 ? (number >= 20 ? 1900 + number : 2000 + number) : number;
            return year % 10 == 0 ? $"d:{year}s" : null;
        }
        return DecadeWords.TryGetValue(phrase, out var d) ? d : null;
    }

    private static readonly Dictionary<string, string> DecadeWords = new(StringComparer.Ordinal)
    {
        ["twenty"] = "d:1920s", ["thirty"] = "d:1930s", ["forty"] = "d:1940s", ["fifty"] = "d:1950s",
        ["sixty"] = "d:1960s", ["seventy"] = "d:1970s", ["eighty"] = "d:1980s", ["ninety"] = "d:1990s",
    };

    // A label or query phrase, folded: lower case, no accents, punctuation as spaces, each word's inflection folded.
    public static string Phrase(string value) => string.Join(' ', Tokens(value));

    public static IEnumerable<string> Tokens(string? value) => Split(value, fold: true);

    private static IEnumerable<string> Split(string? value, bool fold)
    {
        if (string.IsNullOrEmpty(value))
        {
            yield break;
        }
        var folded = value.Normalize(NormalizationForm.FormD);
        var word = new StringBuilder();
        foreach (var c in folded + " ")
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark || c == '\'' || c == '\u2019')
            {
                continue;
            }
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
                continue;
            }
            if (word.Length > 0)
            {
                yield return fold ? Fold(word.ToString()) : word.ToString();
                word.Clear();
            }
        }
    }

    // A light inflection fold (plurals, -ing, -ed, a final e), so "zombies", "comedies" and "dancing" meet
    // "zombie", "comedy" and "dance"; no derivational stemming, which would make "animal" and "animated" one word.
    public static string Fold(string w)
    {
        if (w.Length <= 3 || w.Any(char.IsDigit))
        {
            return w;
        }
        if (w.EndsWith("ies", StringComparison.Ordinal) && w.Length > 4)
        {
            w = w[..^3] + "y";
        }
        else if (w.EndsWith("sses", StringComparison.Ordinal))
        {
            w = w[..^2];
        }
        else if (w.EndsWith("ches", StringComparison.Ordinal) || w.EndsWith("shes", StringComparison.Ordinal) || w.EndsWith("xes", StringComparison.Ordinal))
        {
            w = w[..^2];
        }
        else if (w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) && !w.EndsWith("us", StringComparison.Ordinal) && !w.EndsWith("is", StringComparison.Ordinal))
        {
            w = w[..^1];
        }
        foreach (var suffix in new[] { "ing", "ed" })
        {
            if (w.EndsWith(suffix, StringComparison.Ordinal) && w.Length - suffix.Length >= 3 && w[..^suffix.Length].Any(IsVowel))
            {
                w = w[..^suffix.Length];
                if (w.Length >= 4 && w[^1] == w[^2] && !IsVowel(w[^1]) && w[^1] is not ('l' or 's' or 'z'))
                {
                    w = w[..^1];
                }
                break;
            }
        }
        if (w.Length > 4 && w[^1] == 'e')
        {
            w = w[..^1];
        }
        return w;
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.Length];
    }

    private static HashSet<string> FoldAll(params string[] words) => words.Select(Fold).ToHashSet(StringComparer.Ordinal);

    private static readonly HashSet<string> Stop = FoldAll(
        "a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "with", "about", "from", "by", "into", "onto", "over", "under",
        "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these", "those", "there", "their", "them", "they", "he", "she",
        "his", "her", "him", "we", "our", "you", "your", "i", "me", "my", "some", "any", "all", "no", "not", "so", "as", "but", "if", "than",
        "then", "who", "whom", "which", "what", "where", "when", "how", "why", "very", "really", "just", "also", "more", "most", "much",
        "like", "want", "wanna", "something", "stuff", "thing", "things", "kind", "sort", "lot", "lots", "bit", "get", "got", "make", "made",
        "up", "out", "off", "down", "do", "does", "did", "will", "would", "can", "could", "should", "have", "has", "had", "one", "ones",
        "where", "while", "through", "around", "after", "before", "between", "against", "each", "other", "good", "great", "best", "watch");

    // Words that name the medium rather than a subject: fine inside a label ("film noir"), no signal alone.
    private static readonly HashSet<string> Generic = FoldAll("movie", "movies", "film", "films", "flick", "flicks", "show", "shows", "series",
        "tv", "story", "stories", "tale", "tales", "title", "titles", "cinema", "picture", "pictures");

    // A small map of common mood and genre words to the labels catalogues use for them (several spellings, as
    // servers name genres differently: TMDB's "Science Fiction" and "Family", MovieLens's "Sci-Fi" and "Children").
    // Only targets the catalogue has are used.
    private static readonly Dictionary<string, string[]> Synonyms = BuildSynonyms(new Dictionary<string, string[]>
    {
        ["scary|spooky|creepy|frightening|terrifying|horrifying|chilling|fright|scare|terror"] = ["horror"],
        ["cartoon|animated|anime|animation"] = ["animation"],
        ["kid|kids|child|children|family|toddler|all ages|family friendly"] = ["children", "family"],
        ["noir|hardboiled|hard boiled"] = ["film noir"],
        ["funny|hilarious|comic|comedic|laugh|laughs|humor|humour|humorous|silly|goofy|lighthearted|light hearted"] = ["comedy"],
        ["romantic|romcom|rom com|love story|love stories|falling in love"] = ["romance"],
        ["scifi|sci fi|science fiction|futuristic|outer space"] = ["sci fi", "science fiction"],
        ["suspense|suspenseful|tense|thrilling|edge of your seat|nail biting|nail biter|gripping"] = ["thriller", "suspense"],
        ["documentary|docs|docuseries|real life|nonfiction|non fiction"] = ["documentary"],
        ["cowboy|cowboys|wild west|frontier|gunslinger"] = ["western"],
        ["musical|musicals|song and dance|singing"] = ["musical"],
        ["mystery|mysteries|whodunit|whodunnit|detective"] = ["mystery", "detective"],
        ["war|wartime|battlefield|soldiers|military"] = ["war"],
        ["magic|magical|sword and sorcery|wizard|wizards|fairy tale|fairytale|mythical"] = ["fantasy"],
        ["action packed|explosive|adrenaline|shootout|shoot em up"] = ["action"],
        ["adventurous|quest|expedition|treasure hunt"] = ["adventure"],
        ["sad|tearjerker|tear jerker|moving|emotional|serious"] = ["drama"],
        ["heist|robbery|gangster|gangsters|mob|mafia|mobster"] = ["crime"],
        ["cop|cops|police"] = ["crime", "police"],
        ["heartwarming|feel good|feelgood|uplifting|wholesome"] = ["family", "children"],
        ["true story|true stories|real events|based on a true story|biopic"] = ["based on true story", "biography"],
        ["superhero|superheroes|super hero|comic book"] = ["superhero", "based on comic book"],
    });

    private static Dictionary<string, string[]> BuildSynonyms(Dictionary<string, string[]> raw)
    {
        var map = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (keys, targets) in raw)
        {
            foreach (var key in keys.Split('|'))
            {
                var folded = Phrase(key);
                var foldedTargets = targets.Select(Phrase).ToArray();
                map[folded] = map.TryGetValue(folded, out var existing) ? existing.Concat(foldedTargets).Distinct().ToArray() : foldedTargets;
            }
        }
        return map;
    }
}
