using System.Globalization;
using Aperture.Data;

namespace Aperture.Jobs;

// A schedule as the admin states it. Quartz never sees this type: the trigger is derived from it.
public sealed record ScheduleSpec(ScheduleKind Kind, TimeOnly? Time = null, DayOfWeek? Day = null, int? EveryHours = null, string? Cron = null)
{
    public static readonly int[] AllowedHours = [1, 2, 3, 4, 6, 8, 12];

    public static readonly ScheduleSpec Manual = new(ScheduleKind.Manual);

    // The Quartz cron expression that fires this schedule; null for a manual job (no trigger at all).
    public string? QuartzCron(TimeZoneInfo timeZone, DateTimeOffset now) => Kind switch
    {
        ScheduleKind.Daily => $"0 {Time!.Value.Minute} {Time.Value.Hour} * * ?",
        ScheduleKind.Weekly => $"0 {Time!.Value.Minute} {Time.Value.Hour} ? * {Day!.Value.ToString()[..3].ToUpperInvariant()}",
        // Every allowed N divides 24, so "every N hours" lines up with midnight every day.
        ScheduleKind.EveryHours => $"0 0 0/{EveryHours} * * ?",
        ScheduleKind.Cron => UnixCron.ToQuartz(Cron, timeZone, now).Quartz,
        _ => null,
    };

    public string Describe() => Kind switch
    {
        ScheduleKind.Daily => $"Every day at {Time:HH\\:mm}",
        ScheduleKind.Weekly => $"Every {Day} at {Time:HH\\:mm}",
        ScheduleKind.EveryHours => EveryHours == 1 ? "Every hour" : $"Every {EveryHours} hours",
        ScheduleKind.Cron => $"Cron {Cron}",
        _ => "Manual only",
    };

    public static string KindName(ScheduleKind kind) => kind switch
    {
        ScheduleKind.EveryHours => "everyHours",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static ScheduleKind? ParseKind(string? text) =>
        text?.Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant() switch
        {
            "manual" => ScheduleKind.Manual,
            "daily" => ScheduleKind.Daily,
            "weekly" => ScheduleKind.Weekly,
            "everyhours" or "hourly" => ScheduleKind.EveryHours,
            "cron" => ScheduleKind.Cron,
            _ => null,
        };

    public static ScheduleSpec FromEntity(JobSchedule row) => new(row.Kind, row.TimeOfDay, row.DayOfWeek, row.EveryHours, row.Cron);

    // Applies the admin's input over the current schedule (a PATCH): fields not given keep their
    // value; only the fields the resulting kind needs are checked and kept. Errors are keyed by field.
    public static (ScheduleSpec? Spec, Dictionary<string, string> Errors) Apply(ScheduleInput input, ScheduleSpec current, TimeZoneInfo timeZone, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string>();
        var kind = current.Kind;
        if (input.Kind is not null)
        {
            if (ParseKind(input.Kind) is { } parsed)
            {
                kind = parsed;
            }
            else
            {
                errors["kind"] = $"'{input.Kind}' is not a schedule: use manual, daily, weekly, everyHours or cron.";
                return (null, errors);
            }
        }

        // A value that is given must be valid, whatever the kind; an empty form field means "not given".
        var time = current.Time;
        if (Given(input.Time) is { } timeText)
        {
            time = TimeOnly.TryParseExact(timeText, ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
                ? new TimeOnly(t.Hour, t.Minute)
                : null;
            if (time is null)
            {
                errors["time"] = $"'{timeText}' is not a time of day: use HH:mm from 00:00 to 23:59.";
            }
        }
        var day = current.Day;
        if (Given(input.DayOfWeek) is { } dayText)
        {
            day = ParseDay(dayText);
            if (day is null)
            {
                errors["dayOfWeek"] = $"'{dayText}' is not a day of the week: use monday to sunday.";
            }
        }
        var hours = current.EveryHours;
        if (Given(input.EveryHours) is { } hoursText)
        {
            hours = int.TryParse(hoursText, NumberStyles.None, CultureInfo.InvariantCulture, out var h) && AllowedHours.Contains(h) ? h : null;
            if (hours is null)
            {
                errors["everyHours"] = $"Every {hoursText} hours is not offered: choose 1, 2, 3, 4, 6, 8 or 12.";
            }
        }
        var cron = Given(input.Cron) ?? current.Cron;

        switch (kind)
        {
            case ScheduleKind.Daily or ScheduleKind.Weekly when time is null && !errors.ContainsKey("time"):
                errors["time"] = "Enter the time of day (HH:mm).";
                break;
            case ScheduleKind.EveryHours when hours is null && !errors.ContainsKey("everyHours"):
                errors["everyHours"] = "Choose every 1, 2, 3, 4, 6, 8 or 12 hours.";
                break;
            case ScheduleKind.Cron:
                var (_, cronError) = UnixCron.ToQuartz(cron, timeZone, now);
                if (cronError is not null)
                {
                    errors["cron"] = cronError;
                }
                break;
        }
        if (kind == ScheduleKind.Weekly && day is null && !errors.ContainsKey("dayOfWeek"))
        {
            errors["dayOfWeek"] = "Choose the day of the week.";
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (kind switch
        {
            ScheduleKind.Daily => new ScheduleSpec(kind, time),
            ScheduleKind.Weekly => new ScheduleSpec(kind, time, day),
            ScheduleKind.EveryHours => new ScheduleSpec(kind, EveryHours: hours),
            ScheduleKind.Cron => new ScheduleSpec(kind, Cron: string.Join(' ', cron!.Split(' ', StringSplitOptions.RemoveEmptyEntries))),
            _ => Manual,
        }, errors);
    }

    private static string? Given(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static DayOfWeek? ParseDay(string text)
    {
        var t = text.Trim();
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            var name = day.ToString();
            if (t.Equals(name, StringComparison.OrdinalIgnoreCase) || t.Equals(name[..3], StringComparison.OrdinalIgnoreCase))
            {
                return day;
            }
        }
        return null;
    }
}

// What the admin typed, from the API or the page's form; null means "leave as it is".
public sealed record ScheduleInput(string? Kind, string? Time = null, string? DayOfWeek = null, string? EveryHours = null, string? Cron = null);
