using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Aperture.Data;

namespace Aperture.Tests.Jobs;

// An app with the test jobs, connected to a fake Jellyfin, and an admin client signed in.
public sealed class JobTestHost : IAsyncDisposable
{
    private JobTestHost(FakeMediaServer server, AppFactory app, HttpClient admin)
    {
        Server = server;
        App = app;
        Admin = admin;
    }

    public FakeMediaServer Server { get; }
    public AppFactory App { get; private set; }
    public HttpClient Admin { get; private set; }

    public static async Task<JobTestHost> StartAsync(Func<AppFactory, AppFactory>? configure = null)
    {
        var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "pw", admin: true);
            b.User("alice", "pw");
        });
        var app = new AppFactory().WithTestJobs();
        app = configure?.Invoke(app) ?? app;
        await app.ConnectAsync(server);
        var admin = await app.SignedInClientAsync("Admin", "pw");
        return new JobTestHost(server, app, admin);
    }

    // Stops this app and starts the same install again (same data folder and database).
    public async Task RestartAsync()
    {
        var next = App.Restarted();
        await App.DisposeAsync();
        App = next;
        Admin = await App.SignedInClientAsync("Admin", "pw");
    }

    public async Task<long> RunNowAsync(string job)
    {
        var response = await Admin.PostAsJsonAsync($"/api/jobs/{job}/run", new { });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("runId").GetInt64();
    }

    public Task<JobRun> RunRowAsync(long runId) => App.WithDbAsync(db => db.JobRuns.AsNoTracking().SingleAsync(r => r.Id == runId));

    // Polls the run's row until the condition holds; fails after the timeout with what it last saw.
    public async Task<JobRun> WaitForRunAsync(long runId, Func<JobRun, bool> condition, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var run = await RunRowAsync(runId);
            if (condition(run))
            {
                return run;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"run {runId} did not get there in {seconds} s; last seen {run.Status} {run.Current}/{run.Total} {run.Error}");
            }
            await Task.Delay(50);
        }
    }

    public Task<JobRun> WaitForEndAsync(long runId, int seconds = 20) =>
        WaitForRunAsync(runId, r => !JobRunService.Active.Contains(r.Status), seconds);

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        var response = await Admin.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public async Task<JsonElement> JobAsync(string name) =>
        (await GetJsonAsync("/api/jobs")).EnumerateArray().Single(j => j.GetProperty("name").GetString() == name);

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Server.DisposeAsync();
    }
}
