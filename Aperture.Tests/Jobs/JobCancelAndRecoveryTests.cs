using System.Net;
using System.Net.Http.Json;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Aperture.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Quartz;
using JobRunStatus = Aperture.Data.JobRunStatus;

namespace Aperture.Tests.Jobs;

public sealed class JobCancelAndRecoveryTests
{
    [Fact]
    public async Task Cancel_mid_run_stops_the_job_and_only_then_marks_the_run_cancelled()
    {
        await using var host = await JobTestHost.StartAsync();
        var probe = host.App.Probe();
        var runId = await host.RunNowAsync(BatchedJob.Name);
        await host.WaitForRunAsync(runId, r => r.Current >= 3);

        var cancel = await host.Admin.PostAsJsonAsync($"/api/jobs/{BatchedJob.Name}/cancel", new { });
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);

        var run = await host.WaitForEndAsync(runId);
        Assert.Equal(JobRunStatus.Cancelled, run.Status);
        // The job had really stopped when the run was marked, and stopped well before its end.
        Assert.True(probe.Exited.Task.IsCompleted);
        Assert.InRange(probe.StepsDone, 3, BatchedJob.Batches - 1);
        Assert.Equal(probe.StepsDone, run.Current);
        Assert.True(run.CancelRequested);
        Assert.Null(run.Error);
        var job = await host.JobAsync(BatchedJob.Name);
        Assert.Equal("idle", job.GetProperty("state").GetString());
        Assert.Equal("cancelled", job.GetProperty("lastRun").GetProperty("status").GetString());

        // Nothing is running any more, so there is nothing to cancel.
        var again = await host.Admin.PostAsJsonAsync($"/api/jobs/{BatchedJob.Name}/cancel", new { });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_cancel_flag_set_in_the_database_by_another_instance_stops_the_run_here()
    {
        await using var host = await JobTestHost.StartAsync();
        var probe = host.App.Probe();
        var runId = await host.RunNowAsync(GatedJob.Name);
        await probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // What CancelAsync on another instance writes; no local Quartz interrupt happens here.
        await host.App.WithDbAsync(db => db.JobRuns.Where(r => r.Id == runId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CancelRequested, true)));
        var cancelling = await host.JobAsync(GatedJob.Name);
        Assert.Equal("cancelling", cancelling.GetProperty("state").GetString());

        var run = await host.WaitForEndAsync(runId);
        Assert.Equal(JobRunStatus.Cancelled, run.Status);
        Assert.True(probe.Exited.Task.IsCompleted);
        Assert.Equal(0, probe.StepsDone);
    }

    [Fact]
    public async Task Runs_left_running_by_a_crash_are_marked_interrupted_at_the_next_start()
    {
        await using var host = await JobTestHost.StartAsync();
        var longAgo = DateTimeOffset.UtcNow.AddMinutes(-30);
        var (crashed, queued, live) = await host.App.WithDbAsync(async db =>
        {
            var crashedRun = new JobRun { JobName = GatedJob.Name, Status = JobRunStatus.Running, Trigger = "schedule", InstanceId = "crashed-host",
                QueuedAt = longAgo, StartedAt = longAgo, HeartbeatAt = longAgo, Current = 7 };
            var queuedRun = new JobRun { JobName = FailingJob.Name, Status = JobRunStatus.Queued, Trigger = "manual", InstanceId = "crashed-host", QueuedAt = longAgo };
            // Another instance's run, alive a moment ago.
            var liveRun = new JobRun { JobName = SlowJob.Name, Status = JobRunStatus.Running, Trigger = "schedule", InstanceId = "other-node",
                QueuedAt = DateTimeOffset.UtcNow, StartedAt = DateTimeOffset.UtcNow, HeartbeatAt = DateTimeOffset.UtcNow.AddMinutes(5) };
            db.JobRuns.AddRange(crashedRun, queuedRun, liveRun);
            await db.SaveChangesAsync();
            return (crashedRun.Id, queuedRun.Id, liveRun.Id);
        });

        await host.RestartAsync();

        var run = await host.RunRowAsync(crashed);
        Assert.Equal(JobRunStatus.Interrupted, run.Status);
        Assert.NotNull(run.FinishedAt);
        Assert.Contains("Interrupted", run.Error, StringComparison.Ordinal);
        Assert.Equal(7, run.Current);
        Assert.Equal(JobRunStatus.Interrupted, (await host.RunRowAsync(queued)).Status);
        // SQLite is a single process: whatever was running died with it. A clustered PostgreSQL
        // leaves a run alone while its instance keeps sending heartbeats.
        Assert.Equal(TestDatabase.IsPostgres ? JobRunStatus.Running : JobRunStatus.Interrupted, (await host.RunRowAsync(live)).Status);

        // Nothing stale blocks the job: it runs again.
        var again = await host.RunNowAsync(GatedJob.Name);
        host.App.Probe().Release(GatedJob.Name, GatedJob.Steps);
        Assert.Equal(JobRunStatus.Succeeded, (await host.WaitForEndAsync(again)).Status);
    }

    [Fact]
    public async Task A_restarted_instance_interrupts_its_own_runs_at_once_while_another_instances_fresh_run_waits_for_its_heartbeat()
    {
        await using var host = await JobTestHost.StartAsync();
        var before = await InstanceIdAsync(host.App);
        var fresh = DateTimeOffset.UtcNow.AddMinutes(5);
        var (own, other) = await host.App.WithDbAsync(async db =>
        {
            // As a kill -9 leaves them: heartbeats a moment old, far inside the stale window.
            var ownRun = new JobRun { JobName = GatedJob.Name, Status = JobRunStatus.Running, Trigger = "manual", InstanceId = before,
                QueuedAt = DateTimeOffset.UtcNow, StartedAt = DateTimeOffset.UtcNow, HeartbeatAt = fresh, Current = 3 };
            var otherRun = new JobRun { JobName = SlowJob.Name, Status = JobRunStatus.Running, Trigger = "schedule", InstanceId = before + "-elsewhere",
                QueuedAt = DateTimeOffset.UtcNow, StartedAt = DateTimeOffset.UtcNow, HeartbeatAt = fresh };
            db.JobRuns.AddRange(ownRun, otherRun);
            await db.SaveChangesAsync();
            return (ownRun.Id, otherRun.Id);
        });

        await host.RestartAsync();

        Assert.Equal(before, await InstanceIdAsync(host.App));
        var run = await host.RunRowAsync(own);
        Assert.Equal(JobRunStatus.Interrupted, run.Status);
        Assert.Equal(3, run.Current);
        Assert.Equal(TestDatabase.IsPostgres ? JobRunStatus.Running : JobRunStatus.Interrupted, (await host.RunRowAsync(other)).Status);
        var again = await host.RunNowAsync(GatedJob.Name);
        host.App.Probe().Release(GatedJob.Name, GatedJob.Steps);
        Assert.Equal(JobRunStatus.Succeeded, (await host.WaitForEndAsync(again)).Status);
    }

    [Fact]
    public void The_instance_id_is_kept_per_data_folder_and_a_second_process_on_a_held_folder_gets_its_own()
    {
        var folder = Directory.CreateTempSubdirectory("aperture-id-").FullName;
        var another = Directory.CreateTempSubdirectory("aperture-id-").FullName;
        try
        {
            var options = Options.Create(new JobOptions());
            string first;
            using (var identity = new InstanceIdentity(new AppPaths(folder), options, NullLogger<InstanceIdentity>.Instance))
            {
                first = identity.Id;
                Assert.True(identity.Stable);
                // The same folder while the first holds it (two containers with one host name on one shared volume): not the same id.
                using var twin = new InstanceIdentity(new AppPaths(folder), options, NullLogger<InstanceIdentity>.Instance);
                Assert.False(twin.Stable);
                Assert.NotEqual(first, twin.Id);
            }
            using (var restarted = new InstanceIdentity(new AppPaths(folder), options, NullLogger<InstanceIdentity>.Instance))
            {
                Assert.Equal(first, restarted.Id);
            }
            // The same path on another volume (another folder here) is another instance.
            using (var elsewhere = new InstanceIdentity(new AppPaths(another), options, NullLogger<InstanceIdentity>.Instance))
            {
                Assert.NotEqual(first, elsewhere.Id);
            }
            // A configured id wins and is used as given.
            using var configured = new InstanceIdentity(new AppPaths(folder), Options.Create(new JobOptions { InstanceId = "pod-0" }), NullLogger<InstanceIdentity>.Instance);
            Assert.Equal("pod-0", configured.Id);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            Directory.Delete(another, recursive: true);
        }
    }

    private static async Task<string> InstanceIdAsync(AppFactory app) =>
        (await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler()).SchedulerInstanceId;

    [Fact]
    public async Task A_run_in_progress_when_the_app_stops_is_interrupted_after_the_restart_and_the_job_runs_again()
    {
        await using var host = await JobTestHost.StartAsync();
        var probe = host.App.Probe();
        var runId = await host.RunNowAsync(GatedJob.Name);
        await probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(20));
        probe.Release(GatedJob.Name);
        await host.WaitForRunAsync(runId, r => r.Current == 1);

        await host.RestartAsync();

        var run = await host.RunRowAsync(runId);
        Assert.Equal(JobRunStatus.Interrupted, run.Status);
        Assert.True(probe.Exited.Task.IsCompleted);
        Assert.Equal(1, run.Current);
        var job = await host.JobAsync(GatedJob.Name);
        Assert.Equal("idle", job.GetProperty("state").GetString());
        Assert.Equal("interrupted", job.GetProperty("lastRun").GetProperty("status").GetString());

        var again = await host.RunNowAsync(GatedJob.Name);
        host.App.Probe().Release(GatedJob.Name, GatedJob.Steps);
        Assert.Equal(JobRunStatus.Succeeded, (await host.WaitForEndAsync(again)).Status);
        Assert.Equal(1, await host.App.WithDbAsync(db => db.JobRuns.CountAsync(r => r.JobName == GatedJob.Name && r.Status == JobRunStatus.Succeeded)));
    }
}
