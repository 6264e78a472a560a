using Aperture.Data;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Jobs;

public enum JobState { Idle, Queued, Running, Cancelling }

public sealed record RunView(
    long Id,
    string JobName,
    JobRunStatus Status,
    string Trigger,
    string? RequestedBy,
    string? InstanceId,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? HeartbeatAt,
    double? DurationSeconds,
    string? Stage,
    long Current,
    long? Total,
    double? Percent,
    string? Message,
    double? RatePerSecond,
    double? EtaSeconds,
    IReadOnlyDictionary<string, long> Counts,
    bool CancelRequested,
    string? Error,
    bool Finished)
{
    public IReadOnlyList<LogLineView>? Logs { get; init; }
}

public sealed record LogLineView(DateTimeOffset At, string Level, string Text);

public sealed record ScheduleView(
    ScheduleKind Kind,
    string? Time,
    DayOfWeek? DayOfWeek,
    int? EveryHours,
    string? Cron,
    string Description,
    ScheduleSource Source,
    string? Setting,
    string? QuartzCron,
    DateTimeOffset? NextRun,
    string TimeZone);

public sealed record JobView(
    string Name,
    string DisplayName,
    string Description,
    MediaKind? Kind,
    JobState State,
    RunView? Current,
    RunView? LastRun,
    DateTimeOffset? NextRun,
    ScheduleView Schedule);

// What the API and the Admin › Jobs page show, read from the database (so any instance shows any run).
public sealed class JobQueries(JobRegistry registry, JobScheduleService schedules, IServiceScopeFactory scopes, TimeProvider time)
{
    public async Task<IReadOnlyList<JobView>> ListAsync(CancellationToken ct)
    {
        var all = await schedules.GetAllAsync(registry.All, ct);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var active = (await db.JobRuns.AsNoTracking().Where(r => JobRunService.Active.Contains(r.Status)).ToListAsync(ct))
            .GroupBy(r => r.JobName).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Id)!);
        // The latest finished run of each job: one query for the ids, one for the rows.
        var lastIds = await db.JobRuns.AsNoTracking()
            .Where(r => !JobRunService.Active.Contains(r.Status))
            .GroupBy(r => r.JobName)
            .Select(g => g.Max(r => r.Id))
            .ToListAsync(ct);
        var last = (await db.JobRuns.AsNoTracking().Where(r => lastIds.Contains(r.Id)).ToListAsync(ct)).ToDictionary(r => r.JobName);
        return registry.All.Select(job => View(job, active.GetValueOrDefault(job.Name), last.GetValueOrDefault(job.Name), all[job.Name])).ToList();
    }

    public async Task<JobView> GetAsync(JobDefinition job, CancellationToken ct)
    {
        var schedule = await schedules.GetAsync(job, ct);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var active = await db.JobRuns.AsNoTracking().Where(r => r.JobName == job.Name && JobRunService.Active.Contains(r.Status))
            .OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        var last = await db.JobRuns.AsNoTracking().Where(r => r.JobName == job.Name && !JobRunService.Active.Contains(r.Status))
            .OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        return View(job, active, last, schedule);
    }

    public async Task<IReadOnlyList<RunView>> HistoryAsync(JobDefinition job, int limit, bool withLogs, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var runs = await db.JobRuns.AsNoTracking().Where(r => r.JobName == job.Name)
            .OrderByDescending(r => r.Id).Take(limit).ToListAsync(ct);
        if (!withLogs)
        {
            return runs.Select(Run).ToList();
        }
        var ids = runs.Select(r => r.Id).ToList();
        var logs = (await db.JobRunLogs.AsNoTracking().Where(l => ids.Contains(l.RunId)).OrderBy(l => l.Id).ToListAsync(ct))
            .ToLookup(l => l.RunId);
        return runs.Select(r => Run(r) with { Logs = logs[r.Id].Select(l => new LogLineView(l.At, l.Level, l.Text)).ToList() }).ToList();
    }

    public async Task<RunView?> RunAsync(long runId, bool withLogs, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var run = await db.JobRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null || registry.Find(run.JobName) is null)
        {
            return null;
        }
        if (!withLogs)
        {
            return Run(run);
        }
        var logs = await db.JobRunLogs.AsNoTracking().Where(l => l.RunId == runId).OrderBy(l => l.Id)
            .Select(l => new LogLineView(l.At, l.Level, l.Text)).ToListAsync(ct);
        return Run(run) with { Logs = logs };
    }

    public RunView Run(JobRun r)
    {
        var finished = !JobRunService.Active.Contains(r.Status);
        double? duration = r.StartedAt is { } started ? ((finished ? r.FinishedAt ?? started : time.GetUtcNow()) - started).TotalSeconds : null;
        double? percent = r.Total is > 0 ? Math.Clamp(100.0 * r.Current / r.Total.Value, 0, 100) : null;
        double? eta = !finished && r.Total is { } total && r.RatePerSecond is > 0 ? Math.Max(0, (total - r.Current) / r.RatePerSecond.Value) : null;
        return new RunView(r.Id, r.JobName, r.Status, r.Trigger, r.RequestedBy, r.InstanceId, r.QueuedAt, r.StartedAt, r.FinishedAt,
            r.HeartbeatAt, duration, r.Stage, r.Current, r.Total, percent, r.Message, r.RatePerSecond, eta, r.Counts,
            r.CancelRequested, r.Error, finished);
    }

    private JobView View(JobDefinition job, JobRun? active, JobRun? last, EffectiveSchedule schedule)
    {
        var state = active switch
        {
            null => JobState.Idle,
            { CancelRequested: true } => JobState.Cancelling,
            { Status: JobRunStatus.Queued } => JobState.Queued,
            _ => JobState.Running,
        };
        var spec = schedule.Spec;
        var view = new ScheduleView(spec.Kind, spec.Time?.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), spec.Day,
            spec.EveryHours, spec.Cron, spec.Describe(), schedule.Source,
            schedule.Source == ScheduleSource.Environment ? job.DefaultCronSetting : null,
            schedule.QuartzCron, schedule.NextRun, JobScheduleService.TimeZone.Id);
        return new JobView(job.Name, job.DisplayName, job.Description, job.Kind, state,
            active is null ? null : Run(active), last is null ? null : Run(last), schedule.NextRun, view);
    }
}
