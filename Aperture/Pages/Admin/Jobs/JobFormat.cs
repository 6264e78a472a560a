using System.Globalization;
using Aperture.Jobs;
using Aperture.Data;

namespace Aperture.Pages.Admin.Jobs;

// How the jobs page writes times, durations and rates.
public static class JobFormat
{
    public static string When(DateTimeOffset? at) => at is { } t
        ? TimeZoneInfo.ConvertTime(t, JobScheduleService.TimeZone).ToString("ddd d MMM, HH:mm", CultureInfo.InvariantCulture)
        : "—";

    public static string Clock(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, JobScheduleService.TimeZone).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Duration(double? seconds) => seconds switch
    {
        null => "—",
        < 1 => "under a second",
        < 60 => $"{seconds:0} s",
        < 3600 => $"{Math.Floor(seconds.Value / 60):0} min {seconds % 60:0} s",
        _ => $"{Math.Floor(seconds.Value / 3600):0} h {Math.Floor(seconds.Value % 3600 / 60):0} min",
    };

    public static string Rate(double? perSecond) => perSecond switch
    {
        null => "",
        >= 10 => $"{perSecond:0}/s",
        >= 1 => $"{perSecond:0.0}/s",
        _ => $"{perSecond * 60:0.#}/min",
    };

    public static string Eta(double? seconds) => seconds switch
    {
        null => "",
        < 1 => "less than a second left",
        _ => $"about {Duration(seconds)} left",
    };

    public static string Outcome(JobRunStatus status) => status.ToString();

    public static string StateClass(JobRunStatus status) => status switch
    {
        JobRunStatus.Succeeded => "ok",
        JobRunStatus.Failed or JobRunStatus.Interrupted => "err",
        JobRunStatus.Cancelled => "warn",
        _ => "live",
    };

    // The card's status badge: the live state, else the last run's outcome.
    public static (string Label, string Class) Badge(JobState state, RunView? last) => state switch
    {
        JobState.Running => ("Running", "live"),
        JobState.Queued => ("Queued", "live"),
        JobState.Cancelling => ("Cancelling…", "warn"),
        _ when last is not null => (Outcome(last.Status), StateClass(last.Status)),
        _ => ("Never run", "idle"),
    };

    public static JobState State(RunView run) => run switch
    {
        { Finished: true } => JobState.Idle,
        { CancelRequested: true } => JobState.Cancelling,
        { Status: JobRunStatus.Queued } => JobState.Queued,
        _ => JobState.Running,
    };

    public static string Counts(IReadOnlyDictionary<string, long> counts) =>
        string.Join(", ", counts.Select(c => $"{c.Value.ToString("N0", CultureInfo.InvariantCulture)} {c.Key}"));
}
