using System.Globalization;
using System.Text.RegularExpressions;

namespace Aperture.Embeddings;

// What a "more like this" neighbour is: of the same series (a sequel, a prequel), or similar by content, by co-watch
// (people who watched one also watched the other) or both.
public enum SimilarKind { SameSeries, Content, CoWatch, Both }

public sealed record SimilarCandidate(long Id, string Name, int? Year, IReadOnlyCollection<string> People);

public sealed record SimilarScore(long Id, double Similarity, SimilarKind Kind);

// The ranking of "more like this", shared by the page and the bench: the same series first, then a blend of content
// similarity (the vectors' cosine) and co-watch similarity (normalised to the title's strongest co-watch link) where
// the server has enough users for co-watch to mean something.
public static partial class SimilarBlend
{
    // Co-watch's share of the blend when it is usable.
    public const double CoWatchWeight = 0.3;

    // A title's series name: its name without a sequel number ("2", "II", "Part 3"), a subtitle after ":" or " - ",
    // a leading article, or a plural s; null when too short to say anything.
    public static string? SeriesStem(string name)
    {
        var n = name.Trim();
        // MovieLens-style trailing articles ("Godfather, The") and a year in brackets.
        n = TrailingArticle().Replace(n, "");
        n = YearInBrackets().Replace(n, "");
        var cut = n.IndexOfAny([':', '(']);
        if (cut > 0)
        {
            n = n[..cut];
        }
        var dash = n.IndexOf(" - ", StringComparison.Ordinal);
        if (dash > 0)
        {
            n = n[..dash];
        }
        n = SequelNumber().Replace(n.Trim(), "");
        n = LeadingArticle().Replace(n.Trim(), "");
        var words = n.ToLowerInvariant().Split([' ', '-', '.', ',', '\''], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Length > 3 && w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) ? w[..^1] : w).ToList();
        var stem = string.Join(' ', words);
        return stem.Length >= 3 ? stem : null;
    }

    // Same series: the same stem, and either a stem of two words or more or a shared person (one-word stems like
    // "Heat" or "Alien" are too common to trust alone).
    public static bool SameSeries(SimilarCandidate a, SimilarCandidate b)
    {
        if (SeriesStem(a.Name) is not { } sa || SeriesStem(b.Name) is not { } sb || sa != sb)
        {
            return false;
        }
        return sa.Contains(' ', StringComparison.Ordinal) || a.People.Intersect(b.People, StringComparer.OrdinalIgnoreCase).Any();
    }

    public static List<SimilarScore> Rank(SimilarCandidate title, IReadOnlyList<(long Id, float Cosine)> content,
        IReadOnlyList<(long Item, float Similarity)>? coWatch, IReadOnlyList<SimilarCandidate> series, int k)
    {
        var scores = new Dictionary<long, (double Content, double CoWatch)>();
        foreach (var (id, cosine) in content)
        {
            scores[id] = (Math.Max(0, cosine), 0);
        }
        var useCoWatch = coWatch is { Count: > 0 };
        if (useCoWatch)
        {
            var max = coWatch!.Max(c => c.Similarity);
            foreach (var (id, similarity) in coWatch!)
            {
                var old = scores.GetValueOrDefault(id);
                scores[id] = (old.Content, max > 0 ? similarity / max : 0);
            }
        }
        var sameSeries = series.Where(s => s.Id != title.Id && SameSeries(title, s))
            .OrderBy(s => Math.Abs((s.Year ?? 0) - (title.Year ?? 0))).ThenBy(s => s.Year).ThenBy(s => s.Id).ToList();
        var result = sameSeries.Select(s =>
        {
            var (c, w) = scores.GetValueOrDefault(s.Id);
            return new SimilarScore(s.Id, Blend(c, w, useCoWatch), SimilarKind.SameSeries);
        }).ToList();
        var taken = result.Select(r => r.Id).ToHashSet();
        result.AddRange(scores.Where(kv => !taken.Contains(kv.Key) && kv.Key != title.Id)
            .Select(kv => new SimilarScore(kv.Key, Blend(kv.Value.Content, kv.Value.CoWatch, useCoWatch),
                !useCoWatch || kv.Value.CoWatch == 0 ? SimilarKind.Content : kv.Value.Content == 0 ? SimilarKind.CoWatch : SimilarKind.Both))
            .OrderByDescending(s => s.Similarity).ThenBy(s => s.Id));
        return result.Take(k).ToList();
    }

    private static double Blend(double content, double coWatch, bool useCoWatch) =>
        useCoWatch ? (1 - CoWatchWeight) * content + CoWatchWeight * coWatch : content;

    // What the percentage beside a neighbour is, in words.
    public static string Label(SimilarKind kind, double similarity) => kind switch
    {
        SimilarKind.SameSeries => "same series",
        _ => (similarity * 100).ToString("0", CultureInfo.InvariantCulture) + "% similar",
    };

    [GeneratedRegex(@",\s*(The|A|An)$", RegexOptions.IgnoreCase)]
    private static partial Regex TrailingArticle();

    [GeneratedRegex(@"\s*\(\d{4}\)\s*$")]
    private static partial Regex YearInBrackets();

    [GeneratedRegex(@"(\s+(part|chapter|episode|vol\.?|volume))?\s+([0-9]+|i{1,3}|iv|v|vi{0,3}|ix|x)$", RegexOptions.IgnoreCase)]
    private static partial Regex SequelNumber();

    [GeneratedRegex(@"^(the|a|an)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex LeadingArticle();
}
