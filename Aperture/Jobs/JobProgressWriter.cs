using Aperture.Data;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;

namespace Aperture.Jobs;

// What a running job reports, kept in memory and written to its job_runs row from a background loop:
// at most every ProgressInterval (at once on a stage change), a heartbeat when nothing changes, and
// a final write with the outcome. The same loop reads the row's cancel flag, so a cancel requested
// on any instance stops the job here. The job's calls never wait for the database.
public sealed class JobProgressWriter : IJobProgress, IAsyncDisposable
{
    private const int MaxTextLength = 2000;

    private readonly long runId;
    private readonly JobDefinition job;
    private readonly JobOptions options;
    private readonly TimeProvider time;
    private readonly CancellationTokenSource jobCancellation;
    private readonly ILogger logger;
    private readonly AsyncServiceScope scope;
    private readonly AppDbContext db;
    private readonly CancellationTokenSource stop = new();
    private readonly SemaphoreSlim wake = new(0, 1);
    private readonly Lock gate = new();
    private Task? loop;

    private string? stage;
    private long current;
    private long? total;
    private string? message;
    private readonly Dictionary<string, long> counts = new(StringComparer.Ordinal);
    private DateTimeOffset stageStartedAt;
    private bool dirty;
    private bool urgent;
    private List<JobRunLog> pendingLogs = [];
    private int logsKept;
    private int logsDropped;
    private DateTimeOffset lastWrite;
    private DateTimeOffset lastCancelCheck;

    public JobProgressWriter(long runId, JobDefinition job, IServiceScopeFactory scopes, JobOptions options, TimeProvider time,
        CancellationTokenSource jobCancellation, ILogger logger)
    {
        this.runId = runId;
        this.job = job;
        this.options = options;
        this.time = time;
        this.jobCancellation = jobCancellation;
        this.logger = logger;
        scope = scopes.CreateAsyncScope();
        db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        stageStartedAt = lastWrite = lastCancelCheck = time.GetUtcNow();
    }

    // True once this run's row asked for cancellation (from this or another instance).
    public bool CancelRequested { get; private set; }

    public void Start() => loop = Task.Run(() => LoopAsync(stop.Token));

    public void Stage(string name, long? total = null)
    {
        lock (gate)
        {
            stage = name;
            this.total = total;
            current = 0;
            message = null;
            stageStartedAt = time.GetUtcNow();
            dirty = urgent = true;
        }
        Wake();
    }

    public void SetTotal(long? total)
    {
        lock (gate)
        {
            this.total = total;
            dirty = true;
        }
    }

    public void Advance(long by = 1, string? message = null)
    {
        lock (gate)
        {
            current += by;
            if (message is not null)
            {
                this.message = Truncate(message);
            }
            dirty = true;
        }
    }

    public void Count(string name, long by = 1)
    {
        lock (gate)
        {
            counts[name] = counts.GetValueOrDefault(name) + by;
            dirty = true;
        }
    }

    public void Log(string text, JobLogLevel level = JobLogLevel.Info)
    {
        lock (gate)
        {
            if (logsKept < options.MaxLogLines)
            {
                pendingLogs.Add(new JobRunLog { RunId = runId, At = time.GetUtcNow(), Level = level.ToString(), Text = Truncate(text) });
                logsKept++;
            }
            else
            {
                logsDropped++;
            }
            dirty = true;
        }
        var logLevel = level switch
        {
            JobLogLevel.Error => LogLevel.Error,
            JobLogLevel.Warning => LogLevel.Warning,
            _ => LogLevel.Debug,
        };
        logger.Log(logLevel, "{Job} run {RunId}: {Text}", job.Name, runId, text);
    }

    // Ends the run with its outcome; the final write is retried, since a run left "Running" is a lie.
    public async Task FinishAsync(JobRunStatus status, string? error)
    {
        await StopLoopAsync();
        lock (gate)
        {
            if (logsDropped > 0)
            {
                pendingLogs.Add(new JobRunLog
                {
                    RunId = runId,
                    At = time.GetUtcNow(),
                    Level = JobLogLevel.Warning.ToString(),
                    Text = $"{logsDropped} more log lines were not kept (at most {options.MaxLogLines} per run).",
                });
                logsDropped = 0;
            }
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await WriteAsync(status, error, CancellationToken.None);
                return;
            }
            catch (Exception e) when (attempt < 5)
            {
                logger.LogWarning(e, "Could not record the end of {Job} run {RunId}; retrying", job.Name, runId);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), CancellationToken.None);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopLoopAsync();
        await scope.DisposeAsync();
        stop.Dispose();
        wake.Dispose();
    }

    private async Task StopLoopAsync()
    {
        if (loop is null)
        {
            return;
        }
        await stop.CancelAsync();
        await loop;
        loop = null;
    }

    private void Wake()
    {
        try
        {
            wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        var tick = options.ProgressInterval / 2;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await wake.WaitAsync(tick, ct);
                var now = time.GetUtcNow();
                bool due;
                lock (gate)
                {
                    due = urgent || (dirty && now - lastWrite >= options.ProgressInterval) || now - lastWrite >= options.HeartbeatInterval;
                }
                if (due)
                {
                    await WriteAsync(null, null, ct);
                }
                if (!CancelRequested && now - lastCancelCheck >= options.CancelPollInterval)
                {
                    lastCancelCheck = now;
                    if (await db.JobRuns.Where(r => r.Id == runId).Select(r => r.CancelRequested).FirstOrDefaultAsync(ct))
                    {
                        CancelRequested = true;
                        logger.LogInformation("{Job} run {RunId}: cancel requested, stopping the job", job.Name, runId);
                        await jobCancellation.CancelAsync();
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be busy (SQLite has one writer); the next tick tries again.
                logger.LogWarning(e, "Could not record the progress of {Job} run {RunId}", job.Name, runId);
            }
        }
    }

    private async Task WriteAsync(JobRunStatus? finalStatus, string? error, CancellationToken ct)
    {
        string? stageNow, messageNow;
        long currentNow;
        long? totalNow;
        Dictionary<string, long> countsNow;
        List<JobRunLog> logs;
        double? rate;
        var now = time.GetUtcNow();
        lock (gate)
        {
            (stageNow, currentNow, totalNow, messageNow) = (stage, current, total, message);
            countsNow = new Dictionary<string, long>(counts);
            logs = pendingLogs;
            pendingLogs = [];
            var elapsed = (now - stageStartedAt).TotalSeconds;
            rate = elapsed >= 1 && currentNow > 0 ? currentNow / elapsed : null;
            dirty = urgent = false;
        }

        try
        {
            if (logs.Count > 0)
            {
                db.JobRunLogs.AddRange(logs);
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
            }
            await db.JobRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(s =>
            {
                s.SetProperty(r => r.Stage, stageNow)
                    .SetProperty(r => r.Current, currentNow)
                    .SetProperty(r => r.Total, totalNow)
                    .SetProperty(r => r.Message, messageNow)
                    .SetProperty(r => r.RatePerSecond, rate)
                    .SetProperty(r => r.Counts, countsNow)
                    .SetProperty(r => r.HeartbeatAt, now);
                if (finalStatus is { } status)
                {
                    s.SetProperty(r => r.Status, status)
                        .SetProperty(r => r.FinishedAt, now)
                        .SetProperty(r => r.Error, error);
                }
            }, ct);
            lastWrite = now;
        }
        catch
        {
            // Keep what was not written for the next attempt.
            db.ChangeTracker.Clear();
            lock (gate)
            {
                pendingLogs.InsertRange(0, logs.Where(l => l.Id == 0));
                dirty = true;
            }
            throw;
        }
    }

    private static string Truncate(string text) => text.Length <= MaxTextLength ? text : text[..MaxTextLength] + "…";
}
