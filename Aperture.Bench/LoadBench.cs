using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Progress;
using Aperture.Load;

namespace Aperture.Bench;

// Many browsers at once against the real app: the built Aperture.dll runs as its own process (so its CPU time and resident
// memory are its own) on 127.0.0.1, against a fake Jellyfin in this process holding the MovieLens catalogue, its users and
// their ratings as played history. The pipeline runs once through the API (catalogue, history, embeddings, picks) so the
// pages have something to show, then every client signs in as its own user and loops over the pages for a fixed time.
// --during-picks runs a generate-recommendations run at the same time (and waits for memory to settle after it).
//
// The clients and their routes are LoadDriver's, shared with the suite's Load test. Loopback only, bounded by --seconds. The load generator shares the 2 cores with the app: its own CPU is printed too.
internal static class LoadBench
{
    private sealed record Options(int Clients, int Seconds, int WarmupSeconds, int Users, bool DuringPicks, int PerRouteSeconds, string? AppDll);

    public static async Task<int> RunAsync(string[] args)
    {
        if (Parse(args) is not { } o)
        {
            await Console.Error.WriteLineAsync("options: --clients N (50) --seconds N (60) --warmup N (5) --users N (610) --during-picks --per-route N (s per route alone, before) --app <Aperture.dll>");
            return 2;
        }
        if (MovieLens.FindFolder() is not { } folder)
        {
            await Console.Error.WriteLineAsync("MovieLens not found (../shared/data/movielens-small)");
            return 2;
        }
        var dll = o.AppDll ?? FindAppDll();
        if (dll is null || !File.Exists(dll))
        {
            await Console.Error.WriteLineAsync("Aperture.dll not found: build it (dotnet build Aperture -c Release) or pass --app");
            return 2;
        }

        Console.WriteLine($"MovieLens from {folder}; app {dll}");
        var ml = MovieLens.Load(folder);
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b => Seed(b, ml, o.Users));
        Console.WriteLine($"fake Jellyfin at {server.BaseUrl}: {ml.Items.Count:N0} movies, {o.Users} users");

        var port = FreePort();
        var data = Directory.CreateTempSubdirectory("aperture-load-").FullName;
        using var app = StartApp(dll, port, data, server);
        try
        {
            return await RunAgainstAsync(app, new Uri($"http://127.0.0.1:{port}"), o);
        }
        catch (HttpRequestException) when (app.HasExited)
        {
            Console.WriteLine($"the app exited with {app.ExitCode}; its last lines:");
            lock (LastLines)
            {
                foreach (var line in LastLines)
                {
                    Console.WriteLine("  app: " + line);
                }
            }
            return 1;
        }
        finally
        {
            if (!app.HasExited)
            {
                app.Kill(entireProcessTree: true);
                await app.WaitForExitAsync();
            }
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // Left to the OS's temp cleaning.
            }
        }
    }

    // A line of /proc/<pid>/status in MB ("?" where there is no /proc).
    private static string Memory(int pid, string field)
    {
        var path = $"/proc/{pid}/status";
        if (!File.Exists(path))
        {
            return "?";
        }
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return line is null ? "?" : (long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).ToString("N0", CultureInfo.InvariantCulture);
    }

    private static async Task<int> RunAgainstAsync(Process app, Uri baseAddress, Options o)
    {
        using var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        };
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        await WaitHealthyAsync(http, app);

        var admin = await LoadDriver.LoginAsync(http, "admin", "admin");
        // The app's own resident memory, read from outside as a self-hoster's `ps` or container stats would: idle after start,
        // and its peak (VmHWM) over the pipeline below. The pipeline bench's figures are of the jobs hosted without the web
        // host; this is the whole app (Kestrel, pages, Quartz and its job store, the run's progress stream).
        Console.WriteLine($"app RSS idle after start {Memory(app.Id, "VmRSS")} MB");
        var pipeline = Stopwatch.StartNew();
        foreach (var job in (string[])[JobNames.SyncMovies, JobNames.FullSyncWatchHistory, JobNames.GenerateEmbeddings, JobNames.GenerateRecommendations])
        {
            var started = Stopwatch.StartNew();
            var status = await LoadDriver.RunJobAsync(http, admin, job);
            Console.WriteLine($"  {job}: {status} in {started.Elapsed.TotalSeconds:0.0} s");
            if (status != "succeeded")
            {
                return 1;
            }
            if (job == JobNames.FullSyncWatchHistory)
            {
                Console.WriteLine($"  picks switched on for {await LoadDriver.EnablePicksAsync(http, admin)} users");
            }
        }
        Console.WriteLine($"pipeline ready in {pipeline.Elapsed.TotalSeconds:0.0} s; app peak RSS during it {Memory(app.Id, "VmHWM")} MB, now {Memory(app.Id, "VmRSS")} MB");

        var (signedIn, problem) = await LoadDriver.SignInClientsAsync(http,
            [.. Enumerable.Range(1, o.Users).Select(i => ($"u{i}", "pw"))], o.Clients);
        if (signedIn is not { } clients)
        {
            Console.WriteLine(problem);
            return 1;
        }
        Console.WriteLine($"{clients.Count} clients signed in as {clients.Select(c => c.UserId).Distinct().Count()} users");

        // Warm-up: JIT, EF's compiled models and query caches, connection pools; not counted.
        await LoadDriver.RunAsync(http, clients, TimeSpan.FromSeconds(o.WarmupSeconds));
        await Task.Delay(TimeSpan.FromSeconds(2));

        // The plain load first; with --during-picks the same load again while a picks run is going.
        if (o.PerRouteSeconds > 0)
        {
            await PerRouteAsync(http, app, clients, o);
        }
        var ok = await PhaseAsync(http, app, admin, clients, o, duringPicks: false);
        if (o.DuringPicks)
        {
            Console.WriteLine();
            ok &= await PhaseAsync(http, app, admin, clients, o, duringPicks: true);
        }
        return ok ? 0 : 1;
    }

    private static async Task<bool> PhaseAsync(HttpClient http, Process app, string admin, List<LoadClient> clients, Options o, bool duringPicks)
    {
        var idle = Sample(app);
        Console.WriteLine($"idle: RSS {idle.RssMb:N0} MB, load average {LoadAverage()}");

        Task<string>? picksRun = null;
        var picksWatch = new Stopwatch();
        if (duringPicks)
        {
            picksWatch.Start();
            picksRun = LoadDriver.RunJobAsync(http, admin, JobNames.GenerateRecommendations);
        }

        var peakRss = idle.RssMb;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakRss = Math.Max(peakRss, Sample(app).RssMb);
                try
                {
                    await Task.Delay(200, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });

        using var self = Process.GetCurrentProcess();
        var selfCpu = self.TotalProcessorTime;
        var before = Sample(app);
        var wall = Stopwatch.StartNew();
        var stats = await LoadDriver.RunAsync(http, clients, TimeSpan.FromSeconds(o.Seconds));
        var elapsed = wall.Elapsed;
        var after = Sample(app);
        self.Refresh();
        var loadCpu = self.TotalProcessorTime - selfCpu;
        var loadAverage = LoadAverage();
        string? picksStatus = null;
        if (picksRun is not null)
        {
            picksStatus = await picksRun;
            Console.WriteLine($"generate-recommendations during the load: {picksStatus} in {picksWatch.Elapsed.TotalSeconds:0.0} s");
        }
        await sampling.CancelAsync();
        await sampler;

        var all = stats.Values.SelectMany(s => s.Milliseconds).ToList();
        var requests = all.Count + stats.Values.Sum(s => s.Errors);
        Console.WriteLine();
        Console.WriteLine($"{o.Clients} clients for {elapsed.TotalSeconds:0.0} s{(duringPicks ? " while generate-recommendations ran" : "")}: "
            + $"{requests:N0} requests, {requests / elapsed.TotalSeconds:N0} requests/s");
        Console.Write(LoadDriver.Table(stats, elapsed));
        var appCpu = after.Cpu - before.Cpu;
        Console.WriteLine($"app CPU {appCpu.TotalSeconds:0.0} s = {appCpu.TotalMilliseconds / Math.Max(requests, 1):0.00} ms per request"
            + $"{(duringPicks ? " (includes the picks run)" : "")}; load generator CPU {loadCpu.TotalSeconds:0.0} s");
        Console.WriteLine($"app RSS: idle {idle.RssMb:N0} MB, peak {peakRss:N0} MB, at the end {after.RssMb:N0} MB");
        Console.WriteLine($"load average at the end {loadAverage}; {Environment.ProcessorCount} cores");

        if (duringPicks)
        {
            // Memory back to its idle level: the picks run's garbage is collected once the app is idle again.
            for (var i = 0; i < 6; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                Console.WriteLine($"  {5 * (i + 1),3} s after: RSS {Sample(app).RssMb:N0} MB (idle before {idle.RssMb:N0} MB)");
            }
        }
        return picksStatus is null or "succeeded";
    }

    // Where the app's CPU goes: each route alone for a few seconds, its CPU ms per request and latency.
    private static async Task PerRouteAsync(HttpClient http, Process app, List<LoadClient> clients, Options o)
    {
        Console.WriteLine();
        Console.WriteLine($"each route alone, {o.Clients} clients, {o.PerRouteSeconds} s:");
        Console.WriteLine($"{"route",-16} {"requests/s",10} {"p50 ms",8} {"p95 ms",8} {"app CPU ms/request",19}  load average");
        foreach (var route in LoadDriver.Routes)
        {
            var before = Sample(app);
            var wall = Stopwatch.StartNew();
            var stats = (await LoadDriver.RunAsync(http, clients, TimeSpan.FromSeconds(o.PerRouteSeconds), [route]))[route.Name];
            var cpu = (Sample(app).Cpu - before.Cpu).TotalMilliseconds;
            var count = stats.Milliseconds.Count + stats.Errors;
            Console.WriteLine($"{route.Name,-16} {count / wall.Elapsed.TotalSeconds,10:N0} {LoadDriver.Percentile(stats.Milliseconds, 0.5),8:0.0} {LoadDriver.Percentile(stats.Milliseconds, 0.95),8:0.0} "
                + $"{cpu / Math.Max(count, 1),19:0.00}  {LoadAverage()}{(stats.Errors > 0 ? $" ({stats.Errors} errors)" : "")}");
        }
        Console.WriteLine();
    }

    private static async Task WaitHealthyAsync(HttpClient http, Process app)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (app.HasExited)
            {
                throw new InvalidOperationException($"the app exited with {app.ExitCode}");
            }
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException("the app did not become healthy within 2 minutes");
    }

    private static (TimeSpan Cpu, long RssMb) Sample(Process app)
    {
        app.Refresh();
        return (app.TotalProcessorTime, app.WorkingSet64 / 1048576);
    }

    private static Process StartApp(string dll, int port, string data, FakeMediaServer server)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll },
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["APERTURE_DATA_DIR"] = data;
        start.Environment["DATABASE_URL"] = "";
        start.Environment["MEDIA_SERVER_BASE_URL"] = server.BaseUrl;
        start.Environment["MEDIA_SERVER_API_KEY"] = server.ApiKey;
        start.Environment["MediaServer__TimeoutSeconds"] = "120";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the app");
        // Drained so the app never blocks on a full pipe; warnings and errors are shown.
        process.OutputDataReceived += (_, e) => Print(e.Data);
        process.ErrorDataReceived += (_, e) => Print(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // The app's last lines, shown when it dies under the load (its crash is otherwise filtered out).
    private static readonly Queue<string> LastLines = new();

    private static void Print(string? line)
    {
        if (line is not null)
        {
            lock (LastLines)
            {
                LastLines.Enqueue(line);
                if (LastLines.Count > 40)
                {
                    LastLines.Dequeue();
                }
            }
        }
        if (line is { Length: > 0 } && (line.Contains("warn", StringComparison.Ordinal) || line.Contains("fail", StringComparison.Ordinal)
            || line.Contains("crit", StringComparison.Ordinal) || line.StartsWith("Aperture", StringComparison.Ordinal)))
        {
            Console.WriteLine("  app: " + line);
        }
    }

    // The catalogue as a Jellyfin would hold it, each MovieLens user a server user whose ratings are played movies.
    private static void Seed(FakeLibraryBuilder b, MovieLens ml, int users)
    {
        b.User("admin", "admin", admin: true);
        var library = b.MovieLibrary("Movies");
        var items = new Dictionary<int, FakeItem>();
        foreach (var (id, doc) in ml.ById)
        {
            var people = doc.Directors.Select(FakePerson.Director).Concat(doc.Cast.Select(n => FakePerson.Actor(n)));
            items[id] = b.Movie(doc.Name, doc.Year, doc.Genres, doc.Overview, people, tmdb: id.ToString(CultureInfo.InvariantCulture),
                communityRating: ml.Community.TryGetValue(id, out var c) ? c.Average : null, tags: doc.Tags, runtimeMinutes: 100, library: library);
        }
        var fakeUsers = new Dictionary<int, FakeUser>();
        foreach (var rating in ml.Ratings)
        {
            if (rating.UserId > users || !items.TryGetValue(rating.MovieId, out var item))
            {
                continue;
            }
            if (!fakeUsers.TryGetValue(rating.UserId, out var user))
            {
                fakeUsers[rating.UserId] = user = b.User($"u{rating.UserId}", "pw");
            }
            b.Played(user, item, lastPlayed: DateTimeOffset.FromUnixTimeSeconds(rating.Timestamp), favorite: rating.Rating >= 5, rating: rating.Rating * 2);
        }
    }

    private static string? FindAppDll()
    {
        // The bench's own configuration (Release for figures) built the app next to it in the repository.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Release";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aperture.sln")))
            {
                return Directory.EnumerateFiles(Path.Combine(dir.FullName, "Aperture", "bin", configuration), "Aperture.dll", SearchOption.AllDirectories)
                    .FirstOrDefault();
            }
        }
        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static Options? Parse(string[] args)
    {
        int clients = 50, seconds = 60, warmup = 5, users = 610, perRoute = 0;
        var during = false;
        string? dll = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : "";
            bool Int(out int value) => int.TryParse(Next(), CultureInfo.InvariantCulture, out value) && value > 0;
            var ok = args[i] switch
            {
                "--clients" => Int(out clients) && clients <= 1000,
                "--seconds" => Int(out seconds) && seconds <= 3600,
                "--warmup" => Int(out warmup),
                "--users" => Int(out users),
                "--during-picks" => during = true,
                "--per-route" => Int(out perRoute),
                "--app" => (dll = Next()).Length > 0,
                _ => false,
            };
            if (!ok)
            {
                return null;
            }
        }
        return new Options(clients, seconds, warmup, users, during, perRoute, dll);
    }
}
