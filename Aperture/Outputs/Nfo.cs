using System.Globalization;
using System.Text;
using System.Xml;
using Aperture.Data;

namespace Aperture.Outputs;

// Kodi-format movie.nfo / tvshow.nfo, which Jellyfin and Emby read before asking remote providers.
// <sorttitle> and <dateadded> carry the rank, so sorting the library by name or by date added shows the picks
// in order. The dates count down from a fixed moment rather than now so an unchanged list writes identical files.
public static class Nfo
{
    public const string MovieFile = "movie.nfo";
    public const string SeriesFile = "tvshow.nfo";

    private static readonly DateTime RankAnchor = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static string FileName(MediaKind kind) => kind == MediaKind.Movie ? MovieFile : SeriesFile;

    public static byte[] Write(OutputEntry entry)
    {
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(false),
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Replace,
        };
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            xml.WriteStartDocument(standalone: true);
            xml.WriteStartElement(entry.Kind == MediaKind.Movie ? "movie" : "tvshow");
            Element(xml, "title", entry.Title);
            Element(xml, "sorttitle", $"{entry.Rank:D4} {entry.Title}");
            if (entry.Year is { } year)
            {
                Element(xml, "year", year.ToString(CultureInfo.InvariantCulture));
            }
            Element(xml, "plot", Plot(entry));
            if (!string.IsNullOrWhiteSpace(entry.Why))
            {
                Element(xml, "outline", entry.Why);
            }
            // Only ids the server gave us: an invented id makes the server fetch another title's metadata.
            var defaultSet = false;
            foreach (var (type, id) in (ReadOnlySpan<(string, string?)>)[("imdb", entry.ImdbId), ("tmdb", entry.TmdbId), ("tvdb", entry.TvdbId)])
            {
                if (string.IsNullOrWhiteSpace(id))
                {
                    continue;
                }
                xml.WriteStartElement("uniqueid");
                xml.WriteAttributeString("type", type);
                if (!defaultSet)
                {
                    xml.WriteAttributeString("default", "true");
                    defaultSet = true;
                }
                xml.WriteString(Clean(id.Trim()));
                xml.WriteEndElement();
                Element(xml, type + "id", id.Trim());
            }
            Element(xml, "dateadded", RankAnchor.AddMinutes(-(entry.Rank - 1)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        return buffer.ToArray();
    }

    private static string Plot(OutputEntry entry)
    {
        var overview = entry.Overview?.Trim();
        var why = entry.Why?.Trim();
        return (string.IsNullOrEmpty(overview), string.IsNullOrEmpty(why)) switch
        {
            (false, false) => $"{overview}\n\nWhy this pick: {why}",
            (false, true) => overview!,
            (true, false) => $"Why this pick: {why}",
            _ => "",
        };
    }

    private static void Element(XmlWriter xml, string name, string value) => xml.WriteElementString(name, Clean(value));

    // XML 1.0 cannot carry most control characters even escaped; the writer escapes the rest (&, <, >, quotes).
    private static string Clean(string value)
    {
        if (value.All(XmlConvert.IsXmlChar))
        {
            return value;
        }
        var b = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (i + 1 < value.Length && XmlConvert.IsXmlSurrogatePair(value[i + 1], value[i]))
            {
                b.Append(value[i]).Append(value[++i]);
            }
            else if (XmlConvert.IsXmlChar(value[i]))
            {
                b.Append(value[i]);
            }
        }
        return b.ToString();
    }
}
