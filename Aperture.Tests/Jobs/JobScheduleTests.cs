using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Jobs;
using Microsoft.EntityFrameworkCore;
using Quartz;
using Aperture.Progress;

namespace Aperture.Tests.Jobs;

// The bad-schedule rows are refused before anything is saved, so they share one host (JobScheduleRefusals), each checking that
// no schedule and no Quartz trigger exists; every other test starts its own (restarts, environment, defaults).
public sealed class JobScheduleRefusals : IAsyncLifetime
{
    internal JobTestHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Host = await JobTestHost.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }
}

public sealed class JobScheduleTests(JobScheduleRefusals refusals) : IClassFixture<JobScheduleRefusals>
{
    private static async Task<int> QuartzTriggerCountAsync(JobTestHost host, string job) => await host.App.WithDbAsync(async db =>
    {
        // Quartz's own table, read as SQL: the trigger really is (or is not) in the store.
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM qrtz_triggers WHERE job_name = @job";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@job";
        parameter.Value = job;
        command.Parameters.Add(parameter);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    });

    [Fact]
    public async Task A_schedule_change_is_kept_across_a_restart_with_its_quartz_trigger_and_next_run()
    {
        await using var host = await JobTestHost.StartAsync();
        var patch = await host.Admin.PatchAsJsonAsync($"/api/jobs/{SlowJob.Name}/config", new { kind = "weekly", dayOfWeek = "tuesday", time = "05:30" });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var saved = JsonDocument.Parse(await patch.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("weekly", saved.GetProperty("kind").GetString());
        Assert.Equal("saved", saved.GetProperty("source").GetString());
        Assert.Equal("0 30 5 ? * TUE", saved.GetProperty("quartzCron").GetString());
        var nextRun = saved.GetProperty("nextRun").GetDateTimeOffset();
        var expected = new CronExpression("0 30 5 ? * TUE", TimeZoneInfo.Local).GetNextValidTimeAfter(DateTimeOffset.UtcNow);
        Assert.Equal(expected, nextRun);

        await host.RestartAsync();

        var config = await host.GetJsonAsync($"/api/jobs/{SlowJob.Name}/config");
        Assert.Equal("weekly", config.GetProperty("kind").GetString());
        Assert.Equal("tuesday", config.GetProperty("dayOfWeek").GetString());
        Assert.Equal("05:30", config.GetProperty("time").GetString());
        Assert.Equal(nextRun, config.GetProperty("nextRun").GetDateTimeOffset());
        Assert.Equal(nextRun, (await host.JobAsync(SlowJob.Name)).GetProperty("nextRun").GetDateTimeOffset());
        Assert.Equal(1, await QuartzTriggerCountAsync(host, SlowJob.Name));
    }

    [Fact]
    public async Task A_manual_only_job_has_no_trigger_so_it_never_fires_on_its_own()
    {
        await using var host = await JobTestHost.StartAsync();
        // Test jobs name no cron setting, so they default to manual.
        var config = await host.GetJsonAsync($"/api/jobs/{GatedJob.Name}/config");
        Assert.Equal("manual", config.GetProperty("kind").GetString());
        Assert.Equal("default", config.GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Null, config.GetProperty("nextRun").ValueKind);
        Assert.Equal(0, await QuartzTriggerCountAsync(host, GatedJob.Name));

        // A scheduled job turned manual loses its trigger, and keeps it lost after a restart.
        Assert.Equal(HttpStatusCode.OK, (await host.Admin.PatchAsJsonAsync($"/api/jobs/{GatedJob.Name}/config", new { kind = "everyHours", everyHours = 6 })).StatusCode);
        Assert.Equal(1, await QuartzTriggerCountAsync(host, GatedJob.Name));
        Assert.NotEqual(JsonValueKind.Null, (await host.JobAsync(GatedJob.Name)).GetProperty("nextRun").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await host.Admin.PatchAsJsonAsync($"/api/jobs/{GatedJob.Name}/config", new { kind = "manual" })).StatusCode);
        Assert.Equal(0, await QuartzTriggerCountAsync(host, GatedJob.Name));

        await host.RestartAsync();
        Assert.Equal(0, await QuartzTriggerCountAsync(host, GatedJob.Name));
        var job = await host.JobAsync(GatedJob.Name);
        Assert.Equal(JsonValueKind.Null, job.GetProperty("nextRun").ValueKind);
        Assert.Equal("manual", job.GetProperty("schedule").GetProperty("kind").GetString());
        Assert.Equal(0, await host.App.WithDbAsync(db => db.JobRuns.CountAsync()));
    }

    public static TheoryData<string, string> BadSchedules => new()
    {
        { """{"kind":"cron","cron":"every day at three"}""", "cron" },
        { """{"kind":"cron","cron":"0 0 30 2 *"}""", "cron" },
        { """{"kind":"cron","cron":"0 3 1 * 1"}""", "cron" },
        { """{"kind":"everyHours","everyHours":5}""", "everyHours" },
        { """{"kind":"everyHours","everyHours":"two"}""", "everyHours" },
        { """{"kind":"daily","time":"25:00"}""", "time" },
        { """{"kind":"daily"}""", "time" },
        { """{"kind":"weekly","time":"03:00","dayOfWeek":"someday"}""", "dayOfWeek" },
        { """{"kind":"sometimes"}""", "kind" },
        { """{"kind":"daily","time":"03:00","colour":"red"}""", "colour" },
    };

    [Theory]
    [MemberData(nameof(BadSchedules))]
    public async Task A_bad_schedule_is_a_400_naming_the_field_and_nothing_is_saved(string body, string field)
    {
        var host = refusals.Host;
        var response = await host.Admin.PatchAsync($"/api/jobs/{SlowJob.Name}/config", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), problem.GetRawText());
        Assert.NotEmpty(messages[0].GetString()!);
        Assert.Equal(0, await host.App.WithDbAsync(db => db.JobSchedules.CountAsync()));
        Assert.Equal("manual", (await host.GetJsonAsync($"/api/jobs/{SlowJob.Name}/config")).GetProperty("kind").GetString());
        Assert.Equal(0, await QuartzTriggerCountAsync(host, SlowJob.Name));
    }

    [Fact]
    public async Task Unix_cron_from_the_environment_is_the_default_of_jobs_that_name_it_and_a_saved_schedule_wins()
    {
        var definition = new JobDefinition("test-env-cron", "Test: env cron", "Uses SYNC_CRON.", typeof(SlowJob), DefaultCronSetting: "SYNC_CRON");
        await using var host = await JobTestHost.StartAsync(app => app.With("SYNC_CRON", "15 4 * * 1-5").WithServices(s => s.AddSingleton(definition)));

        var config = await host.GetJsonAsync("/api/jobs/test-env-cron/config");
        Assert.Equal("cron", config.GetProperty("kind").GetString());
        Assert.Equal("environment", config.GetProperty("source").GetString());
        Assert.Equal("SYNC_CRON", config.GetProperty("setting").GetString());
        Assert.Equal("0 15 4 ? * MON,TUE,WED,THU,FRI", config.GetProperty("quartzCron").GetString());
        Assert.NotEqual(JsonValueKind.Null, config.GetProperty("nextRun").ValueKind);

        Assert.Equal(HttpStatusCode.OK, (await host.Admin.PatchAsJsonAsync("/api/jobs/test-env-cron/config", new { kind = "daily", time = "01:00" })).StatusCode);
        config = await host.GetJsonAsync("/api/jobs/test-env-cron/config");
        Assert.Equal("saved", config.GetProperty("source").GetString());
        Assert.Equal("0 0 1 * * ?", config.GetProperty("quartzCron").GetString());
    }

    [Fact]
    public async Task Built_in_default_schedules_apply_without_the_manual_setting()
    {
        await using var host = await JobTestHost.StartAsync(app => app.With("Jobs:DefaultSchedules", null));

        var sync = await host.GetJsonAsync($"/api/jobs/{JobNames.SyncMovies}/config");
        Assert.Equal(("daily", "default"), (sync.GetProperty("kind").GetString(), sync.GetProperty("source").GetString()));
        Assert.Equal("0 0 3 * * ?", sync.GetProperty("quartzCron").GetString());
        Assert.Equal(1, await QuartzTriggerCountAsync(host, JobNames.SyncMovies));
        var history = await host.GetJsonAsync($"/api/jobs/{JobNames.SyncWatchHistory}/config");
        Assert.Equal("everyHours", history.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Test_hosts_and_manual_installs_start_with_no_job_scheduled()
    {
        await using var host = await JobTestHost.StartAsync();

        var sync = await host.GetJsonAsync($"/api/jobs/{JobNames.SyncMovies}/config");
        Assert.Equal("manual", sync.GetProperty("kind").GetString());
        Assert.Equal(0, await QuartzTriggerCountAsync(host, JobNames.SyncMovies));
    }

    [Fact]
    public async Task A_bad_cron_in_the_environment_stops_startup_with_one_line_naming_the_variable()
    {
        var (exitCode, stderr, _) = await StartupTests.RunAppProcessAsync(new() { ["RECS_CRON"] = "at noon" });
        Assert.Equal(1, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Aperture cannot start: RECS_CRON is not a usable cron expression: A cron expression has 5 fields", line, StringComparison.Ordinal);
    }
}
