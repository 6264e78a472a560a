using System.Globalization;
using System.Text;
using Aperture.Data;

namespace Aperture.Narratives;

// The offline writer: plain English from the recommender's own facts, nothing else. Deterministic
// (the same story always reads the same), but the opening follows the strongest signal, and
// wording varies between titles so that fifty picks do not read like one form letter.
public static class LocalNarrativeWriter
{
    private enum Angle { CloseMatch, Discovery, Crowd, Acclaimed, Popular, General }

    private const double Strong = 0.6;

    public static Narrative ExplainPick(PickStory pick) => new(PickText(pick), Narrative.LocalSource);

    public static Narrative DescribeTaste(TasteStory taste) => new(TasteText(taste), Narrative.LocalSource);

    private static string PickText(PickStory pick)
    {
        var evidence = pick.Evidence.Where(e => !string.IsNullOrWhiteSpace(e.Title))
            .OrderByDescending(e => e.Similarity).DistinctBy(e => e.Title, StringComparer.OrdinalIgnoreCase).Take(3).ToList();
        var matched = pick.MatchedGenres.Where(g => !string.IsNullOrWhiteSpace(g)).Distinct(StringComparer.OrdinalIgnoreCase).Take(3).ToList();
        var fresh = pick.Genres.Where(g => !string.IsNullOrWhiteSpace(g) && !matched.Contains(g, StringComparer.OrdinalIgnoreCase)).Take(2).ToList();
        var angle = ChooseAngle(pick, evidence);
        var variant = Variant(pick.Title);
        var title = pick.Title.Trim();
        var noun = Noun(pick.Kind);
        var sentences = new List<string>();

        switch (angle)
        {
            case Angle.CloseMatch when evidence.Count > 0:
                var pronoun = evidence.Count == 1 ? "its" : "their";
                sentences.Add(variant == 0 || matched.Count == 0
                    ? $"You {EvidenceClause(evidence, pick.Kind)}; {title} " + (matched.Count > 0
                        ? $"shares {pronoun} {Genres(matched)}."
                        : $"is {Closeness(pick.Similarity)} {(evidence.Count == 1 ? "it" : "them")} in tone and subject.")
                    : $"Because you {EvidenceClause(evidence, pick.Kind)}: {title} is {WithArticle(Genres(matched))} {noun} in the same vein.");
                break;
            case Angle.CloseMatch:
                sentences.Add(matched.Count > 0
                    ? $"{title} is {Closeness(pick.Similarity)} what you usually watch: {Genres(matched)}, the {(matched.Count == 1 ? "genre" : "genres")} you keep coming back to."
                    : $"{title} is {Closeness(pick.Similarity)} what you usually watch.");
                break;
            case Angle.Discovery:
                var opening = variant == 0 ? "Something different" : "A step off your usual path";
                sentences.Add(fresh.Count > 0
                    ? $"{opening}: {title} brings {Genres(fresh)}, less familiar ground for you{Thread(evidence, pick.Kind)}."
                    : $"{opening}: {title} is unlike most of what you have watched{Thread(evidence, pick.Kind)}.");
                break;
            case Angle.Crowd:
                sentences.Add(variant == 0
                    ? $"People whose viewing looks like yours watched {title}."
                    : $"Viewers with tastes like yours have been watching {title}.");
                break;
            case Angle.Acclaimed:
                sentences.Add($"{title} is one of the best-rated {Plural(pick.Kind)} you have not seen yet{CommunityScore(pick, " (", "/10 from audiences)")}.");
                break;
            case Angle.Popular:
                sentences.Add($"{title} is popular on this server, and you have not seen it yet.");
                break;
            default:
                sentences.Add(matched.Count > 0
                    ? $"{title} fits your taste for {Genres(matched)}."
                    : $"{title} is a {noun} you have not seen that sits near your overall taste.");
                break;
        }

        // The signals that did not open the text but are strong enough to be worth a word.
        var also = new List<string>();
        if (angle is Angle.Crowd or Angle.Acclaimed or Angle.Popular && evidence.Count > 0)
        {
            var first = evidence[0];
            sentences.Add(matched.Count > 0
                ? $"It shares {Genres(matched)} with {first.Title}, which you {ReasonAbout(first.Reason, pick.Kind)}."
                : $"It is {Closeness(pick.Similarity)} {first.Title}, which you {ReasonAbout(first.Reason, pick.Kind)}.");
        }
        if (angle != Angle.Acclaimed && pick.Rating >= Strong)
        {
            also.Add("well rated" + CommunityScore(pick, " (", "/10)"));
        }
        if (angle != Angle.Popular && pick.Popularity >= Strong)
        {
            also.Add("popular on this server");
        }
        if (angle != Angle.Crowd && pick.Collaborative >= 0.5)
        {
            also.Add("watched by people with tastes like yours");
        }
        if (also.Count > 0)
        {
            sentences.Add($"It is also {Join(also)}.");
        }
        // What the user told Aperture about genres (Tune's more/less, "not my genre") and how it moved this pick.
        if (pick.MoreGenres is { Count: > 0 } more)
        {
            sentences.Add($"You asked for more {Join(more.Select(GenreWord).ToList())}, which moved it up.");
        }
        if (pick.LessGenres is { Count: > 0 } less)
        {
            sentences.Add($"You asked for less {Join(less.Select(GenreWord).ToList())}, which moved it down, but it still made your list.");
        }
        return string.Join(" ", sentences);
    }

    private static Angle ChooseAngle(PickStory pick, List<EvidenceTitle> evidence)
    {
        if (pick.Novelty >= 0.5 && pick.Novelty > pick.Similarity)
        {
            return Angle.Discovery;
        }
        var strongest = new[]
        {
            (Angle.CloseMatch, pick.Similarity + (evidence.Count > 0 ? 0.1 : 0)),
            (Angle.Crowd, pick.Collaborative),
            (Angle.Acclaimed, pick.Rating),
            (Angle.Popular, pick.Popularity),
        }.MaxBy(s => s.Item2);
        return strongest.Item2 < 0.2 ? (evidence.Count > 0 ? Angle.CloseMatch : Angle.General) : strongest.Item1;
    }

    // "marked Alien as a favourite, rated Heat highly and watched Ronin"
    private static string EvidenceClause(List<EvidenceTitle> evidence, MediaKind kind)
    {
        var order = new[] { EvidenceReason.Liked, EvidenceReason.Favorite, EvidenceReason.HighlyRated, EvidenceReason.Rewatched, EvidenceReason.Watched };
        var clauses = order.Select(reason => (reason, titles: evidence.Where(e => e.Reason == reason).Select(e => e.Title.Trim()).ToList()))
            .Where(g => g.titles.Count > 0)
            .Select(g => ReasonPhrase(g.reason, kind, g.titles))
            .ToList();
        return Join(clauses);
    }

    private static string ReasonPhrase(EvidenceReason reason, MediaKind kind, List<string> titles) => reason switch
    {
        EvidenceReason.Liked => $"gave {Join(titles)} a thumbs up here",
        EvidenceReason.Favorite => $"marked {Join(titles)} as {(titles.Count == 1 ? "a favourite" : "favourites")}",
        EvidenceReason.HighlyRated => $"rated {Join(titles)} highly",
        EvidenceReason.Rewatched => kind == MediaKind.Series ? $"went back to episodes of {Join(titles)}" : $"watched {Join(titles)} more than once",
        _ => $"watched {Join(titles)}",
    };

    private static string Thread(List<EvidenceTitle> evidence, MediaKind kind) => evidence.Count == 0
        ? ""
        : $", though it keeps a thread to {evidence[0].Title}, which you {ReasonAbout(evidence[0].Reason, kind)}";

    // The same, after "which you": the title is already named.
    private static string ReasonAbout(EvidenceReason reason, MediaKind kind) => reason switch
    {
        EvidenceReason.Liked => "gave a thumbs up",
        EvidenceReason.Favorite => "marked as a favourite",
        EvidenceReason.HighlyRated => "rated highly",
        EvidenceReason.Rewatched => kind == MediaKind.Series ? "keep going back to" : "watched more than once",
        _ => "watched",
    };

    private static string Closeness(double similarity) => similarity switch
    {
        >= 0.8 => "very close to",
        >= 0.5 => "close to",
        _ => "not far from",
    };

    private static string CommunityScore(PickStory pick, string before, string after) =>
        pick.CommunityRating is { } r && r > 0 ? before + r.ToString("0.#", CultureInfo.InvariantCulture) + after : "";

    private static string TasteText(TasteStory taste)
    {
        var plural = Plural(taste.Kind);
        if (taste.WatchedCount <= 0)
        {
            return $"You have not watched any {plural} yet; once you have, this is where your taste is summed up.";
        }
        var sentences = new List<string>
        {
            taste.Kind == MediaKind.Series
                ? $"You have watched episodes of {Count(taste.WatchedCount, "show", "shows")}."
                : $"You have watched {Count(taste.WatchedCount, "film", "films")}.",
        };
        var genres = taste.TopGenres.Where(g => g.Share > 0 && !string.IsNullOrWhiteSpace(g.Genre))
            .OrderByDescending(g => g.Share).Take(4).ToList();
        if (genres.Count > 0)
        {
            var whole = taste.Kind == MediaKind.Series ? "the shows you watch" : "your films";
            var first = $"{Capitalise(ShareWords(genres[0].Share))} of {whole} are {GenreWord(genres[0].Genre)}";
            var rest = genres.Skip(1).Select(g => $"{ShareWords(g.Share)} {GenreWord(g.Genre)}").ToList();
            sentences.Add(rest.Count == 0 ? first + "." : $"{first}, {Join(rest)}.");
        }
        var favourites = taste.Favorites.Where(f => !string.IsNullOrWhiteSpace(f)).Take(4).ToList();
        if (favourites.Count > 0)
        {
            sentences.Add(favourites.Count == 1 ? $"Your favourite is {favourites[0]}." : $"Your favourites include {Join(favourites)}.");
        }
        var recent = taste.Recent.Where(r => !string.IsNullOrWhiteSpace(r)).Take(3).ToList();
        if (recent.Count > 0)
        {
            sentences.Add(taste.Kind == MediaKind.Series
                ? $"Lately you have been watching {Join(recent)}."
                : $"Lately you have watched {Join(recent)}.");
        }
        if (taste.MedianYear is { } year && year > 1800)
        {
            sentences.Add($"Your viewing centres on the {Era(year)}.");
        }
        var people = taste.TopPeople.Where(p => !string.IsNullOrWhiteSpace(p)).Take(3).ToList();
        if (people.Count > 0)
        {
            sentences.Add($"{Join(people)} {(people.Count == 1 ? "turns" : "turn")} up again and again.");
        }
        if (taste.AverageOwnRating is { } rating && rating > 0)
        {
            sentences.Add($"When you rate, you give {rating.ToString("0.#", CultureInfo.InvariantCulture)} out of 10 on average.");
        }
        return string.Join(" ", sentences);
    }

    private static string ShareWords(double share) => share switch
    {
        >= 0.9 => "almost all",
        >= 0.7 => "about three quarters",
        >= 0.6 => "about two thirds",
        >= 0.45 => "about half",
        >= 0.3 => "about a third",
        >= 0.22 => "about a quarter",
        >= 0.16 => "about a fifth",
        >= 0.08 => "about one in ten",
        _ => "a few",
    };

    private static string Era(int year)
    {
        var decade = year / 10 * 10;
        var part = (year % 10) switch { <= 3 => "early", <= 6 => "mid", _ => "late" };
        return string.Create(CultureInfo.InvariantCulture, $"{part} {decade}s");
    }

    private static string Count(int n, string one, string many) =>
        n == 1 ? $"one {one}" : string.Create(CultureInfo.InvariantCulture, $"{n:N0} {many}");

    private static string Noun(MediaKind kind) => kind == MediaKind.Series ? "show" : "film";

    private static string Plural(MediaKind kind) => kind == MediaKind.Series ? "shows" : "films";

    private static string Genres(List<string> genres) => Join(genres.Select(GenreWord).ToList());

    // Genres read as common nouns mid-sentence ("science fiction"), acronyms stay ("TV movie").
    private static string GenreWord(string genre) => string.Join(" ", genre.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .Select(w => w.Length > 1 && w.All(c => !char.IsLetter(c) || char.IsUpper(c)) ? w : w.ToLowerInvariant()));

    private static string WithArticle(string phrase) =>
        (phrase.Length > 0 && "aeiou".Contains(char.ToLowerInvariant(phrase[0]), StringComparison.Ordinal) ? "an " : "a ") + phrase;

    private static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static string Join(List<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };

    // A stable choice between wordings (string.GetHashCode differs between processes).
    private static int Variant(string title)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(title))
        {
            hash = (hash ^ b) * 16777619u;
        }
        return (int)(hash % 2);
    }
}
