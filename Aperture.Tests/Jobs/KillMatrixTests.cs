using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Aperture.Data;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Aperture.Progress;

namespace Aperture.Tests.Jobs;

// kill -9 at every stage of the pipeline, on the real executable, against a fake Jellyfin the test controls. Each stage is
// killed at an early, a middle and a late point of one run; the next start must mark that run Interrupted, the data must be
// the previous complete state or the new one — unit by unit: a title, a user's history, a title's vector, a user's picks,
// a user's library folder, the Top Picks list and folder, a channel and its playlist — and the job must then run again to
// Success. Before each killed run the fake (or a setting) changes, so "previous" and "new" differ and a half-written unit
// shows. Points: for stages that call the server, the fake stalls the Nth of the K calls the previous run made (1, K/2, K)
// and the process is killed while the call hangs; for local stages (embeddings, picks) the run's progress row is polled and
// the process killed once it passes 10 %, 50 % or 90 %. The matrix (what was actually hit, timings) goes to the output.
[Trait("Category", "KillMatrix")]
public sealed class KillMatrixTests(ITestOutputHelper output) : IAsyncDisposable
{
    private const int Movies = 400;
    private const int PageSize = 40;
    private const int Users = 8;
    private const string Secret = "kill matrix session secret 1234";
    private static readonly string[] Families = ["Horror", "Romance", "Western", "Science Fiction", "Documentary", "Animation"];

    private readonly string data = Directory.CreateTempSubdirectory("aperture-kill-").FullName;
    private readonly string root = Directory.CreateTempSubdirectory("aperture-kill-out-").FullName;
    // Empty: the first start migrates it, as a real first start of the executable does.
    private readonly string? databaseUrl = TestDatabase.NewEmptyDatabaseUrl();
    private readonly List<string> matrix = [];
    private FakeMediaServer server = null!;
    private AppProcess app = null!;
    private string adminCookie = null!;
    private string ownerCookie = null!;
    private int mutation;

    private enum PointKind { ServerCall, Progress }

    private sealed record Stage(string Job, string Label, PointKind Kind, Func<int, Task> Mutate, Func<Task<Dictionary<string, string>>> Snapshot,
        string? ProgressStage = null);

    [Fact]
    public async Task Killed_at_an_early_middle_and_late_point_of_every_stage_the_next_start_marks_the_run_interrupted_keeps_whole_units_and_runs_again()
    {
        var total = Stopwatch.StartNew();
        await SeedAsync();
        var stages = new List<Stage>
        {
            new(JobNames.SyncMovies, "catalogue sync", PointKind.ServerCall, MutateCatalogueAsync, CatalogueAsync),
            new(JobNames.SyncWatchHistory, "watch history", PointKind.ServerCall, _ => { AddPlays(); return Task.CompletedTask; }, HistoryAsync),
            new(JobNames.GenerateEmbeddings, "embeddings", PointKind.Progress, RewriteOverviewsAsync, EmbeddingsAsync, "Embedding"),
            new(JobNames.GenerateRecommendations, "picks", PointKind.Progress, ChangePicksPerUserAsync, PicksAsync, "Scoring and saving picks"),
            new(JobNames.SyncStrm, "outputs (sync-strm)", PointKind.ServerCall, ChangePicksAsync, () => Task.FromResult(Tree(root, "AI Picks - "))),
            new(JobNames.RefreshTopPicks, "Top Picks", PointKind.ServerCall, ChangeTopPicksCountAsync, TopPicksAsync),
            new(JobNames.RefreshChannels, "channel refresh", PointKind.ServerCall, ResizeChannelsAsync, ChannelsAsync),
        };
        var failures = new List<string>();
        foreach (var stage in stages)
        {
            // The previous complete state, and how many server calls a run makes.
            server.ClearCalls();
            await RunToSuccessAsync(stage.Job);
            var calls = JobCalls();
            var previous = await stage.Snapshot();
            foreach (var (point, index) in new[] { ("early", 0), ("middle", 1), ("late", 2) })
            {
                var cell = Stopwatch.StartNew();
                var attempts = 0;
            Retry:
                await stage.Mutate(index);
                server.ClearCalls();
                string hit;
                FaultRule? stall = null;
                if (stage.Kind == PointKind.ServerCall)
                {
                    var nth = index switch { 0 => 1, 1 => Math.Max(1, calls / 2), _ => calls };
                    stall = server.Faults.Add(FaultRule.Where(IsJobCall).OnCall(nth).Respond(Fault.Timeout));
                    hit = $"call {nth} of {calls}";
                }
                else
                {
                    hit = "";
                }
                var runId = await RunNowAsync(stage.Job);
                if (stall is not null)
                {
                    if (!await WaitUntilAsync(async () => stall.Fired > 0, runId, $"{stage.Job}: the stall on {hit}", allowSuccess: true))
                    {
                        // This run made fewer calls than the previous one (the change made less work): it is now the previous
                        // complete state, and the cell is tried again counting from its calls.
                        server.Faults.Clear();
                        calls = JobCalls();
                        previous = await stage.Snapshot();
                        output.WriteLine($"{stage.Label} {point}: the run made only {calls} calls, so {hit} was not reached; trying again");
                        Assert.True(++attempts < 3, $"{stage.Label} {point}: the stall was not reached in 3 runs");
                        goto Retry;
                    }
                    hit = $"stalled {hit}: {Describe(await RowAsync(runId))}";
                }
                else
                {
                    var fraction = index switch { 0 => 0.1, 1 => 0.5, _ => 0.8 };
                    var reached = await WaitUntilAsync(async () =>
                    {
                        var row = await RowAsync(runId);
                        return row.Status == JobRunStatus.Running && row.Stage?.StartsWith(stage.ProgressStage!, StringComparison.Ordinal) == true
                            && row.Total > 0 && (double)row.Current / row.Total >= fraction;
                    }, runId, $"{stage.Job}: {fraction:P0} of '{stage.ProgressStage}'", allowSuccess: true);
                    if (!reached)
                    {
                        // The stage finished between two progress writes the test could see: this run is now the previous state.
                        previous = await stage.Snapshot();
                        output.WriteLine($"{stage.Label} {point}: the run ended before {fraction:P0} could be seen; trying again");
                        if (++attempts < 3)
                        {
                            goto Retry;
                        }
                        var missed = $"| {stage.Label} | {point} | {TestDatabase.Name} | NOT HIT: the run ended before {fraction:P0} was seen, 3 times | — | — | — | cell {cell.ElapsedMilliseconds} ms | not hit |";
                        matrix.Add(missed);
                        output.WriteLine(missed);
                        continue;
                    }
                }
                var killedAt = Stopwatch.StartNew();
                await app.KillAsync();
                var killMs = killedAt.ElapsedMilliseconds;
                server.Faults.Clear();
                var afterKill = await stage.Snapshot();
                var killedRow = await RowAsync(runId);
                if (killedRow.Status == JobRunStatus.Succeeded)
                {
                    // The run finished between the moment the point was seen and the kill (a last batch is quick), so nothing
                    // was cut: not a hit. The app starts again and the completed run is the previous state of the next try.
                    await using (app)
                    {
                    }
                    app = await StartAppAsync();
                    previous = afterKill;
                    output.WriteLine($"{stage.Label} {point}: the run finished before the kill landed; trying again");
                    if (++attempts < 3)
                    {
                        goto Retry;
                    }
                    var finished = $"| {stage.Label} | {point} | {TestDatabase.Name} | NOT HIT: the run finished before the kill landed, 3 times | — | — | — | cell {cell.ElapsedMilliseconds} ms | not hit |";
                    matrix.Add(finished);
                    output.WriteLine(finished);
                    continue;
                }
                if (stall is null)
                {
                    hit = $"progress {Describe(killedRow)}";
                }

                var restart = Stopwatch.StartNew();
                await using (app)
                {
                }
                app = await StartAppAsync();
                var interrupted = await WaitForRowAsync(runId, r => r.Status != JobRunStatus.Running && r.Status != JobRunStatus.Queued, 60);
                var restartMs = restart.ElapsedMilliseconds;
                server.ClearCalls();
                var rerun = Stopwatch.StartNew();
                await RunToSuccessAsync(stage.Job);
                var rerunMs = rerun.ElapsedMilliseconds;
                calls = JobCalls();
                var next = await stage.Snapshot();

                var mixed = Compare(previous, afterKill, next);
                var units = previous.Keys.Union(next.Keys).Count();
                var atNew = previous.Keys.Union(next.Keys).Count(k => afterKill.GetValueOrDefault(k) == next.GetValueOrDefault(k) && previous.GetValueOrDefault(k) != next.GetValueOrDefault(k));
                var changed = previous.Keys.Union(next.Keys).Count(k => previous.GetValueOrDefault(k) != next.GetValueOrDefault(k));
                // Server-side units part-way after the kill, and whether the rerun made each match its unit in the database.
                var serverUnits = next.Keys.Where(k => k.StartsWith(ServerSide, StringComparison.Ordinal)).ToList();
                var partWay = serverUnits.Count(k => (afterKill.GetValueOrDefault(k) ?? "").Split(PlaylistSeparator)
                    .Any(p => p.Length > 0 && p != previous.GetValueOrDefault(k) && p != next[k]));
                var twoWhole = serverUnits.Count(k => (afterKill.GetValueOrDefault(k) ?? "").Contains(PlaylistSeparator, StringComparison.Ordinal));
                mixed.AddRange(Enumerable.Repeat("a server playlist part-way after the kill", partWay));
                var unrepaired = serverUnits.Where(k => next[k] != next.GetValueOrDefault(k.Replace(ServerSide + "playlist ", "channel ", StringComparison.Ordinal))).ToList();
                mixed.AddRange(unrepaired.Select(k => $"{k} (not repaired by the rerun)"));
                var ok = interrupted.Status == JobRunStatus.Interrupted && mixed.Count == 0;
                var result = ok ? "OK" : "FAIL";
                var line = $"| {stage.Label} | {point} | {TestDatabase.Name} | {hit} | {interrupted.Status} | {units} units, {changed} changed, {atNew} already new, "
                    + $"{mixed.Count} neither{(serverUnits.Count > 0 ? $", server playlists: {partWay} of {serverUnits.Count} part-way, {twoWhole} old and new both whole until the rerun" : "")} | Success | kill {killMs} ms, restart {restartMs} ms, rerun {rerunMs} ms, cell {cell.ElapsedMilliseconds} ms | {result} |";
                matrix.Add(line);
                output.WriteLine(line);
                if (!ok)
                {
                    failures.Add($"{stage.Label} {point}: run {interrupted.Status}; units neither previous nor new: "
                        + string.Join("; ", mixed.Take(5).Select(k => $"{k}: before {Short(previous.GetValueOrDefault(k))} / after kill {Short(afterKill.GetValueOrDefault(k))} / new {Short(next.GetValueOrDefault(k))}")));
                }
                previous = next;
            }
        }
        output.WriteLine("");
        output.WriteLine($"| stage | point | database | point hit | run after restart | units | rerun | timings | result |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        matrix.ForEach(output.WriteLine);
        output.WriteLine($"whole matrix on {TestDatabase.Name}: {total.Elapsed.TotalSeconds:F0} s");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    // Units on the media server (a channel's playlists of one name): the server has no transactions, but a playlist is replaced
    // by a complete new one before the old one is deleted, so after a kill each playlist of the name must be the previous
    // list or the new one, whole (two may exist until the rerun), and the rerun must leave exactly the channel's list.
    private const string ServerSide = "server ";

    private const string PlaylistSeparator = " + ";

    private static string Short(string? value) => value is null ? "(none)" : value.Length <= 40 ? value : value[..40] + "…";

    private static string Describe(JobRun row) =>
        $"'{row.Stage}' {row.Current}/{row.Total?.ToString(CultureInfo.InvariantCulture) ?? "?"}";

    // Units whose state after the kill is neither what they were before the run nor what the completed rerun made.
    private static List<string> Compare(Dictionary<string, string> before, Dictionary<string, string> afterKill, Dictionary<string, string> after) =>
        before.Keys.Union(after.Keys).Union(afterKill.Keys)
            .Where(k => !k.StartsWith(ServerSide, StringComparison.Ordinal))
            .Where(k => afterKill.GetValueOrDefault(k) != before.GetValueOrDefault(k) && afterKill.GetValueOrDefault(k) != after.GetValueOrDefault(k))
            .Order(StringComparer.Ordinal).ToList();

    // ---- the world

    private async Task SeedAsync()
    {
        server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "pw", admin: true);
            var users = Enumerable.Range(1, Users).Select(i => b.User($"u{i}", "pw")).ToList();
            b.MovieLibrary("Movies", "/media/movies");
            var recent = DateTimeOffset.UtcNow.AddDays(-3);
            for (var i = 0; i < Movies; i++)
            {
                var family = Families[i % Families.Length];
                var movie = b.Movie($"{family} {i}", 1950 + (i % 70), genres: [family], overview: $"A {family.ToLowerInvariant()} story number {i}.",
                    tags: [family.ToLowerInvariant(), $"tag{i % 17}"], communityRating: 5 + (i % 5), tmdb: $"t{i}");
                // Each user watches a few titles of "their" family; everyone watches the first six (Top Picks needs viewers).
                var user = users[i % Users];
                if (i < 6)
                {
                    foreach (var u in users)
                    {
                        b.Played(u, movie, lastPlayed: recent);
                    }
                }
                else if (i < 6 + Users * 4)
                {
                    b.Played(user, movie, lastPlayed: recent, favorite: i % 3 == 0);
                }
            }
        });
        app = await StartAppAsync();
        adminCookie = await LoginAsync("Admin");
        ownerCookie = await LoginAsync("u1");
        await RunToSuccessAsync(JobNames.SyncMovies);
        await RunToSuccessAsync(JobNames.SyncWatchHistory);
        await RunToSuccessAsync(JobNames.GenerateEmbeddings);
        using var admin = app.CreateClient(adminCookie);
        foreach (var user in server.State.Users.Where(u => u.Name != "Admin"))
        {
            var response = await admin.PutAsJsonAsync($"/api/users/{user.Id}", new { moviePicksEnabled = true });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        await RunToSuccessAsync(JobNames.GenerateRecommendations);
        await RunToSuccessAsync(JobNames.SyncStrm);
        // Two synced channels of u1's, for refresh-channels to refill and re-publish.
        using var owner = app.CreateClient(ownerCookie);
        foreach (var (name, words) in new[] { ("Frights", "horror ghosts"), ("Frontier", "western frontier") })
        {
            var created = await owner.PostAsJsonAsync("/api/channels", new { name, preference = words, size = 20 });
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
            foreach (var action in new[] { "generate", "sync" })
            {
                var done = await owner.PostAsync($"/api/channels/{id}/{action}", new StringContent("{}", Encoding.UTF8, "application/json"));
                Assert.True(done.IsSuccessStatusCode, $"{action}: {await done.Content.ReadAsStringAsync()}");
            }
        }
    }

    private Task<AppProcess> StartAppAsync()
    {
        var environment = new Dictionary<string, string>
        {
            ["APERTURE_DATA_DIR"] = data,
            ["MEDIA_SERVER_BASE_URL"] = server.BaseUrl,
            ["MEDIA_SERVER_API_KEY"] = server.ApiKey,
            ["MEDIA_SERVER_STRM_ROOT"] = root,
            ["STRM_USE_STREAMING_URL"] = "true",
            ["SESSION_SECRET"] = Secret,
            ["Jobs__DefaultSchedules"] = "manual",
            ["Jobs__ProgressInterval"] = "00:00:00.050",
            // The restarted process keeps its instance id (a file in the data folder), so it marks the run it was killed in
            // Interrupted at once. The stale-heartbeat window (what another instance's death is judged by) is set far beyond the
            // 60 s the test waits for that, so a restart that still needed the window would fail the cell.
            ["Jobs__HeartbeatInterval"] = "00:00:00.500",
            ["Jobs__StaleAfter"] = "00:10:00",
            ["Jobs__ClusterCheckinInterval"] = "00:00:01",
            ["Jobs__ClusterCheckinMisfireThreshold"] = "00:00:01",
            // A stalled call must hang until the kill, not time out first.
            ["MediaServer__TimeoutSeconds"] = "300",
            ["MediaServer__Retries"] = "0",
            ["Sync__PageSize"] = PageSize.ToString(CultureInfo.InvariantCulture),
            // One commit per 10 vectors: the embedding stage has points to be killed between.
            ["Embeddings__LocalBatchSize"] = "10",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        if (databaseUrl is not null)
        {
            environment["DATABASE_URL"] = databaseUrl;
        }
        return AppProcess.StartAsync(environment, data);
    }

    private async Task<string> LoginAsync(string user)
    {
        using var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { username = user, password = "pw" });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var cookie = SetCookieHeaderValue.ParseList(response.Headers.GetValues("Set-Cookie").ToList()).Single(c => c.Name == "aperture.session");
        return $"{cookie.Name}={cookie.Value}";
    }

    // The calls a job makes to the server: not the session checks and sign-ins of the test's own requests.
    private static bool IsJobCall(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        return !path.Contains("Authenticate", StringComparison.OrdinalIgnoreCase)
            && !path.StartsWith("/System/Info", StringComparison.OrdinalIgnoreCase)
            && !(HttpMethods.IsGet(request.Method) && path.StartsWith("/Users/", StringComparison.OrdinalIgnoreCase) && path.Count(c => c == '/') == 2);
    }

    private int JobCalls() => server.Calls.Count(c => !c.Path.Contains("Authenticate", StringComparison.OrdinalIgnoreCase)
        && !c.Path.StartsWith("/System/Info", StringComparison.OrdinalIgnoreCase)
        && !(c.Method == "GET" && c.Path.StartsWith("/Users/", StringComparison.OrdinalIgnoreCase) && c.Path.Count(ch => ch == '/') == 2));

    private async Task<long> RunNowAsync(string job)
    {
        using var admin = app.CreateClient(adminCookie);
        var response = await admin.PostAsJsonAsync($"/api/jobs/{job}/run", new { });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{job}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("runId").GetInt64();
    }

    private async Task RunToSuccessAsync(string job)
    {
        var runId = await RunNowAsync(job);
        var run = await WaitForRowAsync(runId, r => !JobRunService.Active.Contains(r.Status), 120);
        Assert.True(run.Status == JobRunStatus.Succeeded, $"{job} run {runId}: {run.Status} {run.Error}\n{app.Log[^Math.Min(app.Log.Length, 4000)..]}");
    }

    private async Task<bool> WaitUntilAsync(Func<Task<bool>> reached, long runId, string what, bool allowSuccess = false)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!await reached())
        {
            var row = await RowAsync(runId);
            if (allowSuccess && row.Status == JobRunStatus.Succeeded && !await reached())
            {
                return false;
            }
            Assert.True(JobRunService.Active.Contains(row.Status), $"{what} was never reached: the run ended {row.Status} {row.Error} at {Describe(row)}");
            Assert.True(DateTime.UtcNow < deadline, $"{what} was not reached in 120 s ({Describe(row)})");
            await Task.Delay(5);
        }
        return true;
    }

    private Task<JobRun> RowAsync(long runId) => WithDbAsync(db => db.JobRuns.AsNoTracking().SingleAsync(r => r.Id == runId));

    private async Task<JobRun> WaitForRowAsync(long runId, Func<JobRun, bool> condition, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var row = await RowAsync(runId);
            if (condition(row))
            {
                return row;
            }
            Assert.True(DateTime.UtcNow < deadline, $"run {runId} {row.JobName}: still {row.Status} after {seconds} s ({Describe(row)})");
            await Task.Delay(50);
        }
    }

    private async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> read)
    {
        await using AppDbContext db = databaseUrl is null
            ? new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite($"Data Source={Path.Combine(data, "aperture.db")};Pooling=False").Options)
            : new PostgresAppDbContext(new DbContextOptionsBuilder<PostgresAppDbContext>().UseNpgsql(databaseUrl, n => n.UseVector()).Options);
        return await read(db);
    }

    // ---- changes made before each killed run, so that the new state differs from the previous one

    private Task MutateCatalogueAsync(int cell)
    {
        var n = ++mutation;
        var movies = server.State.Items.Where(i => i.Type == FakeItemType.Movie).OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
        // Renamed titles spread over the pages, three new ones, two unwatched ones gone.
        foreach (var movie in movies.Where((_, i) => i % 50 == cell))
        {
            server.State.Touch(movie, m => m.Name += $" ({n})");
        }
        server.Seed(b =>
        {
            var library = b.State.Libraries.Single(l => l.Name == "Movies");
            for (var i = 0; i < 3; i++)
            {
                b.Movie($"Added {n}.{i}", 2020, genres: [Families[i]], overview: $"New arrival {n}.{i}.", tags: ["new"], tmdb: $"a{n}.{i}", library: library);
            }
        });
        var watched = server.State.Users.SelectMany(u => movies.Where(m => server.State.GetUserData(u, m)?.Played == true)).Select(m => m.Id).ToHashSet();
        foreach (var gone in movies.Where(m => !watched.Contains(m.Id)).Skip(10 + cell * 7).Take(2))
        {
            server.State.RemoveItem(gone.Id);
        }
        return Task.CompletedTask;
    }

    private void AddPlays()
    {
        var n = ++mutation;
        var movies = server.State.Items.Where(i => i.Type == FakeItemType.Movie).OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
        server.Seed(b =>
        {
            var users = b.State.Users.Where(u => u.Name != "Admin").ToList();
            for (var u = 0; u < users.Count; u++)
            {
                // Two more plays per user, and the earlier favourite of the first user toggled: every user's history changes.
                b.Played(users[u], movies[(n * 37 + u * 11) % movies.Count], playCount: n + 1, lastPlayed: DateTimeOffset.UtcNow);
                b.Played(users[u], movies[(n * 53 + u * 7) % movies.Count], playCount: n + 1, lastPlayed: DateTimeOffset.UtcNow);
            }
        });
    }

    private async Task RewriteOverviewsAsync(int cell)
    {
        var n = ++mutation;
        foreach (var movie in server.State.Items.Where(i => i.Type == FakeItemType.Movie))
        {
            server.State.Touch(movie, m => m.Overview = $"{m.Overview} Retold {n}.");
        }
        await RunToSuccessAsync(JobNames.SyncMovies);
    }

    private async Task ChangePicksPerUserAsync(int cell)
    {
        using var admin = app.CreateClient(adminCookie);
        var patch = await admin.PatchAsJsonAsync("/api/settings/recommendations/movies", new { picksPerUser = 30 + cell * 5 });
        Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());
    }

    private async Task ChangePicksAsync(int cell)
    {
        using var admin = app.CreateClient(adminCookie);
        var patch = await admin.PatchAsJsonAsync("/api/settings/recommendations/movies", new { picksPerUser = 20 + cell * 5 });
        Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());
        await RunToSuccessAsync(JobNames.GenerateRecommendations);
    }

    private async Task ChangeTopPicksCountAsync(int cell)
    {
        using var admin = app.CreateClient(adminCookie);
        var patch = await admin.PatchAsJsonAsync("/api/settings/top-picks/movies", new { count = 3 + cell, minViewers = 1 });
        Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());
    }

    private async Task ResizeChannelsAsync(int cell)
    {
        using var owner = app.CreateClient(ownerCookie);
        var list = JsonDocument.Parse(await owner.GetStringAsync("/api/channels")).RootElement;
        foreach (var channel in ChannelArray(list))
        {
            var id = channel.GetProperty("id").GetInt64();
            var put = await owner.PutAsJsonAsync($"/api/channels/{id}", new { size = 12 + cell * 3 });
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }
    }

    private static IEnumerable<JsonElement> ChannelArray(JsonElement list) =>
        list.ValueKind == JsonValueKind.Array ? list.EnumerateArray()
            : list.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array).SelectMany(p => p.Value.EnumerateArray());

    // ---- snapshots: unit → a digest of its state

    private Task<Dictionary<string, string>> CatalogueAsync() => WithDbAsync(async db =>
        (await db.Titles.AsNoTracking().Where(t => t.Kind == MediaKind.Movie).Select(t => new { t.ServerItemId, t.Name, t.Overview }).ToListAsync())
        .ToDictionary(t => "title " + t.ServerItemId, t => $"{t.Name}|{t.Overview}"));

    private Task<Dictionary<string, string>> HistoryAsync() => WithDbAsync(async db =>
        (await db.WatchStates.AsNoTracking().Select(w => new { w.UserId, w.ServerItemId, w.Played, w.PlayCount, w.IsFavorite }).ToListAsync())
        .GroupBy(w => w.UserId)
        .ToDictionary(g => "history " + g.Key, g => Digest(g.Select(w => $"{w.ServerItemId}:{w.Played}:{w.PlayCount}:{w.IsFavorite}"))));

    private Task<Dictionary<string, string>> EmbeddingsAsync() => WithDbAsync(async db =>
        (await db.TitleEmbeddings.AsNoTracking().Where(e => e.Kind == MediaKind.Movie).Select(e => new { e.TitleId, e.ModelKey, e.ContentHash }).ToListAsync())
        .ToDictionary(e => $"vector {e.TitleId} {e.ModelKey}", e => e.ContentHash));

    private Task<Dictionary<string, string>> PicksAsync() => WithDbAsync(async db =>
        (await db.Picks.AsNoTracking().Where(p => p.Kind == MediaKind.Movie).Select(p => new { p.UserId, p.Rank, p.TitleId }).ToListAsync())
        .GroupBy(p => p.UserId)
        .ToDictionary(g => "picks " + g.Key, g => Digest(g.OrderBy(p => p.Rank).Select(p => $"{p.Rank}:{p.TitleId}"))));

    private async Task<Dictionary<string, string>> TopPicksAsync()
    {
        var units = Tree(root, "Top Picks");
        units["top picks list"] = await WithDbAsync(async db =>
            Digest((await db.TopPicks.AsNoTracking().Where(t => t.Kind == MediaKind.Movie).OrderBy(t => t.Rank).Select(t => new { t.Rank, t.TitleId }).ToListAsync())
                .Select(t => $"{t.Rank}:{t.TitleId}")));
        return units;
    }

    private async Task<Dictionary<string, string>> ChannelsAsync()
    {
        var units = await WithDbAsync(async db =>
        {
            var names = await db.Channels.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name);
            return (await db.ChannelEntries.AsNoTracking().Select(e => new { e.ChannelId, e.Rank, e.Title.ServerItemId }).ToListAsync())
            .GroupBy(e => names[e.ChannelId])
            .ToDictionary(g => $"channel {g.Key}", g => Digest(g.OrderBy(e => e.Rank).Select(e => e.ServerItemId), ordered: true));
        });
        // Every playlist of a name is in its unit: a replacement killed between making the new playlist and deleting the old one
        // leaves two, each of which must be whole.
        foreach (var group in server.State.Items.Where(i => i.Type == FakeItemType.Playlist).GroupBy(i => i.Name))
        {
            units[$"{ServerSide}playlist {group.Key}"] = string.Join(PlaylistSeparator, group
                .Select(playlist => Digest(server.State.Read(_ => playlist.LinkedItems.Select(e => e.ItemId).ToList()), ordered: true)).Order(StringComparer.Ordinal));
        }
        return units;
    }

    // One unit per top folder whose name starts with the prefix: every file's relative path and content.
    private static Dictionary<string, string> Tree(string folder, string prefix)
    {
        var units = new Dictionary<string, string>();
        foreach (var top in Directory.GetDirectories(folder).Where(d => Path.GetFileName(d).StartsWith(prefix, StringComparison.Ordinal)))
        {
            var entries = Directory.GetFileSystemEntries(top, "*", SearchOption.AllDirectories)
                .Select(p => Directory.Exists(p) ? $"{Path.GetRelativePath(top, p)}/" : $"{Path.GetRelativePath(top, p)}={Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p)))[..12]}");
            units["folder " + Path.GetFileName(top)] = Digest(entries);
        }
        // Leftovers of a write (temp or swap folders) are units of their own: they must be gone after a restart and rerun.
        foreach (var other in Directory.GetDirectories(folder).Where(d => !Path.GetFileName(d).StartsWith("AI Picks - ", StringComparison.Ordinal)
            && !Path.GetFileName(d).StartsWith("Top Picks", StringComparison.Ordinal)))
        {
            units["leftover " + Path.GetFileName(other)] = "present";
        }
        return units;
    }

    private static string Digest(IEnumerable<string> parts, bool ordered = false)
    {
        var list = ordered ? parts.ToList() : parts.Order(StringComparer.Ordinal).ToList();
        return $"{list.Count}:{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", list))))[..16]}";
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
        if (server is not null)
        {
            await server.DisposeAsync();
        }
        await TestDatabase.DropAsync(databaseUrl);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var folder in new[] { data, root })
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
