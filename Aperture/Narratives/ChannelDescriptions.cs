using System.Globalization;
using System.Text;
using Aperture.Data;
using Aperture.Wording;

namespace Aperture.Narratives;

// A channel's description: the prompt for the text model and the built-in writer's version of the same facts.
public static class ChannelDescriptions
{
    public static string System =>
        "You write the two-sentence description shown at the top of a user-made channel (a playlist of films and shows) " +
        "on a home media server. At most 60 words. Use only the facts given: never invent plot details, people or titles " +
        "that are not listed. Plain text only: no lists, no headings, no quotation marks around the answer.";

    public static string Facts(ChannelStory story)
    {
        var facts = new StringBuilder();
        Line(facts, $"Channel name: {story.Name}");
        Line(facts, $"Contains: {Noun(story.Kinds)}");
        if (!string.IsNullOrWhiteSpace(story.Preference))
        {
            Line(facts, $"What the owner asked for, in their words: {story.Preference.Trim()}");
        }
        if (story.Examples.Count > 0)
        {
            Line(facts, $"Example titles the owner chose: {string.Join(", ", story.Examples)}");
        }
        if (story.IncludeGenres.Count > 0)
        {
            Line(facts, $"Only these genres: {string.Join(", ", story.IncludeGenres)}");
        }
        if (story.ExcludeGenres.Count > 0)
        {
            Line(facts, $"Never these genres: {string.Join(", ", story.ExcludeGenres)}");
        }
        Line(facts, $"Titles in order ({story.Titles.Count}):");
        foreach (var t in story.Titles.Take(15))
        {
            Line(facts, $"- {t.Title}{(t.Year is { } y ? $" ({y})" : "")}: {string.Join(", ", t.Genres)}");
        }
        return facts.ToString().TrimEnd();
    }

    public static Narrative Local(ChannelStory story)
    {
        var text = new StringBuilder();
        text.Append(Plural.Count(story.Titles.Count, One(story.Kinds), Noun(story.Kinds)));
        var asked = new List<string>();
        if (!string.IsNullOrWhiteSpace(story.Preference))
        {
            asked.Add($"chosen for \u201C{story.Preference.Trim()}\u201D");
        }
        if (story.Examples.Count > 0)
        {
            asked.Add($"in the vein of {Join(story.Examples.Take(3).ToList())}");
        }
        text.Append(asked.Count > 0 ? " " + string.Join(", ", asked) : " picked by their vectors");
        if (story.ExcludeGenres.Count > 0)
        {
            text.Append(", with no ").Append(Join(story.ExcludeGenres, "or"));
        }
        text.Append('.');
        var genres = story.Titles.SelectMany(t => t.Genres).GroupBy(g => g, StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(3).Select(g => g.Key).ToList();
        if (genres.Count > 0)
        {
            text.Append(" Mostly ").Append(Join(genres)).Append('.');
        }
        var opening = story.Titles.Take(3).Select(t => t.Title).ToList();
        if (opening.Count > 0)
        {
            text.Append(" It opens with ").Append(Join(opening)).Append('.');
        }
        return new Narrative(text.ToString(), Narrative.LocalSource);
    }

    private static string Noun(IReadOnlyList<MediaKind> kinds) =>
        kinds.Count > 1 ? "films and shows" : kinds.Count == 1 && kinds[0] == MediaKind.Series ? "shows" : "films";

    private static string One(IReadOnlyList<MediaKind> kinds) =>
        kinds.Count > 1 ? "title" : kinds.Count == 1 && kinds[0] == MediaKind.Series ? "show" : "film";

    private static string Join(IReadOnlyList<string> items, string last = "and") => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + $" {last} " + items[^1],
    };

    private static void Line(StringBuilder facts, FormattableString line) => facts.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
