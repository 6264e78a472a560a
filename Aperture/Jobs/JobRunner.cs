using System.Globalization;
using Microsoft.Extensions.Options;
using Quartz;
using JobRunStatus = Aperture.Data.JobRunStatus;
using Aperture.Data;

namespace Aperture.Jobs;

// The one Quartz job: Quartz fires it under the job's own key (so [DisallowConcurrentExecution]
// means one run of each job at a time, cluster-wide), and it runs the registered IJob of that name
// with a progress writer, forwarding Quartz's token. The run's row records how it ended.
[DisallowConcurrentExecution]
public sealed class JobRunner(
    JobRegistry registry,
    JobRunService runs,
    IServiceProvider services,
    IServiceScopeFactory scopes,
    IOptions<JobOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<JobRunner> logger) : Quartz.IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var job = registry.Find(context.JobDetail.Key.Name);
        if (job is null)
        {
            logger.LogWarning("Quartz fired {Job}, which is not a registered job", context.JobDetail.Key.Name);
            return;
        }
        long? queued = context.MergedJobDataMap.TryGetValue(JobRunService.DataKey, out var value)
            && long.TryParse(value?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
        if (await runs.ClaimAsync(job, queued, context.Scheduler.SchedulerInstanceId, cancellationToken) is not { } runId)
        {
            return;
        }

        // Quartz interrupts the jobs running when shutdown begins; one that fires just after would
        // otherwise run on while the host waits for it, so stopping the app cancels it too.
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        await using var progress = new JobProgressWriter(runId, job, scopes, options.Value, time, cancellation, logger);
        progress.Start();
        logger.LogInformation("{Job} run {RunId} started", job.Name, runId);

        JobRunStatus outcome;
        string? error = null;
        try
        {
            await WaitForLockedJobsAsync(job, runId, progress, cancellation.Token);
            var work = (IJob)services.GetRequiredService(job.Implementation);
            await work.RunAsync(new JobContext(runId, job, progress), cancellation.Token);
            outcome = JobRunStatus.Succeeded;
        }
        catch (Exception e) when (cancellation.IsCancellationRequested)
        {
            // Stopped because it was asked to: by an admin (Cancelled) or by the app shutting down.
            var byAdmin = progress.CancelRequested || await runs.IsCancelRequestedAsync(runId, CancellationToken.None);
            outcome = byAdmin || !lifetime.ApplicationStopping.IsCancellationRequested ? JobRunStatus.Cancelled : JobRunStatus.Interrupted;
            if (outcome == JobRunStatus.Interrupted)
            {
                error = "Interrupted: Aperture stopped before this run finished.";
            }
            if (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "{Job} run {RunId} ended with an error while stopping", job.Name, runId);
            }
        }
        catch (Exception e)
        {
            outcome = JobRunStatus.Failed;
            error = Describe(e);
            logger.LogError(e, "{Job} run {RunId} failed", job.Name, runId);
        }

        await progress.FinishAsync(outcome, error);
        logger.LogInformation("{Job} run {RunId} ended: {Outcome}", job.Name, runId, outcome);
    }

    // Runs of jobs sharing a lock go one at a time, in the order they started (run ids only grow, so two
    // runs never wait for each other); a cancel while waiting ends the run as Cancelled.
    private async Task WaitForLockedJobsAsync(JobDefinition job, long runId, JobProgressWriter progress, CancellationToken ct)
    {
        if (job.Locks.Count == 0)
        {
            return;
        }
        var others = registry.All.Where(d => d.Name != job.Name && d.Locks.Intersect(job.Locks).Any()).Select(d => d.Name).ToList();
        string? waitingFor = null;
        while (others.Count > 0 && await runs.EarlierRunningAsync(runId, others, ct) is { } running)
        {
            if (running != waitingFor)
            {
                waitingFor = running;
                progress.Stage($"Waiting for {running} to finish");
                progress.Log($"Waiting for {running} to finish: both change the same data.");
            }
            await Task.Delay(TimeSpan.FromSeconds(1), time, ct);
        }
    }

    // What the admin reads: the exception's message (the stack trace goes to the app log).
    public static string Describe(Exception e)
    {
        while (e is AggregateException or System.Reflection.TargetInvocationException && e.InnerException is not null)
        {
            e = e.InnerException!;
        }
        var text = e is Microsoft.EntityFrameworkCore.DbUpdateException { InnerException: { } inner } ? $"{e.Message} {inner.Message}" : e.Message;
        return text.Length <= 1000 ? text : text[..1000] + "…";
    }
}
