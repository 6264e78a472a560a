using System.Globalization;
using System.Text;
using Aperture.Catalog;
using Aperture.Data;

namespace Aperture.Embeddings;

// The fields of a title that describe it, whatever its source (the synced catalogue, or a benchmark's CSV).
public sealed record TitleDocument(
    string Key,
    MediaKind Kind,
    string Name,
    int? Year,
    IReadOnlyList<string> Genres,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Directors,
    IReadOnlyList<string> Cast,
    IReadOnlyList<string> Studios,
    string? OfficialRating,
    string? Overview,
    IReadOnlyList<string> Taglines,
    string? Status = null,
    int? EpisodeCount = null)
{
    public static TitleDocument From(Title t) => new(
        t.Id.ToString(CultureInfo.InvariantCulture),
        t.Kind,
        t.Name,
        t.Year,
        t.Genres,
        t.Tags,
        t.People.Where(p => p.Type is "Director" or "Creator").Select(p => p.Name).ToList(),
        t.People.Where(p => p.Type is "Actor" or "GuestStar").Take(8).Select(p => p.Name).ToList(),
        t.Studios,
        t.OfficialRating,
        t.Overview,
        t.Taglines,
        t.Status,
        t.Kind == MediaKind.Series ? t.EpisodeCount : null);

    // The text an embedding API (OpenAI or compatible) receives. Changing it changes the version,
    // which re-embeds everything.
    public const int TextVersion = 1;

    public string ComposeText()
    {
        var text = new StringBuilder();
        text.Append(Name);
        if (Year is { } year)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({year})");
        }
        text.Append(Kind == MediaKind.Series ? ". TV series" : ". Movie").Append('.');
        AppendList(text, "Genres", Genres);
        if (!string.IsNullOrWhiteSpace(Overview))
        {
            text.Append(' ').Append(Overview.Trim());
            EndSentence(text);
        }
        AppendList(text, "Tagline", Taglines);
        AppendList(text, "Keywords", Tags);
        AppendList(text, Kind == MediaKind.Series ? "Created by" : "Directed by", Directors);
        AppendList(text, "Starring", Cast.Take(5).ToList());
        AppendList(text, Kind == MediaKind.Series ? "Network" : "Studio", Studios);
        if (!string.IsNullOrWhiteSpace(OfficialRating))
        {
            text.Append(" Rated ").Append(OfficialRating).Append('.');
        }
        if (Kind == MediaKind.Series && !string.IsNullOrWhiteSpace(Status))
        {
            text.Append(" Status: ").Append(Status).Append('.');
        }
        if (Kind == MediaKind.Series && EpisodeCount is > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" {EpisodeCount} episodes.");
        }
        return text.ToString();
    }

    private static void EndSentence(StringBuilder text)
    {
        if (text.Length > 0 && text[^1] is not ('.' or '!' or '?'))
        {
            text.Append('.');
        }
    }

    private static void AppendList(StringBuilder text, string label, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            text.Append(' ').Append(label).Append(": ").AppendJoin(", ", values);
            EndSentence(text);
        }
    }
}
