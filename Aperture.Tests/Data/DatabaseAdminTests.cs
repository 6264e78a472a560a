using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Data;
using Aperture.Fakes;
using Aperture.History;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;

namespace Aperture.Tests;

// The tests that purge, or add job runs, seed their own install; the refusals, which must delete nothing, share one seeded
// install (DatabaseAdminRefusals) and each compares the counts before and after.
public sealed class DatabaseAdminRefusals : IAsyncLifetime
{
    internal DatabaseAdminTests.Setup World { get; private set; } = null!;

    public async ValueTask InitializeAsync() => World = await DatabaseAdminTests.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (World is not null)
        {
            await World.DisposeAsync();
        }
    }
}

// Admin › Database and /api/admin/purge/*.
public sealed class DatabaseAdminTests(DatabaseAdminRefusals refusals) : IClassFixture<DatabaseAdminRefusals>
{
    internal sealed record Setup(FakeMediaServer Server, AppFactory App, HttpClient Admin, HttpClient Alice) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Server.DisposeAsync();
        }
    }

    // Both kinds seeded, plus each kind's sync watermarks: a settings key and a history sync state per user.
    internal static async Task<Setup> StartAsync()
    {
        FakeUser alice = null!, bob = null!;
        var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            alice = b.User("alice", "pw");
            bob = b.User("bob", "pw");
            b.User("Admin", "pw", admin: true);
        });
        var app = new AppFactory();
        await app.ConnectAsync(server);
        var admin = await app.SignedInClientAsync("Admin", "pw");
        var aliceClient = await app.SignedInClientAsync("alice", "pw");
        var bobClient = await app.SignedInClientAsync("bob", "pw");
        foreach (var kind in Enum.GetValues<MediaKind>())
        {
            await TestCatalog.SeedAsync(app, kind, alice.Id, bob.Id);
        }
        await app.WithDbAsync(async db =>
        {
            foreach (var kind in Enum.GetValues<MediaKind>())
            {
                db.Settings.Add(new Setting { Key = $"sync.{kind.Slug()}.watermark", Value = "2024-03-01T00:00:00Z", UpdatedAt = TestCatalog.Epoch });
                db.HistorySyncStates.Add(new HistorySyncState { UserId = alice.Id, Kind = kind, Watermark = TestCatalog.Epoch });
                db.HistorySyncStates.Add(new HistorySyncState { UserId = bob.Id, Kind = kind, Watermark = TestCatalog.Epoch });
            }
            db.JobRuns.Add(new JobRun { JobName = JobNames.SyncMovies, Status = JobRunStatus.Succeeded, Trigger = "manual", QueuedAt = TestCatalog.Epoch });
            await db.SaveChangesAsync();
            return 0;
        });
        return new Setup(server, app, admin, aliceClient);
    }

    private static async Task<Dictionary<string, long>> CountsAsync(HttpClient admin)
    {
        var response = await admin.GetAsync("/api/admin/purge/stats");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return json.GetProperty("counts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
    }

    private static Task<HttpResponseMessage> PurgeAsync(HttpClient client, string kind, object body) =>
        client.PostAsJsonAsync($"/api/admin/purge/{kind}", body);

    [Fact]
    public async Task Stats_count_the_rows_of_each_area_and_report_the_database_size()
    {
        await using var s = await StartAsync();
        var response = await s.Admin.GetAsync("/api/admin/purge/stats");
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(TestDatabase.Name, json.GetProperty("provider").GetString());
        Assert.True(json.GetProperty("sizeBytes").GetInt64() > 0);

        var counts = await CountsAsync(s.Admin);
        Assert.Equal(2, counts["libraries"]);
        Assert.Equal(9, counts["movies"]);
        Assert.Equal(9, counts["series"]);
        Assert.Equal(18, counts["episodes"]);
        // Four plays/starts per kind, plus the series' own favourite row.
        Assert.Equal(4, counts["movieWatchStates"]);
        Assert.Equal(5, counts["seriesWatchStates"]);
        Assert.Equal(4, counts["historySyncStates"]);
        Assert.Equal(3, counts["users"]);
        Assert.Equal(1, counts["jobRuns"]);
        Assert.True(counts["settings"] > 2);

        var page = await s.Admin.GetStringAsync("/admin/database");
        Assert.Contains("data-key=\"episodes\"><th scope=\"row\">Episodes</th><td class=\"num\">18</td>", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/admin/database\"", await s.Admin.GetStringAsync("/admin"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"confirm\":\"purge\"}")]
    [InlineData("{\"confirm\":\"purge series\"}")]
    [InlineData("{\"confirm\":null}")]
    [InlineData("{}")]
    public async Task A_wrong_or_missing_confirmation_is_a_400_naming_confirm_and_deletes_nothing(string body)
    {
        var s = refusals.World;
        var before = await CountsAsync(s.Admin);
        var response = await s.Admin.PostAsync("/api/admin/purge/movies", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("purge movies", problem.GetProperty("errors").GetProperty("confirm")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync(s.Admin));

        // An unknown field is refused as well, rather than read as a missing confirmation.
        var typo = await s.Admin.PostAsync("/api/admin/purge/movies", new StringContent("{\"confirmation\":\"purge movies\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, typo.StatusCode);
        Assert.Equal(before, await CountsAsync(s.Admin));
    }

    [Theory]
    [InlineData(JobNames.SyncMovies, JobRunStatus.Running)]
    [InlineData(JobNames.FullSyncWatchHistory, JobRunStatus.Queued)]
    [InlineData(JobNames.SyncWatchHistory, JobRunStatus.Running)]
    public async Task A_purge_is_refused_with_409_while_a_job_of_that_kind_is_queued_or_running(string job, JobRunStatus status)
    {
        await using var s = await StartAsync();
        var runId = await s.App.WithDbAsync(async db =>
        {
            var run = new JobRun { JobName = job, Status = status, Trigger = "manual", QueuedAt = TestCatalog.Epoch };
            db.JobRuns.Add(run);
            await db.SaveChangesAsync();
            return run.Id;
        });
        var before = await CountsAsync(s.Admin);

        var refused = await PurgeAsync(s.Admin, "movies", new { confirm = "purge movies" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains(job, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync(s.Admin));

        // A movie job does not hold up the series.
        Assert.Equal(HttpStatusCode.OK, (await PurgeAsync(s.Admin, "series", new { confirm = "purge series" })).StatusCode);

        await s.App.WithDbAsync(db => db.JobRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, JobRunStatus.Succeeded)));
        Assert.Equal(HttpStatusCode.OK, (await PurgeAsync(s.Admin, "movies", new { confirm = "purge movies" })).StatusCode);
        Assert.Equal(0, (await CountsAsync(s.Admin))["movies"]);
    }

    [Theory]
    [InlineData(MediaKind.Movie)]
    [InlineData(MediaKind.Series)]
    public async Task A_purge_removes_the_kinds_titles_episodes_watch_states_and_watermarks_and_leaves_the_other_kind(MediaKind kind)
    {
        await using var s = await StartAsync();
        var other = kind == MediaKind.Movie ? MediaKind.Series : MediaKind.Movie;
        var before = await CountsAsync(s.Admin);

        var response = await PurgeAsync(s.Admin, kind.Slug(), new { confirm = $"  Purge {kind.Slug()} " });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var deleted = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("deleted");
        Assert.Equal(9, deleted.GetProperty("titles").GetInt32());
        Assert.Equal(kind == MediaKind.Series ? 18 : 0, deleted.GetProperty("episodes").GetInt32());
        Assert.Equal(kind == MediaKind.Series ? 5 : 4, deleted.GetProperty("watchStates").GetInt32());
        Assert.Equal(2, deleted.GetProperty("historySyncStates").GetInt32());
        Assert.Equal(1, deleted.GetProperty("settings").GetInt32());

        var after = await CountsAsync(s.Admin);
        Assert.Equal(0, after[kind.Slug()]);
        Assert.Equal(before[other.Slug()], after[other.Slug()]);
        Assert.Equal(kind == MediaKind.Series ? 0 : before["episodes"], after["episodes"]);
        Assert.Equal(0, after[kind == MediaKind.Movie ? "movieWatchStates" : "seriesWatchStates"]);
        Assert.Equal(before[other == MediaKind.Movie ? "movieWatchStates" : "seriesWatchStates"], after[other == MediaKind.Movie ? "movieWatchStates" : "seriesWatchStates"]);
        Assert.Equal(before["libraries"], after["libraries"]);
        Assert.Equal(before["users"], after["users"]);
        var (settings, syncKinds) = await s.App.WithDbAsync(async db => (
            await db.Settings.Where(x => x.Key.StartsWith("sync.")).Select(x => x.Key).ToListAsync(),
            await db.HistorySyncStates.Select(x => x.Kind).Distinct().ToListAsync()));
        Assert.Equal([$"sync.{other.Slug()}.watermark"], settings);
        Assert.Equal([other], syncKinds);

        // The other kind still browses as before.
        var list = JsonDocument.Parse(await s.Alice.GetStringAsync($"/api/{other.Slug()}?watched=true")).RootElement;
        Assert.Equal(2, list.GetProperty("total").GetInt32());
        Assert.Equal(0, JsonDocument.Parse(await s.Alice.GetStringAsync($"/api/{kind.Slug()}")).RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Normal_users_may_neither_see_the_stats_nor_purge()
    {
        var s = refusals.World;
        var before = await CountsAsync(s.Admin);
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Alice.GetAsync("/api/admin/purge/stats")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PurgeAsync(s.Alice, "movies", new { confirm = "purge movies" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Alice.GetAsync("/admin/database")).StatusCode);
        var token = await s.Alice.AntiforgeryTokenAsync("/picks");
        var form = await s.Alice.PostFormAsync("/admin/database?handler=Purge", token, [new("kind", "movies"), new("confirm", "purge movies")]);
        Assert.Equal(HttpStatusCode.Forbidden, form.StatusCode);
        Assert.Equal(before, await CountsAsync(s.Admin));
    }

    [Fact]
    public async Task The_page_purges_only_after_the_typed_confirmation_and_needs_the_antiforgery_token()
    {
        await using var s = await StartAsync();
        var token = await s.Admin.AntiforgeryTokenAsync("/admin/database");

        var wrong = await s.Admin.PostFormAsync("/admin/database?handler=Purge", token, [new("kind", "series"), new("confirm", "yes")]);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("type \"purge series\" exactly", WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(9, (await CountsAsync(s.Admin))["series"]);

        var forged = await s.Admin.PostFormAsync("/admin/database?handler=Purge", null, [new("kind", "series"), new("confirm", "purge series")]);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(9, (await CountsAsync(s.Admin))["series"]);

        var done = await s.Admin.PostFormAsync("/admin/database?handler=Purge", token, [new("kind", "series"), new("confirm", "purge series")]);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/admin/database?purged=series", done.Headers.Location!.OriginalString);
        Assert.Contains("All series data was purged.", await s.Admin.GetStringAsync(done.Headers.Location.OriginalString), StringComparison.Ordinal);
        var counts = await CountsAsync(s.Admin);
        Assert.Equal(0, counts["series"]);
        Assert.Equal(9, counts["movies"]);
    }
}
