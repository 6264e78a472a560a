using System.Net;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Aperture.Data;

namespace Aperture.Tests.Jobs;

public sealed class JobsPageTests
{
    private static async Task<HttpResponseMessage> HtmxGetAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("HX-Request", "true");
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task The_jobs_page_lists_every_job_and_the_admin_page_links_to_it()
    {
        await using var host = await JobTestHost.StartAsync();
        Assert.Contains("href=\"/admin/jobs\"", await host.Admin.GetStringAsync("/admin"), StringComparison.Ordinal);

        var html = await host.Admin.GetStringAsync("/admin/jobs");
        foreach (var name in new[] { GatedJob.Name, BatchedJob.Name, FailingJob.Name, SlowJob.Name })
        {
            Assert.Contains($"id=\"job-{name}\"", html, StringComparison.Ordinal);
            Assert.Contains($"id=\"schedule-{name}\"", html, StringComparison.Ordinal);
        }
        Assert.Contains("Manual only", html, StringComparison.Ordinal);
        Assert.Contains("Never run", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_from_the_page_answers_htmx_with_the_live_card_and_a_second_run_is_refused()
    {
        await using var host = await JobTestHost.StartAsync();
        var token = await host.Admin.AntiforgeryTokenAsync("/admin/jobs");

        var response = await host.Admin.PostFormAsync($"/admin/jobs?handler=Run&name={GatedJob.Name}", token, [], htmx: true);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fragment = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<html", fragment, StringComparison.Ordinal);
        Assert.StartsWith($"<article class=\"card job\" id=\"job-{GatedJob.Name}\"", fragment.Trim(), StringComparison.Ordinal);
        Assert.Contains("jobStarted", string.Join(',', response.Headers.GetValues("HX-Trigger")), StringComparison.Ordinal);
        var runId = await host.App.WithDbAsync(db => db.JobRuns.Where(r => r.JobName == GatedJob.Name).Select(r => r.Id).SingleAsync());
        Assert.Contains($"sse-connect=\"/api/jobs/progress/stream/{runId}\"", fragment, StringComparison.Ordinal);
        Assert.Contains("hx-trigger=\"sse:progress\"", fragment, StringComparison.Ordinal);

        var again = await host.Admin.PostFormAsync($"/admin/jobs?handler=Run&name={GatedJob.Name}", token, [], htmx: true);
        Assert.Contains("is already running; no second run was queued", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await host.App.WithDbAsync(db => db.JobRuns.CountAsync()));

        // The job has started, but its first stage reaches the database a moment later (the progress writer flushes): wait
        // for it, then read the card.
        await host.WaitForRunAsync(runId, r => r.Total == GatedJob.Steps);
        var progress = await (await HtmxGetAsync(host.Admin, $"/admin/jobs?handler=Progress&runId={runId}")).Content.ReadAsStringAsync();
        Assert.Contains("<progress class=\"job-bar\" max=\"4\" value=\"0\"", progress, StringComparison.Ordinal);

        var cancel = await host.Admin.PostFormAsync($"/admin/jobs?handler=Cancel&name={GatedJob.Name}", token, [], htmx: true);
        // "Cancelling" while the job winds down; "Cancelled." if it already stopped when the card was drawn (never a stale "Cancelling").
        Assert.Matches("Cancelling: the job stops|Cancelled\\.", await cancel.Content.ReadAsStringAsync());
        Assert.Equal(JobRunStatus.Cancelled, (await host.WaitForEndAsync(runId)).Status);
    }

    [Fact]
    public async Task Page_posts_without_the_antiforgery_token_are_refused()
    {
        await using var host = await JobTestHost.StartAsync();
        var run = await host.Admin.PostFormAsync($"/admin/jobs?handler=Run&name={GatedJob.Name}", null, [], htmx: true);
        Assert.Equal(HttpStatusCode.BadRequest, run.StatusCode);
        var schedule = await host.Admin.PostFormAsync($"/admin/jobs?handler=Schedule&name={GatedJob.Name}", null, [new("Schedule.Kind", "daily"), new("Schedule.Time", "02:00")]);
        Assert.Equal(HttpStatusCode.BadRequest, schedule.StatusCode);
        Assert.Equal(0, await host.App.WithDbAsync(db => db.JobRuns.CountAsync()));
        Assert.Equal(0, await host.App.WithDbAsync(db => db.JobSchedules.CountAsync()));
    }

    [Fact]
    public async Task A_bad_schedule_in_the_form_is_shown_next_to_its_field_and_nothing_is_saved()
    {
        await using var host = await JobTestHost.StartAsync();
        var token = await host.Admin.AntiforgeryTokenAsync("/admin/jobs");
        KeyValuePair<string, string>[] bad = [new("Schedule.Kind", "cron"), new("Schedule.Cron", "every night"), new("Schedule.Time", ""), new("Schedule.EveryHours", "2")];

        var htmx = await host.Admin.PostFormAsync($"/admin/jobs?handler=Schedule&name={SlowJob.Name}", token, bad, htmx: true);
        var form = await htmx.Content.ReadAsStringAsync();
        Assert.StartsWith($"<form id=\"schedule-{SlowJob.Name}\"", form.Trim(), StringComparison.Ordinal);
        Assert.Contains("class=\"field-error\">A cron expression has 5 fields", form, StringComparison.Ordinal);
        Assert.Equal($"#schedule-{SlowJob.Name}", htmx.Headers.GetValues("HX-Retarget").Single());
        Assert.Contains("value=\"every night\"", form, StringComparison.Ordinal);

        var plain = await host.Admin.PostFormAsync($"/admin/jobs?handler=Schedule&name={SlowJob.Name}", token, bad);
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Contains("A cron expression has 5 fields", await plain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await host.App.WithDbAsync(db => db.JobSchedules.CountAsync()));

        var good = await host.Admin.PostFormAsync($"/admin/jobs?handler=Schedule&name={SlowJob.Name}", token,
            [new("Schedule.Kind", "daily"), new("Schedule.Time", "02:15")], htmx: true);
        var card = await good.Content.ReadAsStringAsync();
        Assert.Contains("Every day at 02:15", card, StringComparison.Ordinal);
        Assert.Contains("scheduleSaved", string.Join(',', good.Headers.GetValues("HX-Trigger")), StringComparison.Ordinal);
        var saved = await host.App.WithDbAsync(db => db.JobSchedules.SingleAsync());
        Assert.Equal((ScheduleKind.Daily, new TimeOnly(2, 15)), (saved.Kind, saved.TimeOfDay));
    }

    [Fact]
    public async Task The_history_and_log_fragments_show_each_run_its_outcome_and_its_log_lines()
    {
        await using var host = await JobTestHost.StartAsync();
        var runId = await host.RunNowAsync(FailingJob.Name);
        await host.WaitForEndAsync(runId);

        var history = await (await HtmxGetAsync(host.Admin, $"/admin/jobs?handler=History&name={FailingJob.Name}")).Content.ReadAsStringAsync();
        Assert.Contains($"#{runId}", history, StringComparison.Ordinal);
        Assert.Contains("Failed", history, StringComparison.Ordinal);
        Assert.Contains("The media server answered 500 to /Items.", history, StringComparison.Ordinal);
        var log = await (await HtmxGetAsync(host.Admin, $"/admin/jobs?handler=Log&runId={runId}")).Content.ReadAsStringAsync();
        Assert.Contains("About to fail", log, StringComparison.Ordinal);
        Assert.Contains("log-warning", log, StringComparison.Ordinal);
    }
}
