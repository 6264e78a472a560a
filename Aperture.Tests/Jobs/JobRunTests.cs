using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Jobs;
using Microsoft.EntityFrameworkCore;
using Aperture.Data;

namespace Aperture.Tests.Jobs;

public sealed class JobRunTests
{
    [Fact]
    public async Task Run_now_runs_the_job_and_its_progress_shows_in_the_job_list_and_the_run_history()
    {
        await using var host = await JobTestHost.StartAsync();
        var probe = host.App.Probe();

        var runId = await host.RunNowAsync(GatedJob.Name);
        await probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(20));
        host.App.Probe().Release(GatedJob.Name, 2);
        await host.WaitForRunAsync(runId, r => r.Current == 2);

        var job = await host.JobAsync(GatedJob.Name);
        Assert.Equal("running", job.GetProperty("state").GetString());
        var current = job.GetProperty("current");
        Assert.Equal(runId, current.GetProperty("id").GetInt64());
        Assert.Equal(2, current.GetProperty("current").GetInt64());
        Assert.Equal(GatedJob.Steps, current.GetProperty("total").GetInt64());
        Assert.Equal(50, current.GetProperty("percent").GetDouble());
        Assert.Equal("Stepping", current.GetProperty("stage").GetString());
        Assert.Equal("Step 2 of 4", current.GetProperty("message").GetString());

        probe.Release(GatedJob.Name, GatedJob.Steps - 2);
        var done = await host.WaitForEndAsync(runId);
        Assert.Equal(JobRunStatus.Succeeded, done.Status);
        Assert.Equal(GatedJob.Steps, done.Counts["steps"]);
        Assert.NotNull(done.FinishedAt);

        job = await host.JobAsync(GatedJob.Name);
        Assert.Equal("idle", job.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("current").ValueKind);
        Assert.Equal("succeeded", job.GetProperty("lastRun").GetProperty("status").GetString());

        var history = await host.GetJsonAsync($"/api/jobs/{GatedJob.Name}/history");
        var run = Assert.Single(history.EnumerateArray());
        Assert.Equal("manual", run.GetProperty("trigger").GetString());
        Assert.Equal("Admin", run.GetProperty("requestedBy").GetString());
        Assert.True(run.GetProperty("durationSeconds").GetDouble() >= 0);
        Assert.Equal(GatedJob.Steps, run.GetProperty("counts").GetProperty("steps").GetInt64());
        Assert.Equal(["Starting the steps", "All steps done"],
            run.GetProperty("logs").EnumerateArray().Select(l => l.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task A_job_sharing_a_lock_with_a_running_job_waits_for_it_then_runs_and_can_be_cancelled_while_waiting()
    {
        await using var host = await JobTestHost.StartAsync();
        var probe = host.App.Probe();
        var gated = await host.RunNowAsync(GatedJob.Name);
        await probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var locked = await host.RunNowAsync(LockedJob.Name);
        var waiting = await host.WaitForRunAsync(locked, r => r.Stage?.StartsWith("Waiting for", StringComparison.Ordinal) == true);
        Assert.Equal($"Waiting for {GatedJob.Name} to finish", waiting.Stage);
        Assert.Equal(JobRunStatus.Running, waiting.Status);
        Assert.False(probe.LockedStarted.Task.IsCompleted);

        // A cancel while waiting ends that run; the next one waits again and runs once the lock is free.
        Assert.Equal(HttpStatusCode.Accepted, (await host.Admin.PostAsJsonAsync($"/api/jobs/{LockedJob.Name}/cancel", new { })).StatusCode);
        Assert.Equal(JobRunStatus.Cancelled, (await host.WaitForEndAsync(locked)).Status);
        Assert.False(probe.LockedStarted.Task.IsCompleted);
        var second = await host.RunNowAsync(LockedJob.Name);
        await host.WaitForRunAsync(second, r => r.Stage?.StartsWith("Waiting for", StringComparison.Ordinal) == true);

        probe.Release(GatedJob.Name, GatedJob.Steps);
        Assert.Equal(JobRunStatus.Succeeded, (await host.WaitForEndAsync(gated)).Status);
        Assert.Equal(JobRunStatus.Succeeded, (await host.WaitForEndAsync(second)).Status);
        Assert.True(probe.LockedStarted.Task.IsCompleted);
    }

    [Fact]
    public async Task Run_now_of_a_running_job_is_a_409_and_queues_no_second_run()
    {
        await using var host = await JobTestHost.StartAsync();
        var probe = host.App.Probe();
        var runId = await host.RunNowAsync(GatedJob.Name);
        await probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var again = await host.Admin.PostAsJsonAsync($"/api/jobs/{GatedJob.Name}/run", new { });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        using (var problem = JsonDocument.Parse(await again.Content.ReadAsStringAsync()))
        {
            Assert.Contains("already running", problem.RootElement.GetProperty("title").GetString(), StringComparison.Ordinal);
            Assert.Equal(runId, problem.RootElement.GetProperty("runId").GetInt64());
        }

        probe.Release(GatedJob.Name, GatedJob.Steps);
        Assert.Equal(JobRunStatus.Succeeded, (await host.WaitForEndAsync(runId)).Status);
        Assert.Equal(1, probe.Runs);
        Assert.Equal(1, await host.App.WithDbAsync(db => db.JobRuns.CountAsync(r => r.JobName == GatedJob.Name)));

        // Once it has finished, it can be run again.
        var second = await host.RunNowAsync(GatedJob.Name);
        Assert.NotEqual(runId, second);
    }

    [Fact]
    public async Task Simultaneous_run_now_requests_start_exactly_one_run()
    {
        await using var host = await JobTestHost.StartAsync();
        var clicks = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => host.Admin.PostAsJsonAsync($"/api/jobs/{GatedJob.Name}/run", new { })));

        Assert.Single(clicks, r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal(5, clicks.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(1, await host.App.WithDbAsync(db => db.JobRuns.CountAsync(r => r.JobName == GatedJob.Name)));
        var runId = await host.App.WithDbAsync(db => db.JobRuns.Select(r => r.Id).SingleAsync());
        host.App.Probe().Release(GatedJob.Name, GatedJob.Steps);
        Assert.Equal(JobRunStatus.Succeeded, (await host.WaitForEndAsync(runId)).Status);
        Assert.Equal(1, host.App.Probe().Runs);
    }

    [Fact]
    public async Task A_failing_job_ends_failed_with_the_exception_message_and_no_stack_trace()
    {
        await using var host = await JobTestHost.StartAsync();
        var runId = await host.RunNowAsync(FailingJob.Name);

        var run = await host.WaitForEndAsync(runId);
        Assert.Equal(JobRunStatus.Failed, run.Status);
        Assert.Equal(FailingJob.Error, run.Error);
        Assert.Equal(3, run.Current);
        Assert.Equal("Fetching", run.Stage);
        var history = await host.GetJsonAsync($"/api/jobs/{FailingJob.Name}/history");
        var entry = Assert.Single(history.EnumerateArray());
        Assert.Equal("failed", entry.GetProperty("status").GetString());
        Assert.DoesNotContain("   at ", entry.GetRawText(), StringComparison.Ordinal);
        Assert.Contains(entry.GetProperty("logs").EnumerateArray(), l => l.GetProperty("level").GetString() == "Warning");
    }

    [Fact]
    public async Task Unknown_job_names_and_runs_are_404_problems()
    {
        await using var host = await JobTestHost.StartAsync();
        foreach (var (method, path) in new[]
        {
            ("GET", "/api/jobs/no-such-job/history"),
            ("GET", "/api/jobs/no-such-job/config"),
            ("PATCH", "/api/jobs/no-such-job/config"),
            ("POST", "/api/jobs/no-such-job/run"),
            ("POST", "/api/jobs/no-such-job/cancel"),
            ("GET", "/api/jobs/progress/stream/987654"),
            ("GET", "/api/jobs/progress/stream/not-a-number"),
        })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path)
            {
                Content = method == "GET" ? null : JsonContent.Create(new { kind = "manual" }),
            };
            var response = await host.Admin.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
