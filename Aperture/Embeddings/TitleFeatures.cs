using System.Globalization;
using System.Text;

namespace Aperture.Embeddings;

// Field features with weights chosen on the MovieLens benchmark (Aperture.Bench embeddings).
public static class TitleFeatures
{
    public const float Genre = 2.0f;
    public const float Keyword = 1.5f;
    public const float Director = 1.5f;
    public const float Cast = 1.0f;
    public const float Studio = 0.7f;
    public const float Decade = 0.6f;
    public const float Rating = 0.3f;
    public const float OverviewWord = 0.5f;
    public const float TaglineWord = 0.3f;

    private static readonly HashSet<string> StopWords = new(
        """
        a about above after again against all also am an and any are as at be because been before being below between both but by
        can could did do does doing down during each few for from further had has have having he her here hers herself him himself his
        how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves
        out over own same she should so some such than that the their theirs them themselves then there these they this those through
        to too under until up very was we were what when where which while who whom why will with would you your yours yourself
        yourselves one two new first life man woman young old film movie story world find finds must must get gets takes take back way
        become becomes help time day years year home family
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

    public static IEnumerable<(string Feature, float Weight)> Extract(TitleDocument d)
    {
        foreach (var g in d.Genres)
        {
            yield return ("g:" + Normalize(g), Genre);
        }
        foreach (var t in d.Tags)
        {
            yield return ("k:" + Normalize(t), Keyword);
        }
        foreach (var p in d.Directors)
        {
            yield return ("dir:" + Normalize(p), Director);
        }
        // Billing order matters: the lead shapes a film more than the fifth name.
        for (var i = 0; i < d.Cast.Count && i < 8; i++)
        {
            yield return ("cast:" + Normalize(d.Cast[i]), Cast * (i < 3 ? 1f : 0.6f));
        }
        foreach (var s in d.Studios)
        {
            yield return ("st:" + Normalize(s), Studio);
        }
        if (d.Year is { } year)
        {
            yield return ("dec:" + (year / 10 * 10).ToString(CultureInfo.InvariantCulture), Decade);
        }
        if (!string.IsNullOrWhiteSpace(d.OfficialRating))
        {
            yield return ("r:" + Normalize(d.OfficialRating), Rating);
        }
        foreach (var word in Words(d.Overview))
        {
            yield return ("w:" + word, OverviewWord);
        }
        foreach (var word in d.Taglines.SelectMany(Words))
        {
            yield return ("w:" + word, TaglineWord);
        }
    }

    // A query names what it wants in the catalogue's own words: "noir" may be a keyword, a genre or a word of an
    // overview, so each is offered (only features the model knows count).
    public static IEnumerable<(string Feature, float Weight)> ExtractQuery(string text)
    {
        foreach (var phrase in text.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return ("g:" + Normalize(phrase), Genre);
            yield return ("k:" + Normalize(phrase), Keyword);
        }
        foreach (var word in Words(text))
        {
            yield return ("w:" + word, OverviewWord);
            yield return ("k:" + word, Keyword);
            yield return ("g:" + word, Genre);
        }
    }

    private static string Normalize(string value) => value.Trim().ToLowerInvariant();

    // Lower-case words of three letters or more, without stop words, with a light plural fold.
    internal static IEnumerable<string> Words(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }
        var word = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormKC) + " ")
        {
            if (char.IsLetter(c))
            {
                word.Append(char.ToLowerInvariant(c));
                continue;
            }
            if (c == '\'' && word.Length > 0)
            {
                continue;
            }
            if (word.Length >= 3)
            {
                var w = word.ToString();
                if (w.Length > 4 && w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal))
                {
                    w = w[..^1];
                }
                if (!StopWords.Contains(w))
                {
                    yield return w;
                }
            }
            word.Clear();
        }
    }
}
