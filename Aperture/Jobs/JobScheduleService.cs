using Microsoft.EntityFrameworkCore;
using Quartz;
using Aperture.Data;
using Aperture.Progress;

namespace Aperture.Jobs;

public enum ScheduleSource { Default, Environment, Saved }

public sealed record EffectiveSchedule(ScheduleSpec Spec, ScheduleSource Source, string? QuartzCron, DateTimeOffset? NextRun);

// Schedules: the job_schedules row is the source of truth; without one, the job's default applies
// (the environment variable its definition names, else a built-in default). The Quartz trigger is
// derived from the schedule at start and whenever it changes, and a manual job has no trigger at all.
public sealed class JobScheduleService(
    ISchedulerFactory schedulers,
    IServiceScopeFactory scopes,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<JobScheduleService> logger)
{
    // The original's variables: SYNC_CRON for sync jobs, RECS_CRON for recommendations, PERMS_CRON for outputs.
    public static readonly string[] CronSettings = ["SYNC_CRON", "RECS_CRON", "PERMS_CRON"];

    public static TimeZoneInfo TimeZone => TimeZoneInfo.Local;

    public static JobKey JobKey(string name) => new(name, "aperture");

    public static TriggerKey TriggerKey(string name) => new(name + ".schedule", "aperture");

    // A bad cron in the environment is an admin's mistake to fix before start, like a bad PORT.
    public void ValidateEnvironment()
    {
        foreach (var setting in CronSettings)
        {
            if (configuration[setting] is { Length: > 0 } value && UnixCron.ToQuartz(value, TimeZone, time.GetUtcNow()).Error is { } error)
            {
                throw new StartupException($"{setting} is not a usable cron expression: {error}");
            }
        }
    }

    public (ScheduleSpec Spec, ScheduleSource Source) Default(JobDefinition job)
    {
        if (job.DefaultCronSetting is { } setting && configuration[setting] is { Length: > 0 } cron)
        {
            return (new ScheduleSpec(ScheduleKind.Cron, Cron: cron.Trim()), ScheduleSource.Environment);
        }
        // Jobs:DefaultSchedules=manual leaves every job without a saved schedule or variable manual
        // (an install that only runs jobs by hand, and the test hosts, which must not sync at 16:00).
        var manualOnly = string.Equals(configuration["Jobs:DefaultSchedules"], "manual", StringComparison.OrdinalIgnoreCase);
        return (manualOnly ? ScheduleSpec.Manual : BuiltInDefault(job), ScheduleSource.Default);
    }

    // Catalogue sync nightly, watch history often (it is cheap as a delta), full history weekly,
    // then embeddings, recommendations and outputs after the nightly sync. Jobs that name no setting are manual.
    public static ScheduleSpec BuiltInDefault(JobDefinition job) => job.Name switch
    {
        JobNames.SyncMovies or JobNames.SyncSeries => new(ScheduleKind.Daily, new TimeOnly(3, 0)),
        JobNames.SyncWatchHistory or JobNames.SyncSeriesWatchHistory => new(ScheduleKind.EveryHours, EveryHours: 2),
        JobNames.FullSyncWatchHistory or JobNames.FullSyncSeriesWatchHistory => new(ScheduleKind.Weekly, new TimeOnly(4, 0), DayOfWeek.Sunday),
        // Between the nightly sync and the recommendations that read the vectors.
        JobNames.GenerateEmbeddings or JobNames.GenerateSeriesEmbeddings => new(ScheduleKind.Daily, new TimeOnly(3, 30)),
        // After the nightly sync and the outputs, so it counts the night's history.
        JobNames.RefreshTopPicks => new(ScheduleKind.Daily, new TimeOnly(6, 0)),
        // After the night's catalogue, embeddings and history: new titles join the channels.
        JobNames.RefreshChannels => new(ScheduleKind.Daily, new TimeOnly(6, 30)),
        _ => job.DefaultCronSetting switch
        {
            "SYNC_CRON" => new(ScheduleKind.Daily, new TimeOnly(3, 0)),
            "RECS_CRON" => new(ScheduleKind.Daily, new TimeOnly(4, 0)),
            "PERMS_CRON" => new(ScheduleKind.Daily, new TimeOnly(5, 0)),
            _ => ScheduleSpec.Manual,
        },
    };

    public async Task<EffectiveSchedule> GetAsync(JobDefinition job, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.AppDbContext>();
        var row = await db.JobSchedules.AsNoTracking().FirstOrDefaultAsync(s => s.JobName == job.Name, ct);
        var (spec, source) = row is null ? Default(job) : (ScheduleSpec.FromEntity(row), ScheduleSource.Saved);
        return await DescribeAsync(job, spec, source, ct);
    }

    public async Task<IReadOnlyDictionary<string, EffectiveSchedule>> GetAllAsync(IEnumerable<JobDefinition> jobs, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.AppDbContext>();
        var rows = await db.JobSchedules.AsNoTracking().ToDictionaryAsync(s => s.JobName, ct);
        var result = new Dictionary<string, EffectiveSchedule>();
        foreach (var job in jobs)
        {
            var (spec, source) = rows.TryGetValue(job.Name, out var row) ? (ScheduleSpec.FromEntity(row), ScheduleSource.Saved) : Default(job);
            result[job.Name] = await DescribeAsync(job, spec, source, ct);
        }
        return result;
    }

    // Validates the change against the current schedule; on error nothing is saved and nothing changes in Quartz.
    public async Task<(EffectiveSchedule? Schedule, IReadOnlyDictionary<string, string> Errors)> SaveAsync(JobDefinition job, ScheduleInput input, CancellationToken ct)
    {
        var current = await GetAsync(job, ct);
        var (spec, errors) = ScheduleSpec.Apply(input, current.Spec, TimeZone, time.GetUtcNow());
        if (spec is null)
        {
            return (null, errors);
        }

        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.AppDbContext>();
            var row = await db.JobSchedules.FirstOrDefaultAsync(s => s.JobName == job.Name, ct);
            if (row is null)
            {
                row = new JobSchedule { JobName = job.Name };
                db.JobSchedules.Add(row);
            }
            row.Kind = spec.Kind;
            row.TimeOfDay = spec.Time;
            row.DayOfWeek = spec.Day;
            row.EveryHours = spec.EveryHours;
            row.Cron = spec.Cron;
            row.UpdatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(ct);
        }
        await ApplyTriggerAsync(job, spec, ct);
        logger.LogInformation("Schedule of {Job} is now: {Schedule}", job.Name, spec.Describe());
        return (await GetAsync(job, ct), errors);
    }

    // At start: every job exists in Quartz (durable, so it survives without triggers) and its trigger
    // matches its schedule. Quartz jobs of ours that are no longer registered are removed.
    public async Task SynchronizeAsync(IReadOnlyList<JobDefinition> jobs, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var known = jobs.Select(j => j.Name).ToHashSet(StringComparer.Ordinal);
        var stored = await scheduler.QueryJobs(new JobQuery { Group = GroupMatcher<JobKey>.GroupEquals("aperture") }, ct);
        foreach (var header in stored.Items.Where(h => !known.Contains(h.Key.Name)))
        {
            await scheduler.DeleteJob(header.Key, ct);
            logger.LogInformation("Removed the schedule of {Job}, which is no longer a job", header.Key.Name);
        }

        foreach (var job in jobs)
        {
            var detail = JobBuilder.Create<JobRunner>()
                .WithIdentity(JobKey(job.Name))
                .WithDescription(job.DisplayName)
                .DisallowConcurrentExecution()
                .StoreDurably()
                .Build();
            await scheduler.AddJob(detail, new AddJobOptions { Replace = true }, ct);
            await ApplyTriggerAsync(job, (await GetAsync(job, ct)).Spec, ct);
        }
    }

    private async Task ApplyTriggerAsync(JobDefinition job, ScheduleSpec spec, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var key = TriggerKey(job.Name);
        var cron = spec.QuartzCron(TimeZone, time.GetUtcNow());
        var existing = await scheduler.GetTrigger(key, ct);
        if (cron is null)
        {
            if (existing is not null)
            {
                await scheduler.UnscheduleJob(key, ct);
            }
            return;
        }
        // Left alone when unchanged, so a start does not reset it (a run missed while Aperture was
        // down still fires once, by the misfire rule below).
        if (existing is ICronTrigger same && same.CronExpressionString == cron && same.TimeZone.Id == TimeZone.Id)
        {
            return;
        }
        var trigger = TriggerBuilder.Create()
            .WithIdentity(key)
            .ForJob(JobKey(job.Name))
            .WithDescription(spec.Describe())
            .WithSchedule(CronScheduleBuilder.Create(cron).InTimeZone(TimeZone)
                .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
        if (existing is null)
        {
            await scheduler.ScheduleJob(trigger, cancellationToken: ct);
        }
        else
        {
            await scheduler.RescheduleJob(key, trigger, ct);
        }
    }

    private async Task<EffectiveSchedule> DescribeAsync(JobDefinition job, ScheduleSpec spec, ScheduleSource source, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var trigger = await scheduler.GetTrigger(TriggerKey(job.Name), ct);
        return new EffectiveSchedule(spec, source, spec.QuartzCron(TimeZone, time.GetUtcNow()), trigger?.NextFireTimeUtc);
    }
}
