using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Aperture.Data;
using Aperture.Progress;

namespace Aperture.Tests.Jobs;

// Getting started: the checklist an admin lands on until the pipeline ran once, and "Run everything", which runs the
// pipeline's jobs in order in one run and stops at the first failure, naming it.
public sealed class RunEverythingTests : IDisposable
{
    private readonly string media = Directory.CreateTempSubdirectory("aperture-media-").FullName;

    public void Dispose() => Directory.Delete(media, recursive: true);

    private async Task<(FakeMediaServer Server, AppFactory App, HttpClient Admin)> StartAsync()
    {
        var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "pw", admin: true);
            var alice = b.User("alice", "pw");
            var movies = b.MovieLibrary("Movies", media + "/movies");
            for (var i = 0; i < 4; i++)
            {
                var m = b.Movie($"Film {i}", 2000 + i, genres: ["Drama"], overview: $"A story {i}.", tmdb: $"{i}", library: movies);
                if (i == 0)
                {
                    b.Played(alice, m, favorite: true);
                }
            }
        });
        foreach (var item in server.State.Items.Where(i => i.Type == FakeItemType.Movie))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(item.Path!)!);
            await File.WriteAllTextAsync(item.Path!, "video");
        }
        var app = new AppFactory();
        await app.ConnectAsync(server);
        var admin = await app.SignedInClientAsync("Admin", "pw");
        return (server, app, admin);
    }

    private static async Task<JobRun> RunAsync(AppFactory app, HttpClient admin, string job)
    {
        var response = await admin.PostAsJsonAsync($"/api/jobs/{job}/run", new { });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetInt64();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var run = await app.WithDbAsync(db => db.JobRuns.AsNoTracking().SingleAsync(r => r.Id == runId));
            if (!JobRunService.Active.Contains(run.Status))
            {
                return run;
            }
            Assert.True(DateTime.UtcNow < deadline, $"run {runId} still {run.Status} ({run.Stage})");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Admins_land_on_the_checklist_until_run_everything_has_written_everyones_picks()
    {
        var (server, app, admin) = await StartAsync();
        await using var _s = server;
        await using var _a = app;

        var home = await admin.GetAsync("/");
        Assert.Equal("/admin/getting-started", home.Headers.Location?.OriginalString);
        var first = await admin.GetAsync("/admin/getting-started");
        var page = WebUtility.HtmlDecode(await first.Content.ReadAsStringAsync());
        Assert.True(first.IsSuccessStatusCode, page.Length > 3000 ? page[..3000] : page);
        Assert.Contains("data-step=\"Media server\" data-done=\"true\"", page, StringComparison.Ordinal);
        Assert.Contains("data-step=\"First run\" data-done=\"false\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"job-run-everything\"", page, StringComparison.Ordinal);

        // The catalogue sync reads the users; switching alice on is the admin's one decision.
        var run = await RunAsync(app, admin, JobNames.RunEverything);
        Assert.Equal(JobRunStatus.Succeeded, run.Status);
        Assert.Equal("/admin/getting-started", (await admin.GetAsync("/")).Headers.Location?.OriginalString);
        var alice = server.State.User("alice");
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/users/{alice.Id}", new { moviePicksEnabled = true })).StatusCode);
        run = await RunAsync(app, admin, JobNames.RunEverything);
        Assert.Equal(JobRunStatus.Succeeded, run.Status);

        var logs = await app.WithDbAsync(db => db.JobRunLogs.AsNoTracking().Where(l => l.RunId == run.Id).OrderBy(l => l.Id).Select(l => l.Text).ToListAsync());
        var started = logs.Where(l => l.EndsWith(": started.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["sync-movies", "sync-series", "sync-watch-history", "generate-embeddings", "generate-recommendations", "sync-strm", "refresh-top-picks"],
            started.Select(l => l.Split(", ")[1].Split(':')[0]));
        Assert.Contains(logs, l => l.Contains("generate-series-embeddings: skipped, the media server has no enabled series library", StringComparison.Ordinal));
        Assert.Contains(server.State.Libraries, l => l.Name == "AI Picks - alice");
        Assert.Equal("/picks", (await admin.GetAsync("/")).Headers.Location?.OriginalString);
        var after = await admin.GetAsync("/admin/getting-started");
        var afterBody = await after.Content.ReadAsStringAsync();
        Assert.True(after.IsSuccessStatusCode, afterBody);
        Assert.Contains("data-step=\"First run\" data-done=\"true\"", afterBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_everything_stops_at_the_first_failing_step_and_names_it()
    {
        var (server, app, admin) = await StartAsync();
        await using var _s = server;
        await using var _a = app;
        server.Faults.Add(FaultRule.OnPath("/Items").Respond(Fault.Status(500, "Database is locked")).Forever());

        var run = await RunAsync(app, admin, JobNames.RunEverything);

        Assert.Equal(JobRunStatus.Failed, run.Status);
        Assert.StartsWith("Stopped at step 1 of 11, sync-movies (Sync movies): ", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.JobRunLogs.CountAsync(l => l.RunId == run.Id && l.Text.StartsWith("Step 2 of"))));
    }

    [Fact]
    public async Task The_jobs_page_and_api_list_jobs_in_pipeline_order()
    {
        var (server, app, admin) = await StartAsync();
        await using var _s = server;
        await using var _a = app;

        var names = (await admin.GetFromJsonAsync<JsonElement>("/api/jobs")).EnumerateArray().Select(j => j.GetProperty("name").GetString()).ToList();
        Assert.Equal(JobNames.DisplayOrder, names.Take(JobNames.DisplayOrder.Length));
        var page = await admin.GetStringAsync("/admin/jobs");
        Assert.True(page.IndexOf("id=\"job-sync-movies\"", StringComparison.Ordinal) < page.IndexOf("id=\"job-generate-embeddings\"", StringComparison.Ordinal));
    }
}
