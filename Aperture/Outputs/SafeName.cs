using System.Buffers;
using System.Globalization;
using System.Text;

namespace Aperture.Outputs;

// Names from the media server become file and folder names under the output root. The result is always one
// path segment that is valid on Linux, Windows and SMB shares: no separators, no "." or "..", no hidden
// (dot-leading) names, no control or bidi characters, no Windows reserved device names, NFC, at most
// MaxBytes of UTF-8 cut at a whole character.
public static class SafeName
{
    public const int MaxBytes = 150;
    public const string Fallback = "Untitled";

    private static readonly SearchValues<char> Dropped = SearchValues.Create("*?\"<>|");

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
    };

    public static string Clean(string? name, int maxBytes = MaxBytes, string fallback = Fallback)
    {
        if (string.IsNullOrEmpty(name))
        {
            return fallback;
        }
        var text = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                text.Append(c).Append(name[++i]);
            }
            else if (char.IsSurrogate(c) || Dropped.Contains(c) || IsInvisibleControl(c))
            {
                // A lone surrogate cannot be encoded or normalised; bidi overrides can disguise an extension.
            }
            else if (char.IsControl(c))
            {
                text.Append(' ');
            }
            else if (c == ':')
            {
                // "Star Wars: A New Hope" reads best as "Star Wars - A New Hope".
                text.Append(" - ");
            }
            else
            {
                text.Append(c);
            }
        }

        // A separator splits the name: "." and ".." parts are dropped, the rest is joined ("AC/DC" → "AC-DC").
        var parts = text.ToString().Normalize(NormalizationForm.FormC)
            .Split(['/', '\\'])
            .Select(p => CollapseSpaces(p).Trim())
            .Where(p => p.Length > 0 && p != "." && p != "..");
        var cleaned = TrimEnds(string.Join("-", parts));
        cleaned = Truncate(cleaned, maxBytes);
        if (cleaned.Length == 0)
        {
            return fallback;
        }
        var stem = cleaned.Split('.')[0].TrimEnd();
        return Reserved.Contains(stem) ? Truncate("_" + cleaned, maxBytes) : cleaned;
    }

    // True when the name can be used as is (what Clean would leave unchanged).
    public static bool IsSafe(string name) => name.Length > 0 && Clean(name, fallback: "") == name;

    // A file name whose extension (".mkv", ".en.srt" ends with ".srt") survives the length cap.
    public static string FileName(string name, int maxBytes = 240)
    {
        var cleaned = Clean(name, int.MaxValue);
        var dot = cleaned.LastIndexOf('.');
        var extension = dot > 0 && cleaned.Length - dot <= 16 ? cleaned[dot..] : "";
        if (Encoding.UTF8.GetByteCount(cleaned) <= maxBytes)
        {
            return cleaned;
        }
        return Clean(cleaned[..^extension.Length], maxBytes - Encoding.UTF8.GetByteCount(extension)) + extension;
    }

    // "Title (Year) [id]": the server's item id keeps two films with the same name and year apart.
    public static string TitleFolder(string title, int? year, string idTag)
    {
        var suffix = (year is { } y ? $" ({y})" : "") + $" [{Clean(idTag, 40, "x")}]";
        var room = MaxBytes - Encoding.UTF8.GetByteCount(suffix);
        return Clean(title, room) + suffix;
    }

    // Enough of the id to tell titles apart at a glance; callers fall back to the whole id on a clash.
    public static string ShortId(string serverItemId) =>
        serverItemId.Length <= 12 ? serverItemId : serverItemId[..8];

    private static bool IsInvisibleControl(char c) =>
        c is '\u200E' or '\u200F' or '\uFEFF' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    private static string CollapseSpaces(string s)
    {
        var b = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            var space = char.IsWhiteSpace(c);
            if (!space || b.Length == 0 || b[^1] != ' ')
            {
                b.Append(space ? ' ' : c);
            }
        }
        return b.ToString();
    }

    // Trailing dots and spaces vanish on Windows shares; a leading dot hides the entry from Jellyfin's scan.
    private static string TrimEnds(string s) => s.Trim().TrimStart('.', ' ').TrimEnd('.', ' ');

    private static string Truncate(string s, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(s) <= maxBytes)
        {
            return s;
        }
        // Whole text elements only: a surrogate pair or a letter with its combining marks is never split.
        var b = new StringBuilder();
        var bytes = 0;
        var elements = StringInfo.GetTextElementEnumerator(s);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            var n = Encoding.UTF8.GetByteCount(element);
            if (bytes + n > maxBytes)
            {
                break;
            }
            b.Append(element);
            bytes += n;
        }
        return TrimEnds(b.ToString());
    }
}
