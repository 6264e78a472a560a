using System.Diagnostics;
using System.Globalization;
using Aperture.Progress;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Load;
using Aperture.Tests.Infrastructure;

namespace Aperture.Tests.Load;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadCollection
{
    public const string Name = "Load";
}

// Issue 18's load proof, in the suite: 50 signed-in clients on loopback for 60 s over My Picks, Browse, search, the picks API,
// a cached poster, a title page and My Taste (LoadDriver, the same load as `Aperture.Bench load`) while picks runs are going
// one after another, on a synthetic catalogue (FakeCatalogGenerator: 2,000 movies, 50 users, 20,000 played rows; the suite
// never reads ../shared/data). It asserts what must hold on any machine: not one error (an exception or an answer other
// than 2xx/304), every picks run succeeds, and the managed heap after a full collection comes back near its level before the
// load (LiveHeapToleranceMb). Latencies and rates are printed, never asserted: this machine's load decides them. It runs
// alone (no other test shares the process's heap or cores meanwhile).
[Collection(LoadCollection.Name)]
[Trait("Category", "Load")]
public sealed class LoadTests(ITestOutputHelper output)
{
    private const int Clients = 50;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);

    // The live heap may end this much above where it started: what the load legitimately leaves cached per instance (the
    // poster index, the 15 s session cache, the catalogue memo, each user's kept page data (DataMemo, tens of KB per user), the
    // kept My Picks grids (at most 16 MB), EF's query caches for the routes, Kestrel's and the clients' connection pools, the
    // recorded latencies). Measured: 38 -> 43 MB on SQLite; 36 -> 57 MB with the My Picks grids kept unbounded (50 users' grids).
    // A leak of the kind issue 18 found (a request's body or page kept) is above it within the first thousand requests.
    private const long LiveHeapToleranceMb = 32;

    [Fact]
    public async Task Fifty_clients_for_a_minute_while_picks_runs_go_get_no_errors_and_the_heap_returns_to_its_idle_level()
    {
        var setup = Stopwatch.StartNew();
        FakeCatalog catalog = null!;
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin,
            b => catalog = FakeCatalogGenerator.Generate(b, movies: 2000, series: 0, episodesPerSeries: 0, users: Clients, historyRows: 20_000));
        await using var app = new AppFactory().With("MediaServer:TimeoutSeconds", "60").With("Logging:LogLevel:Default", "Warning");
        app.UseKestrel(0);
        app.StartServer();
        await app.ConnectAsync(server);

        using var handler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = int.MaxValue };
        using var http = new HttpClient(handler) { BaseAddress = app.ServerAddress, Timeout = TimeSpan.FromMinutes(2) };
        var users = catalog.Users.Select(u => (u.Name, "password")).ToList();
        var admin = await LoadDriver.LoginAsync(http, users[0].Name, "password");
        foreach (var job in (string[])[JobNames.SyncMovies, JobNames.FullSyncWatchHistory, JobNames.GenerateEmbeddings, JobNames.GenerateRecommendations])
        {
            Assert.Equal("succeeded", await LoadDriver.RunJobAsync(http, admin, job));
            if (job == JobNames.FullSyncWatchHistory)
            {
                await LoadDriver.EnablePicksAsync(http, admin);
            }
        }
        var (signedIn, problem) = await LoadDriver.SignInClientsAsync(http, users, Clients);
        Assert.True(signedIn is not null, problem);
        var clients = signedIn;
        // Warm-up (JIT, EF's compiled queries, pools), not counted.
        var warm = await LoadDriver.RunAsync(http, clients, TimeSpan.FromSeconds(3));
        Assert.Equal(0, warm.Values.Sum(s => s.Errors));
        output.WriteLine($"setup (catalogue, pipeline, {Clients} sign-ins, warm-up) {setup.Elapsed.TotalSeconds:0.0} s");

        var idleHeap = LiveHeapMb();
        // Picks runs one after another for the whole load: a picks run is always going.
        using var loadOver = new CancellationTokenSource();
        var picks = Task.Run(async () =>
        {
            var outcomes = new List<(string Status, double Seconds)>();
            while (!loadOver.IsCancellationRequested)
            {
                var run = Stopwatch.StartNew();
                outcomes.Add((await LoadDriver.RunJobAsync(http, admin, JobNames.GenerateRecommendations), run.Elapsed.TotalSeconds));
            }
            return outcomes;
        });
        var wall = Stopwatch.StartNew();
        var stats = await LoadDriver.RunAsync(http, clients, Duration);
        var elapsed = wall.Elapsed;
        await loadOver.CancelAsync();
        var runs = await picks;
        var afterHeap = LiveHeapMb();

        var requests = stats.Values.Sum(s => s.Milliseconds.Count + s.Errors);
        output.WriteLine($"{Clients} clients for {elapsed.TotalSeconds:0.0} s on {TestDatabase.Name} while {runs.Count} picks runs went "
            + $"({string.Join(", ", runs.Select(r => $"{r.Status} in {r.Seconds:0.0} s"))}): {requests:N0} requests, "
            + $"{requests / elapsed.TotalSeconds:0.0} requests/s; {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        output.WriteLine(LoadDriver.Table(stats, elapsed));
        output.WriteLine($"live managed heap after a full GC: {idleHeap} MB before the load, {afterHeap} MB after (tolerance {LiveHeapToleranceMb} MB)");

        Assert.All(stats, s => Assert.True(s.Value.Errors == 0, $"{s.Key}: {s.Value.Errors} errors, first: {s.Value.FirstError}"));
        Assert.All(LoadDriver.Routes, r => Assert.NotEmpty(stats[r.Name].Milliseconds));
        Assert.NotEmpty(runs);
        Assert.All(runs, r => Assert.Equal("succeeded", r.Status));
        Assert.True(afterHeap - idleHeap <= LiveHeapToleranceMb,
            $"the live heap grew from {idleHeap} MB to {afterHeap} MB over the load (more than {LiveHeapToleranceMb} MB)");
    }

    // Everything reachable after a full blocking collection, large objects compacted: what the process keeps, not its garbage.
    private static long LiveHeapMb()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true) / 1_048_576;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
