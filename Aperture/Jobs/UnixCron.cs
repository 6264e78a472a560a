using Quartz;

namespace Aperture.Jobs;

// The original's schedules are 5-field Unix cron ("0 3 * * *": minute hour day-of-month month
// day-of-week); Quartz wants seconds first, "?" in one of the two day fields, and counts
// weekdays from 1 = Sunday. 6- and 7-field input is taken as Quartz syntax already.
public static class UnixCron
{
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private static readonly Dictionary<string, string> Macros = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

    // The Quartz form of a cron expression, or an error that says what is wrong with it.
    public static (string? Quartz, string? Error) ToQuartz(string? input, TimeZoneInfo timeZone, DateTimeOffset now)
    {
        var text = string.Join(' ', (input ?? "").Split(' ', '\t').Where(p => p.Length > 0));
        if (text.Length == 0)
        {
            return (null, "Enter a cron expression, like 0 3 * * * (every day at 03:00).");
        }
        if (text.StartsWith('@'))
        {
            if (!Macros.TryGetValue(text, out var expanded))
            {
                return (null, $"Unknown cron shorthand '{text}': use @hourly, @daily, @weekly, @monthly or @yearly.");
            }
            text = expanded;
        }

        var fields = text.Split(' ');
        string quartz;
        switch (fields.Length)
        {
            case 5:
                var (converted, error) = FromUnix(fields);
                if (error is not null)
                {
                    return (null, error);
                }
                quartz = converted!;
                break;
            case 6 or 7:
                quartz = text.ToUpperInvariant();
                break;
            default:
                return (null, $"A cron expression has 5 fields (minute hour day-of-month month day-of-week), like 0 3 * * *; '{text}' has {fields.Length}.");
        }

        try
        {
            var expression = new CronExpression(quartz, timeZone);
            if (expression.GetNextValidTimeAfter(now) is null)
            {
                return (null, $"'{text}' never fires (no such date).");
            }
        }
        catch (FormatException e)
        {
            return (null, $"'{text}' is not a valid cron expression: {e.Message}");
        }
        return (quartz, null);
    }

    private static (string? Quartz, string? Error) FromUnix(string[] f)
    {
        var (minute, hour, dayOfMonth, month, dayOfWeek) = (f[0], f[1], f[2], f[3], f[4]);
        var domRestricted = dayOfMonth is not ("*" or "?");
        var dowRestricted = dayOfWeek is not ("*" or "?");
        if (domRestricted && dowRestricted)
        {
            // Unix cron fires when either matches; Quartz cannot say that.
            return (null, "Give a day of the month or a day of the week, not both (set the other to *).");
        }
        if (!dowRestricted)
        {
            return ($"0 {minute} {hour} {(domRestricted ? dayOfMonth : "*")} {month} ?", null);
        }
        var (days, error) = Weekdays(dayOfWeek);
        return error is not null ? (null, error) : ($"0 {minute} {hour} ? {month} {days}", null);
    }

    // Unix weekdays (0-7, Sunday twice, or names) as an explicit Quartz list (1 = Sunday).
    private static (string? Days, string? Error) Weekdays(string field)
    {
        var set = new SortedSet<int>();
        foreach (var item in field.Split(','))
        {
            var parts = item.Split('/');
            var step = 1;
            if (parts.Length > 2 || (parts.Length == 2 && (!int.TryParse(parts[1], out step) || step < 1)))
            {
                return (null, $"Day of week '{item}' has an invalid step.");
            }
            int from, to;
            if (parts[0] == "*")
            {
                (from, to) = (0, 6);
            }
            else
            {
                var range = parts[0].Split('-');
                if (range.Length > 2 || Day(range[0]) is not { } a || (range.Length == 2 ? Day(range[1]) : a) is not { } b)
                {
                    return (null, $"Day of week '{item}' is not a day: use 0-7 (0 and 7 are Sunday) or SUN-SAT.");
                }
                // "5/2" means from Friday on, every second day.
                (from, to) = (a, range.Length == 2 ? b : parts.Length == 2 ? 6 : a);
                if (b == 7 && range.Length == 2)
                {
                    to = 7;
                }
                if (from > to)
                {
                    return (null, $"Day of week range '{item}' runs backwards.");
                }
            }
            for (var d = from; d <= to; d += step)
            {
                set.Add(d % 7);
            }
        }
        return (string.Join(',', set.Select(d => DayNames[d])), null);
    }

    private static int? Day(string text)
    {
        if (int.TryParse(text, out var n))
        {
            return n is >= 0 and <= 7 ? n : null;
        }
        var index = Array.FindIndex(DayNames, d => d.Equals(text, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? index : null;
    }
}
