using System.Globalization;
using System.Text;
using Aperture.Data;

namespace Aperture.Narratives;

// What the text model is told: the recommender's facts and nothing else, with a rule against inventing more.
public static class NarrativePrompts
{
    private const int MaxOverviewLength = 600;

    public static string PickSystem(MediaKind kind) =>
        $"You write the short \"why this pick\" note that a home media server shows under a recommended {Noun(kind)}. " +
        "Write one or two sentences, at most 50 words, speaking to the viewer as \"you\". " +
        "Use only the facts given: never invent plot details, cast, crew, awards, quotes or anything else not listed. " +
        "Do not mention scores, percentages or the numbers of the signals; say what the strongest signals mean in words. " +
        "Plain text only: no lists, no headings, no quotation marks around the answer.";

    public static string PickFacts(PickStory pick)
    {
        var facts = new StringBuilder();
        Line(facts, $"Recommended {Noun(pick.Kind)}: {pick.Title}{(pick.Year is { } y ? $" ({y})" : "")}");
        if (pick.Genres.Count > 0)
        {
            Line(facts, $"Genres: {string.Join(", ", pick.Genres)}");
        }
        if (pick.MatchedGenres.Count > 0)
        {
            Line(facts, $"Genres it shares with what the viewer watches: {string.Join(", ", pick.MatchedGenres)}");
        }
        if (!string.IsNullOrWhiteSpace(pick.Overview))
        {
            var overview = pick.Overview.Trim();
            Line(facts, $"Overview: {(overview.Length > MaxOverviewLength ? overview[..MaxOverviewLength] + "…" : overview)}");
        }
        if (pick.CommunityRating is { } rating && rating > 0)
        {
            Line(facts, $"Audience rating: {rating:0.#}/10");
        }
        string[] signals =
        [
            $"closeness to the viewer's taste {Number(pick.Similarity)}", $"new ground for the viewer {Number(pick.Novelty)}",
            $"well rated {Number(pick.Rating)}", $"popular on this server {Number(pick.Popularity)}",
            $"watched by people with similar viewing {Number(pick.Collaborative)}",
        ];
        Line(facts, $"Signal strengths (0 = none, 1 = strongest): {string.Join("; ", signals)}");
        if (pick.Evidence.Count > 0)
        {
            Line(facts, $"Titles from the viewer's history that led to it:");
            foreach (var e in pick.Evidence.OrderByDescending(e => e.Similarity).Take(5))
            {
                Line(facts, $"- {e.Title}{(e.Year is { } ey ? $" ({ey})" : "")}: {Reason(e.Reason)}");
            }
        }
        if (pick.MoreGenres is { Count: > 0 } more)
        {
            Line(facts, $"The viewer asked for more {string.Join(", ", more)}, which moved it up");
        }
        if (pick.LessGenres is { Count: > 0 } less)
        {
            Line(facts, $"The viewer asked for less {string.Join(", ", less)}, which moved it down (it still made the list)");
        }
        return facts.ToString().TrimEnd();
    }

    public static string TasteSystem(MediaKind kind) =>
        $"You write a one-paragraph summary of a viewer's taste in {Noun(kind)}s for their own profile page on a home media server. " +
        "Three to five sentences, at most 110 words, speaking to the viewer as \"you\". " +
        "Use only the facts given: never invent titles, people, genres or anything else. " +
        "Describe genre shares in words (about half, a third), not as percentages. Plain text only, no lists.";

    public static string TasteFacts(TasteStory taste)
    {
        var facts = new StringBuilder();
        Line(facts, $"Viewer: {taste.UserName}");
        Line(facts, $"{(taste.Kind == MediaKind.Series ? "Shows with watched episodes" : "Films watched")}: {taste.WatchedCount}");
        if (taste.TopGenres.Count > 0)
        {
            var shares = taste.TopGenres.Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Genre} {g.Share * 100:0}%"));
            Line(facts, $"Genres (share of watched titles; a title can have several): {string.Join("; ", shares)}");
        }
        List(facts, "Favourites", taste.Favorites);
        List(facts, "Recently watched", taste.Recent);
        List(facts, "People who appear often in what they watch", taste.TopPeople);
        if (taste.MedianYear is { } year)
        {
            Line(facts, $"Median release year: {year}");
        }
        if (taste.AverageOwnRating is { } rating)
        {
            Line(facts, $"Their average own rating: {rating:0.#}/10");
        }
        return facts.ToString().TrimEnd();
    }

    private static void List(StringBuilder facts, string label, IReadOnlyList<string> items)
    {
        if (items.Count > 0)
        {
            Line(facts, $"{label}: {string.Join(", ", items.Take(8))}");
        }
    }

    private static void Line(StringBuilder facts, FormattableString line) => facts.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static string Reason(EvidenceReason reason) => reason switch
    {
        EvidenceReason.Liked => "they gave it a thumbs up in Aperture",
        EvidenceReason.Favorite => "a favourite of theirs",
        EvidenceReason.HighlyRated => "they rated it highly",
        EvidenceReason.Rewatched => "they watched it more than once",
        _ => "they watched it",
    };

    private static string Number(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Noun(MediaKind kind) => kind == MediaKind.Series ? "show" : "film";
}
