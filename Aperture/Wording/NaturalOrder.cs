namespace Aperture.Wording;

// How people expect names to sort: u1, u2, … u10, not u1, u10, u2. Case is ignored and runs of digits compare by
// their value, so one comparer serves every list of users (pages, pickers, API) instead of a copy per page.
public sealed class NaturalOrder : IComparer<string?>
{
    public static readonly NaturalOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }
        if (x is null)
        {
            return -1;
        }
        if (y is null)
        {
            return 1;
        }
        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                var (xs, xe) = DigitRun(x, i);
                var (ys, ye) = DigitRun(y, j);
                // Leading zeros are skipped: a longer significant run is the larger number, whatever its digits.
                var byLength = (xe - xs).CompareTo(ye - ys);
                if (byLength != 0)
                {
                    return byLength;
                }
                var byDigits = string.CompareOrdinal(x, xs, y, ys, xe - xs);
                if (byDigits != 0)
                {
                    return byDigits;
                }
                i = xe;
                j = ye;
                continue;
            }
            var byChar = char.ToUpperInvariant(x[i]).CompareTo(char.ToUpperInvariant(y[j]));
            if (byChar != 0)
            {
                return byChar;
            }
            i++;
            j++;
        }
        var byRest = (x.Length - i).CompareTo(y.Length - j);
        // Names equal but for case or leading zeros still get one stable order.
        return byRest != 0 ? byRest : string.CompareOrdinal(x, y);
    }

    // The significant digits of the run starting at start: [first non-zero (or last zero), end of run).
    private static (int Start, int End) DigitRun(string s, int start)
    {
        var end = start;
        while (end < s.Length && char.IsAsciiDigit(s[end]))
        {
            end++;
        }
        var significant = start;
        while (significant < end - 1 && s[significant] == '0')
        {
            significant++;
        }
        return (significant, end);
    }
}
