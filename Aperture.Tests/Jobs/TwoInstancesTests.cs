using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Npgsql;
using Quartz;
using JobRunStatus = Aperture.Data.JobRunStatus;
using Aperture.Data;
using Aperture.Progress;

namespace Aperture.Tests.Jobs;

// Two app hosts on one PostgreSQL database, as two instances of a cluster: every run, cancel, session and setting is
// shared through the database. Instance A reaches PostgreSQL through a TcpCutter, so the test can make it die on the spot
// (no heartbeat, no final write, no Quartz check-in) the way a killed process does, while B goes on.
public sealed class TwoInstancesTests(ITestOutputHelper output)
{
    private const string Secret = "two instances share this secret";

    // Short windows so the test does not wait a minute: heartbeat every second, stale after five (sweep every 2.5 s),
    // and Quartz declares a silent instance dead after about three seconds instead of fifteen.
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(5);

    private sealed class Cluster(FakeMediaServer server, AppFactory a, AppFactory b, TcpCutter cutter) : IAsyncDisposable
    {
        public FakeMediaServer Server { get; } = server;
        public AppFactory A { get; } = a;
        public AppFactory B { get; } = b;
        public TcpCutter Cutter { get; } = cutter;
        public HttpClient AdminA { get; set; } = null!;
        public HttpClient AdminB { get; set; } = null!;

        public async ValueTask DisposeAsync()
        {
            // A is torn down first: it may be "dead" (cut off), and B owns nothing it needs. A dead instance cannot stop
            // cleanly (its host's stop times out talking to a database it cannot reach); that is not what is proved here.
            try
            {
                await A.DisposeAsync();
            }
            catch (Exception) when (Cutter.IsCut)
            {
            }
            await Cutter.DisposeAsync();
            await B.DisposeAsync();
            await Server.DisposeAsync();
        }
    }

    private static async Task<Cluster> StartAsync()
    {
        var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            var admin = b.User("Admin", "pw", admin: true);
            var alice = b.User("alice", "pw");
            var bob = b.User("bob", "pw");
            b.MovieLibrary("Movies");
            var recent = DateTimeOffset.UtcNow.AddDays(-2);
            var popular = b.Movie("Popular", 2001, tmdb: "1");
            var liked = b.Movie("Liked", 2002, tmdb: "2");
            b.Movie("Solo", 2003, tmdb: "3");
            foreach (var user in new[] { admin, alice, bob })
            {
                b.Played(user, popular, lastPlayed: recent);
            }
            b.Played(alice, liked, playCount: 3, lastPlayed: recent);
            b.Played(bob, liked, lastPlayed: recent);
        });
        // B is built first and owns the database; A is the same install reaching PostgreSQL through the cutter.
        var b = new AppFactory().WithTestJobs()
            .With("SESSION_SECRET", Secret)
            // Two hosts and a fake on a busy machine: the default 2 s test timeout made the first connect fail once.
            .With("MediaServer:TimeoutSeconds", "20")
            .With("Jobs:HeartbeatInterval", Heartbeat.ToString())
            .With("Jobs:StaleAfter", StaleAfter.ToString())
            .With("Jobs:ClusterCheckinInterval", "00:00:01")
            .With("Jobs:ClusterCheckinMisfireThreshold", "00:00:02");
        var direct = new NpgsqlConnectionStringBuilder(b.DatabaseUrl);
        var cutter = new TcpCutter(direct.Host!, direct.Port);
        var a = b.AnotherInstance().With("DATABASE_URL", new NpgsqlConnectionStringBuilder(b.DatabaseUrl) { Port = cutter.Port }.ConnectionString);
        var cluster = new Cluster(server, a, b, cutter);
        await b.ConnectAsync(server);
        cluster.AdminB = await b.SignedInClientAsync("Admin", "pw");
        cluster.AdminA = await a.SignedInClientAsync("Admin", "pw");
        return cluster;
    }

    private static void SkipUnlessPostgres()
    {
        if (!TestDatabase.IsPostgres)
        {
            Assert.Skip("Two instances share one database only on PostgreSQL (on SQLite one process holds the data folder); "
                + "this runs in the PostgreSQL pass of ./test.sh");
        }
    }

    private static async Task<string> InstanceIdAsync(AppFactory app) =>
        (await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler()).SchedulerInstanceId;

    // Only `app` fires triggers for a while: the other scheduler is put in standby (its API still answers).
    private static async Task StandbyAsync(AppFactory app) => await (await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler()).Standby();

    private static async Task ResumeAsync(AppFactory app) => await (await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler()).Start();

    private static async Task<long> RunNowAsync(HttpClient client, string job)
    {
        var response = await client.PostAsJsonAsync($"/api/jobs/{job}/run", new { });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("runId").GetInt64();
    }

    private static async Task<JsonElement> JobAsync(HttpClient client, string name)
    {
        var all = JsonDocument.Parse(await client.GetStringAsync("/api/jobs")).RootElement;
        return all.EnumerateArray().Single(j => j.GetProperty("name").GetString() == name).Clone();
    }

    private static Task<JobRun> RowAsync(AppFactory app, long runId) =>
        app.WithDbAsync(db => db.JobRuns.AsNoTracking().SingleAsync(r => r.Id == runId));

    private static async Task<JobRun> WaitAsync(AppFactory app, long runId, Func<JobRun, bool> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var run = await RowAsync(app, runId);
            if (condition(run))
            {
                return run;
            }
            Assert.True(DateTime.UtcNow < deadline, $"run {runId} did not get there in {seconds} s; last seen {run.Status} {run.Current}/{run.Total} {run.Error}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_job_started_on_one_instance_shows_its_progress_on_the_other_and_a_cancel_there_stops_it()
    {
        SkipUnlessPostgres();
        await using var c = await StartAsync();
        // Started from A; Quartz fires it on whichever instance acquires the trigger first (nearly always A, whose
        // scheduler the request wakes). "Runner" is that instance, "other" the one that watches and cancels.
        var runId = await RunNowAsync(c.AdminA, GatedJob.Name);
        var started = await Task.WhenAny(c.A.Probe().Started.Task, c.B.Probe().Started.Task).WaitAsync(TimeSpan.FromSeconds(90));
        var (runner, other, otherAdmin) = started == c.A.Probe().Started.Task ? (c.A, c.B, c.AdminB) : (c.B, c.A, c.AdminA);
        var probe = runner.Probe();
        output.WriteLine($"run started on A, fired on {(runner == c.A ? "A" : "B")}");
        Assert.Equal(await InstanceIdAsync(runner), (await RowAsync(other, runId)).InstanceId);

        // Two steps on the runner; the other's API shows them.
        probe.Release(GatedJob.Name, 2);
        await WaitAsync(other, runId, r => r.Current == 2);
        var seen = await JobAsync(otherAdmin, GatedJob.Name);
        Assert.Equal("running", seen.GetProperty("state").GetString());
        var current = seen.GetProperty("current");
        Assert.Equal(runId, current.GetProperty("id").GetInt64());
        Assert.Equal(2, current.GetProperty("current").GetInt64());
        Assert.Equal(GatedJob.Steps, current.GetProperty("total").GetInt64());
        Assert.Equal("Step 2 of 4", current.GetProperty("message").GetString());

        // Cancel on the other: the runner's job stops (it never takes a third step) and only then is the run Cancelled.
        var timer = Stopwatch.StartNew();
        var cancel = await otherAdmin.PostAsJsonAsync($"/api/jobs/{GatedJob.Name}/cancel", new { });
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var run = await WaitAsync(other, runId, r => !JobRunService.Active.Contains(r.Status));
        output.WriteLine($"cancel on the other instance → run Cancelled by the runner after {timer.ElapsedMilliseconds} ms");
        Assert.Equal(JobRunStatus.Cancelled, run.Status);
        Assert.True(probe.Exited.Task.IsCompleted);
        Assert.Equal(2, probe.StepsDone);
        Assert.Equal(0, other.Probe().Runs);
        Assert.Equal("cancelled", (await JobAsync(c.AdminA, GatedJob.Name)).GetProperty("lastRun").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Run_now_on_both_instances_at_once_starts_the_job_once_in_each_of_ten_races()
    {
        SkipUnlessPostgres();
        await using var c = await StartAsync();
        for (var race = 1; race <= 10; race++)
        {
            // The run that gets in stays running until both answers are in, so the second request always meets an active run.
            var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            c.A.Probe().HoldLocked = hold;
            c.B.Probe().HoldLocked = hold;
            using var go = new ManualResetEventSlim();
            var fromA = Task.Run(() => { go.Wait(); return c.AdminA.PostAsJsonAsync($"/api/jobs/{LockedJob.Name}/run", new { }); });
            var fromB = Task.Run(() => { go.Wait(); return c.AdminB.PostAsJsonAsync($"/api/jobs/{LockedJob.Name}/run", new { }); });
            go.Set();
            var codes = (await Task.WhenAll(fromA, fromB)).Select(r => r.StatusCode).Order().ToList();
            hold.SetResult();
            Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Conflict], codes);
            // Let that run end before the next race.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await c.B.WithDbAsync(db => db.JobRuns.AnyAsync(r => r.JobName == LockedJob.Name && JobRunService.Active.Contains(r.Status))))
            {
                Assert.True(DateTime.UtcNow < deadline, $"race {race}: the run did not end");
                await Task.Delay(50);
            }
        }
        var runs = await c.B.WithDbAsync(db => db.JobRuns.Where(r => r.JobName == LockedJob.Name).Select(r => r.Status).ToListAsync());
        Assert.Equal(10, runs.Count);
        Assert.All(runs, s => Assert.Equal(JobRunStatus.Succeeded, s));
        Assert.Equal(10, c.A.Probe().LockedRuns + c.B.Probe().LockedRuns);
        output.WriteLine($"10 races: 10 runs (A ran {c.A.Probe().LockedRuns}, B ran {c.B.Probe().LockedRuns}), every second request 409");
    }

    [Fact]
    public async Task A_killed_instance_s_run_is_marked_interrupted_by_the_other_within_the_heartbeat_window_and_runs_again_there()
    {
        SkipUnlessPostgres();
        await using var c = await StartAsync();
        await StandbyAsync(c.B);
        var runId = await RunNowAsync(c.AdminA, GatedJob.Name);
        var probeA = c.A.Probe();
        await probeA.Started.Task.WaitAsync(TimeSpan.FromSeconds(90));
        await ResumeAsync(c.B);
        probeA.Release(GatedJob.Name);
        await WaitAsync(c.B, runId, r => r.Current == 1);

        // While A is alive, B never takes its run for dead, however long it goes.
        await Task.Delay(StaleAfter * 1.5 + Heartbeat);
        var alive = await RowAsync(c.B, runId);
        Assert.Equal(JobRunStatus.Running, alive.Status);
        Assert.True(DateTimeOffset.UtcNow - alive.HeartbeatAt < StaleAfter, $"heartbeat {alive.HeartbeatAt:O}");

        // A dies: from now on it writes nothing (no heartbeat, no final status, no Quartz check-in).
        var lastHeartbeat = alive.HeartbeatAt!.Value;
        c.Cutter.Cut();
        var killed = Stopwatch.StartNew();
        var run = await WaitAsync(c.B, runId, r => r.Status != JobRunStatus.Running, seconds: 60);
        var interruptedAfter = killed.Elapsed;
        Assert.Equal(JobRunStatus.Interrupted, run.Status);
        Assert.Equal("Interrupted: the instance running it stopped sending heartbeats.", run.Error);
        Assert.Equal(1, run.Current);
        // The bound README gives: the heartbeat goes stale after StaleAfter, and B's sweep runs every StaleAfter / 2.
        var bound = StaleAfter + StaleAfter / 2 + Heartbeat;
        Assert.True(run.FinishedAt!.Value - lastHeartbeat <= bound + TimeSpan.FromSeconds(3),
            $"interrupted {run.FinishedAt - lastHeartbeat} after the last heartbeat; the window is {bound}");
        Assert.True(run.FinishedAt!.Value - lastHeartbeat >= StaleAfter, "marked before its heartbeat was stale");
        Assert.Equal("interrupted", (await JobAsync(c.AdminB, GatedJob.Name)).GetProperty("lastRun").GetProperty("status").GetString());

        // B runs it again, to the end.
        var rerun = await RunNowAsync(c.AdminB, GatedJob.Name);
        var probeB = c.B.Probe();
        probeB.Release(GatedJob.Name, GatedJob.Steps);
        var done = await WaitAsync(c.B, rerun, r => !JobRunService.Active.Contains(r.Status), seconds: 60);
        Assert.Equal(JobRunStatus.Succeeded, done.Status);
        Assert.Equal(await InstanceIdAsync(c.B), done.InstanceId);
        Assert.Equal(GatedJob.Steps, probeB.StepsDone);
        output.WriteLine($"Interrupted on B {interruptedAfter.TotalSeconds:F1} s after A was cut off "
            + $"({(run.FinishedAt!.Value - lastHeartbeat).TotalSeconds:F1} s after A's last heartbeat; window {bound.TotalSeconds:F1} s); "
            + $"rerun on B Succeeded {(done.FinishedAt!.Value - run.FinishedAt!.Value).TotalSeconds:F1} s later");
    }

    [Fact]
    public async Task A_session_from_one_instance_works_on_the_other_and_a_setting_saved_on_one_is_used_by_the_other_s_next_job()
    {
        SkipUnlessPostgres();
        await using var c = await StartAsync();

        // Signed in on A, the same cookie on B: B knows the session (and ends it when A signs out).
        var login = await c.A.CreateBrowserlessClient().LoginAsync("alice", "pw");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var session = SetCookieHeaderValue.ParseList(login.Headers.GetValues("Set-Cookie").ToList()).Single(h => h.Name == "aperture.session");
        var cookie = $"{session.Name}={session.Value}";
        Assert.Equal(HttpStatusCode.OK, await MeAsync(c.B, cookie));
        using (var logout = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout") { Content = JsonContent.Create(new { }) })
        {
            logout.Headers.Add("Cookie", cookie);
            Assert.Equal(HttpStatusCode.NoContent, (await c.B.CreateClient(new() { HandleCookies = false, AllowAutoRedirect = false }).SendAsync(logout)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(c.A, cookie));

        // The history both Top Picks runs read.
        await c.B.RunJobAsync(JobNames.SyncMovies);
        await c.B.RunJobAsync(JobNames.SyncWatchHistory);
        // The list only: the shared library's files are another proof's business.
        Assert.Equal(HttpStatusCode.OK, (await c.AdminB.PatchAsJsonAsync("/api/settings/top-picks/movies", new { outputs = new { library = false } })).StatusCode);
        await StandbyAsync(c.A);
        var first = await RunNowAsync(c.AdminB, JobNames.RefreshTopPicks);
        Assert.Equal(JobRunStatus.Succeeded, (await WaitAsync(c.B, first, r => !JobRunService.Active.Contains(r.Status))).Status);
        Assert.Equal(["Popular", "Liked"], await TopPicksAsync(c.AdminB));

        // Saved on A, used by B's next run (which B, not A, runs).
        var patch = await c.AdminA.PatchAsJsonAsync("/api/settings/top-picks/movies", new { count = 1 });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var second = await RunNowAsync(c.AdminB, JobNames.RefreshTopPicks);
        var run = await WaitAsync(c.B, second, r => !JobRunService.Active.Contains(r.Status));
        Assert.Equal(JobRunStatus.Succeeded, run.Status);
        Assert.Equal(await InstanceIdAsync(c.B), run.InstanceId);
        Assert.Equal(["Popular"], await TopPicksAsync(c.AdminA));
    }

    private static async Task<HttpStatusCode> MeAsync(AppFactory app, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        request.Headers.Add("Cookie", cookie);
        return (await app.CreateClient(new() { HandleCookies = false, AllowAutoRedirect = false }).SendAsync(request)).StatusCode;
    }

    private static async Task<List<string?>> TopPicksAsync(HttpClient client)
    {
        var list = JsonDocument.Parse(await client.GetStringAsync("/api/top-picks/movies")).RootElement;
        return list.GetProperty("picks").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
    }
}
