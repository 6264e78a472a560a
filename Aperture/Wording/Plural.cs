using System.Globalization;

namespace Aperture.Wording;

// One place for "1 title" / "2 titles": every count a person reads goes through here rather than "title(s)" or a
// hand-written ternary that the next message forgets.
public static class Plural
{
    // "1 title", "0 titles"; many defaults to one + "s".
    public static string Count(long count, string one, string? many = null) =>
        $"{count.ToString(CultureInfo.InvariantCulture)} {Word(count, one, many)}";

    // The noun alone, for sentences that put the number elsewhere ("of 3 users" → Word(3, "user")).
    public static string Word(long count, string one, string? many = null) => count == 1 ? one : many ?? one + "s";
}
