using System.Globalization;
using Aperture.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;
using JobRunStatus = Aperture.Data.JobRunStatus;

namespace Aperture.Jobs;

public enum RunNowOutcome { Started, AlreadyRunning }

public sealed record RunNowResult(RunNowOutcome Outcome, long RunId);

public enum CancelOutcome { CancelRequested, CancelledBeforeStart, NotRunning }

public sealed record CancelResult(CancelOutcome Outcome, long? RunId);

// The life of a job_runs row: queued by "run now", claimed by the Quartz job when it fires,
// cancelled on request, and marked Interrupted when the process that ran it is gone. The row is
// the only shared state, so every instance of a cluster sees and controls every run.
public sealed class JobRunService(
    ISchedulerFactory schedulers,
    IServiceScopeFactory scopes,
    DatabaseTarget database,
    TimeProvider time,
    IOptions<JobOptions> options,
    ILogger<JobRunService> logger)
{
    public const string DataKey = "runId";

    public static readonly JobRunStatus[] Active = [JobRunStatus.Queued, JobRunStatus.Running];

    // Queues one run and asks Quartz to fire it on whichever instance is free. A second request while
    // one is queued or running is refused, not queued: a unique index on job_runs allows only one
    // active run per job, so two simultaneous clicks cannot both get through.
    public async Task<RunNowResult> RunNowAsync(JobDefinition job, string? requestedBy, CancellationToken ct)
    {
        await SweepStaleAsync(job.Name, ct);
        var scheduler = await schedulers.GetScheduler(ct);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (await ActiveRunIdAsync(db, job.Name, ct) is { } active)
        {
            return new RunNowResult(RunNowOutcome.AlreadyRunning, active);
        }

        var run = new JobRun
        {
            JobName = job.Name,
            Status = JobRunStatus.Queued,
            Trigger = "manual",
            RequestedBy = requestedBy,
            InstanceId = scheduler.SchedulerInstanceId,
            QueuedAt = time.GetUtcNow(),
        };
        db.JobRuns.Add(run);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            return new RunNowResult(RunNowOutcome.AlreadyRunning, await ActiveRunIdAsync(db, job.Name, CancellationToken.None) ?? 0);
        }

        // From here on the row exists, so a client that hangs up must not leave it queued for ever.
        try
        {
            await scheduler.TriggerJob(JobScheduleService.JobKey(job.Name),
                new JobDataMap { [DataKey] = run.Id.ToString(CultureInfo.InvariantCulture) }, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not queue {Job}", job.Name);
            await EndAsync(db.JobRuns.Where(r => r.Id == run.Id), JobRunStatus.Failed, $"Could not queue the job: {e.Message}", CancellationToken.None);
            throw;
        }
        logger.LogInformation("{Job} queued as run {RunId} by {User}", job.Name, run.Id, requestedBy);
        return new RunNowResult(RunNowOutcome.Started, run.Id);
    }

    // Cooperative: the flag on the row is seen by the instance running the job (it polls it and
    // cancels the job's token); a local Quartz interrupt is the fast path when that is this instance.
    // The run becomes Cancelled only once the job has actually stopped.
    public async Task<CancelResult> CancelAsync(JobDefinition job, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var active = await db.JobRuns.AsNoTracking()
            .Where(r => r.JobName == job.Name && Active.Contains(r.Status))
            .OrderByDescending(r => r.Id)
            .Select(r => new { r.Id, r.Status })
            .FirstOrDefaultAsync(ct);
        if (active is null)
        {
            return new CancelResult(CancelOutcome.NotRunning, null);
        }

        var now = time.GetUtcNow();
        if (active.Status == JobRunStatus.Queued)
        {
            // Not started anywhere yet: it never will (the runner claims only Queued rows).
            var cancelled = await db.JobRuns.Where(r => r.Id == active.Id && r.Status == JobRunStatus.Queued)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, JobRunStatus.Cancelled)
                    .SetProperty(r => r.CancelRequested, true)
                    .SetProperty(r => r.FinishedAt, now)
                    .SetProperty(r => r.Message, "Cancelled before it started."), ct);
            if (cancelled == 1)
            {
                return new CancelResult(CancelOutcome.CancelledBeforeStart, active.Id);
            }
        }

        await db.JobRuns.Where(r => r.Id == active.Id && Active.Contains(r.Status))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CancelRequested, true), ct);
        var scheduler = await schedulers.GetScheduler(ct);
        await scheduler.Interrupt(JobScheduleService.JobKey(job.Name), CancellationToken.None);
        logger.LogInformation("Cancel requested for {Job} run {RunId}", job.Name, active.Id);
        return new CancelResult(CancelOutcome.CancelRequested, active.Id);
    }

    // Called by the Quartz job when it fires: turns the queued row it was given (run now) into a
    // running one, or opens a new row for a scheduled firing. Null means "do not run".
    public async Task<long?> ClaimAsync(JobDefinition job, long? queuedRunId, string instanceId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (queuedRunId is { } id)
        {
            if (await StartQueuedAsync(db, id, instanceId, ct))
            {
                return id;
            }
            logger.LogInformation("{Job} run {RunId} was cancelled or taken before it started; not running it", job.Name, id);
            return null;
        }

        await SweepStaleAsync(job.Name, ct);
        // A "run now" still waiting behind this firing is served by it.
        var waiting = await db.JobRuns.AsNoTracking()
            .Where(r => r.JobName == job.Name && r.Status == JobRunStatus.Queued)
            .Select(r => (long?)r.Id).FirstOrDefaultAsync(ct);
        if (waiting is { } queued && await StartQueuedAsync(db, queued, instanceId, ct))
        {
            return queued;
        }

        var now = time.GetUtcNow();
        var run = new JobRun
        {
            JobName = job.Name,
            Status = JobRunStatus.Running,
            Trigger = "schedule",
            InstanceId = instanceId,
            QueuedAt = now,
            StartedAt = now,
            HeartbeatAt = now,
        };
        db.JobRuns.Add(run);
        try
        {
            await db.SaveChangesAsync(ct);
            return run.Id;
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e))
        {
            logger.LogWarning("{Job} was due by its schedule but a run is already active; this firing is skipped", job.Name);
            return null;
        }
    }

    // The oldest run still going, started before this one, of a job among `names` (one sharing a lock).
    public async Task<string?> EarlierRunningAsync(long runId, IReadOnlyCollection<string> names, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.AppDbContext>();
        return await db.JobRuns.AsNoTracking()
            .Where(r => r.Id < runId && r.Status == JobRunStatus.Running && names.Contains(r.JobName))
            .OrderBy(r => r.Id).Select(r => r.JobName).FirstOrDefaultAsync(ct);
    }

    public async Task<bool> IsCancelRequestedAsync(long runId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.JobRuns.Where(r => r.Id == runId).Select(r => r.CancelRequested).FirstOrDefaultAsync(ct);
    }

    // At start. SQLite is one process, so whatever it left queued or running died with it. On a
    // clustered PostgreSQL other instances may be running jobs right now: only this instance's own
    // rows (its id is stable across restarts, InstanceIdentity: they died with its previous start, however fresh their
    // heartbeat) and rows whose heartbeat stopped are interrupted.
    public async Task<int> RecoverAsync(string instanceId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow();
        var query = db.JobRuns.Where(r => Active.Contains(r.Status));
        if (database.Provider == DatabaseProvider.Postgres)
        {
            var stale = now - options.Value.StaleAfter;
            query = query.Where(r => r.InstanceId == instanceId
                || (r.HeartbeatAt != null ? r.HeartbeatAt < stale : r.QueuedAt < stale));
        }
        var count = await EndAsync(query, JobRunStatus.Interrupted, "Interrupted: Aperture stopped (restart or crash) before this run finished.", ct);
        if (count > 0)
        {
            logger.LogWarning("Marked {Count} job runs left unfinished by a previous start as interrupted", count);
        }
        return count;
    }

    // Clustered PostgreSQL only: a run whose instance stopped sending heartbeats is not running any more.
    // (On SQLite a long write by another job can hold heartbeats back, and there is no other instance.)
    public async Task<int> SweepStaleAsync(string? jobName, CancellationToken ct)
    {
        if (database.Provider != DatabaseProvider.Postgres)
        {
            return 0;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow();
        var stale = now - options.Value.StaleAfter;
        var query = db.JobRuns.Where(r => Active.Contains(r.Status) && (r.HeartbeatAt != null ? r.HeartbeatAt < stale : r.QueuedAt < stale));
        if (jobName is not null)
        {
            query = query.Where(r => r.JobName == jobName);
        }
        var count = await EndAsync(query, JobRunStatus.Interrupted, "Interrupted: the instance running it stopped sending heartbeats.", ct);
        if (count > 0)
        {
            logger.LogWarning("Marked {Count} job runs of stopped instances as interrupted", count);
        }
        return count;
    }

    private async Task<bool> StartQueuedAsync(AppDbContext db, long id, string instanceId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return await db.JobRuns.Where(r => r.Id == id && r.Status == JobRunStatus.Queued)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, JobRunStatus.Running)
                .SetProperty(r => r.StartedAt, now)
                .SetProperty(r => r.HeartbeatAt, now)
                .SetProperty(r => r.InstanceId, instanceId), ct) == 1;
    }

    private Task<int> EndAsync(IQueryable<JobRun> runs, JobRunStatus status, string? error, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return runs.ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, status)
            .SetProperty(r => r.FinishedAt, now)
            .SetProperty(r => r.Error, error), ct);
    }

    private static Task<long?> ActiveRunIdAsync(AppDbContext db, string jobName, CancellationToken ct) =>
        db.JobRuns.AsNoTracking()
            .Where(r => r.JobName == jobName && Active.Contains(r.Status))
            .OrderByDescending(r => r.Id)
            .Select(r => (long?)r.Id)
            .FirstOrDefaultAsync(ct);

    private static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode == 2067,
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
