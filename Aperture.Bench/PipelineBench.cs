using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Aperture.Data;
using Aperture.Fakes;
using Aperture.Jobs;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;

namespace Aperture.Bench;

// The whole pipeline through the app's real jobs (catalogue, full history, embeddings, picks, STRM libraries, Top Picks)
// against a fake Jellyfin that runs in a CHILD process, so this process's resident memory is the app's alone: its peak
// (VmHWM, reset before each job through /proc/self/clear_refs) is the figure the memory budget is about.
//
//   pipeline movielens      9,742 MovieLens titles x 610 users, history from the ratings (SQLite)
//   pipeline synthetic      20,000 generated titles x 50 users x 200,000 history rows (SQLite)
//   pipeline large          100,000 generated titles x 1,000 users (APERTURE_BENCH_PG: PostgreSQL)
//   options: --picks N (picks per user, default 50), --users N (only the first N users get picks), --symlink,
//            --only JOB[,JOB] (only these jobs, in pipeline order; each needs what the earlier ones leave), --runs N
internal static class PipelineBench
{
    private static readonly string[] Jobs =
    [
        JobNames.SyncMovies, JobNames.FullSyncWatchHistory, JobNames.GenerateEmbeddings, JobNames.GenerateRecommendations,
        JobNames.SyncStrm, JobNames.RefreshTopPicks,
    ];

    private sealed record Row(string Job, double Seconds, double CpuSeconds, long Rows, long PeakRssMb, long EndRssMb, string Load,
        long AllocatedMb, long PeakCommittedMb, long PeakHeapMb, int Gen2);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("movielens" or "synthetic" or "large"))
        {
            await Console.Error.WriteLineAsync("pipeline movielens|synthetic|large [--picks N] [--users N] [--symlink] [--runs N] [--only JOB,JOB] [--picks-out FILE]");
            return 2;
        }
        var set = args[0];
        int picks = 50, onlyUsers = int.MaxValue, runs = 1;
        var strm = true;
        var jobs = Jobs;
        string? picksOut = null;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--picks": picks = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--users": onlyUsers = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--symlink": strm = false; break;
                case "--only":
                    var only = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (only.FirstOrDefault(j => !Jobs.Contains(j)) is { } unknown)
                    {
                        await Console.Error.WriteLineAsync($"unknown job {unknown}; the pipeline's jobs: {string.Join(", ", Jobs)}");
                        return 2;
                    }
                    jobs = [.. Jobs.Where(only.Contains)];
                    break;
                case "--picks-out": picksOut = args[++i]; break;
                default: await Console.Error.WriteLineAsync($"unknown option {args[i]}"); return 2;
            }
        }
        string? postgres = null;
        if (set == "large")
        {
            postgres = Environment.GetEnvironmentVariable("APERTURE_BENCH_PG");
            if (string.IsNullOrEmpty(postgres))
            {
                await Console.Error.WriteLineAsync("pipeline large needs APERTURE_BENCH_PG (an Npgsql connection string to a server with pgvector)");
                return 2;
            }
        }

        Console.WriteLine($"pipeline {set}: starting the fake Jellyfin in a child process ...");
        using var server = FakeServerProcess.Start(set);
        Console.WriteLine($"  fake server ready in {server.StartSeconds:0.0} s: {server.Description}");

        var root = Directory.CreateTempSubdirectory("aperture-bench-out-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["MediaServer:TimeoutSeconds"] = "300",
            ["MEDIA_SERVER_STRM_ROOT"] = root,
            ["STRM_USE_STREAMING_URL"] = strm ? "true" : "false",
        };
        Console.WriteLine($"  GC: {(GCSettings.IsServerGC ? "server" : "workstation")}, latency mode {GCSettings.LatencyMode}, "
            + $"DATAS {Environment.GetEnvironmentVariable("DOTNET_GCDynamicAdaptationMode") ?? "default"}, {Environment.ProcessorCount} cores");
        if (AppRuntimeMismatch() is { } mismatch)
        {
            Console.WriteLine($"  WARNING: this process does not run as the app ships ({mismatch}): its memory figures are not the app's.");
        }
        try
        {
            for (var run = 1; run <= runs; run++)
            {
                var rows = new List<Row>();
                await using (var app = await BenchApp.StartAsync(new Uri(server.BaseUrl), server.ApiKey, postgres, settings, full: true))
                {
                    var idle = Rss();
                    foreach (var job in jobs)
                    {
                        if (job == JobNames.GenerateRecommendations)
                        {
                            await EnablePicksAsync(app, picks, onlyUsers);
                        }
                        rows.Add(await MeasureAsync(app, job, root));
                        if (job == JobNames.GenerateRecommendations && picksOut is not null)
                        {
                            await WritePicksAsync(app, picksOut);
                        }
                    }
                    Console.WriteLine();
                    Console.WriteLine($"run {run}: {set}, {(strm ? "STRM" : "symlink")} mode, {picks} picks per user, database {(postgres is null ? "SQLite" : "PostgreSQL")}; app RSS idle after start {idle.Current} MB");
                    Console.WriteLine($"{"job",-26} {"seconds",8} {"cpu s",7} {"rows",10} {"rows/s",9} {"peak RSS",9} {"RSS after",9} {"alloc",8} {"GC peak",8} {"heap pk",8} {"gen2",4}  load avg");
                    foreach (var r in rows)
                    {
                        Console.WriteLine($"{r.Job,-26} {r.Seconds,8:0.00} {r.CpuSeconds,7:0.00} {r.Rows,10:N0} {r.Rows / Math.Max(r.Seconds, 0.001),9:N0} {r.PeakRssMb,6:N0} MB {r.EndRssMb,6:N0} MB "
                            + $"{r.AllocatedMb,5:N0} MB {r.PeakCommittedMb,5:N0} MB {r.PeakHeapMb,5:N0} MB {r.Gen2,4}  {r.Load}");
                    }
                    Console.WriteLine($"{"whole pipeline",-26} {rows.Sum(r => r.Seconds),8:0.00} {rows.Sum(r => r.CpuSeconds),7:0.00} {"",10} {"",9} {rows.Max(r => r.PeakRssMb),6:N0} MB");
                    Console.WriteLine("rows: titles (sync), watch-state rows (history), vectors (embeddings), picks (recommendations), files written (outputs);");
                    Console.WriteLine("cpu s: this process (the app) only; the fake server's CPU is in its own process. Peak RSS = VmHWM of this process during the job.");
                    Console.WriteLine("alloc: managed bytes allocated during the job; GC peak: the most memory the GC held committed (sampled every 20 ms);");
                    Console.WriteLine("heap pk: the largest managed heap after a collection; gen2: full collections. RSS beyond GC peak is native (runtime, SQLite, code).");
                }
                if (Directory.Exists(root))
                {
                    Directory.Delete(root, recursive: true);
                    Directory.CreateDirectory(root);
                }
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
        return 0;
    }

    private static async Task EnablePicksAsync(BenchApp app, int picks, int onlyUsers)
    {
        await app.WithDbAsync(async db =>
        {
            var ids = await db.Users.OrderBy(u => u.Name).Select(u => u.Id).Take(onlyUsers).ToListAsync();
            return await db.Users.Where(u => ids.Contains(u.Id)).ExecuteUpdateAsync(s => s.SetProperty(u => u.PicksKinds, MediaKindSet.Movie));
        });
        if (picks != 50)
        {
            await app.SetRecommendationPicksAsync(picks);
        }
    }

    // Every pick as the run wrote it, one line each in a fixed order (--picks-out): two builds' files compare with diff, so a
    // change meant to keep the lists can be shown to keep them, scores, evidence and explanations included.
    private static async Task WritePicksAsync(BenchApp app, string path)
    {
        var picks = await app.WithDbAsync(db => db.Picks.AsNoTracking().OrderBy(p => p.UserId).ThenBy(p => p.Kind).ThenBy(p => p.Rank).ToListAsync());
        await using var writer = new StreamWriter(path);
        foreach (var p in picks)
        {
            await writer.WriteLineAsync(string.Join('\t', p.UserId, p.Kind, p.Rank, p.TitleId,
                p.Score.ToString("R", CultureInfo.InvariantCulture), p.Similarity.ToString("R", CultureInfo.InvariantCulture),
                p.Variety.ToString("R", CultureInfo.InvariantCulture), p.Collaborative.ToString("R", CultureInfo.InvariantCulture), p.MatchPercent,
                string.Join(',', p.MatchedGenres),
                string.Join(',', p.Evidence.Select(e => FormattableString.Invariant($"{e.TitleId}:{e.Reason}:{e.Similarity:R}"))),
                p.Explanation));
        }
        Console.WriteLine($"  {picks.Count:N0} picks written to {path}");
    }

    private static async Task<Row> MeasureAsync(BenchApp app, string job, string root)
    {
        // Off the previous job's stack first. Awaiting a job continues on the thread that finished its last I/O, inside the
        // job's own frames, so without this every job ran nested in the one before it, whose locals (a sync's response
        // buffers and item map) stayed reachable through the next jobs. The app starts each run on a pool thread of its own
        // (Quartz), so nothing of a finished run is held there.
        await Task.Yield();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        ResetPeak();
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var gen2 = GC.CollectionCount(2);
        var watch = Stopwatch.StartNew();
        using var sampler = new GcSampler();
        var stages = new StageTimer(job, sampler);
        await app.RunJobAsync(job, stages);
        stages.Finish();
        watch.Stop();
        sampler.Stop();
        process.Refresh();
        var (peak, current) = Rss();
        var rows = job switch
        {
            JobNames.SyncMovies => await app.WithDbAsync(db => db.Titles.LongCountAsync()),
            JobNames.FullSyncWatchHistory => await app.WithDbAsync(db => db.WatchStates.LongCountAsync()),
            JobNames.GenerateEmbeddings => await app.WithDbAsync(db => db.TitleEmbeddings.LongCountAsync()),
            JobNames.GenerateRecommendations => await app.WithDbAsync(db => db.Picks.LongCountAsync()),
            _ => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).LongCount(),
        };
        return new Row(job, watch.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds, rows, peak, current, LoadAverage(),
            (GC.GetTotalAllocatedBytes(precise: true) - allocated) >> 20, sampler.PeakCommitted >> 20, sampler.PeakHeap >> 20, GC.CollectionCount(2) - gen2);
    }

    // What the GC holds while a job runs: committed memory (what it costs in RSS) and the heap after each collection (what is live).
    private sealed class GcSampler : IDisposable
    {
        private readonly Timer timer;
        private readonly Lock gate = new();

        public GcSampler() => timer = new Timer(_ => Sample(), null, 0, 20);

        private long stageCommitted, stageHeap;

        public long PeakCommitted { get; private set; }
        public long PeakHeap { get; private set; }

        public (long Committed, long Heap) StagePeaks
        {
            get
            {
                Sample();
                lock (gate)
                {
                    return (stageCommitted, stageHeap);
                }
            }
        }

        public void ResetStage()
        {
            lock (gate)
            {
                stageCommitted = stageHeap = 0;
            }
        }

        private void Sample()
        {
            var info = GC.GetGCMemoryInfo(GCKind.Any);
            lock (gate)
            {
                PeakCommitted = Math.Max(PeakCommitted, info.TotalCommittedBytes);
                PeakHeap = Math.Max(PeakHeap, info.HeapSizeBytes);
                stageCommitted = Math.Max(stageCommitted, info.TotalCommittedBytes);
                stageHeap = Math.Max(stageHeap, info.HeapSizeBytes);
            }
        }

        public void Stop()
        {
            timer.Change(Timeout.Infinite, Timeout.Infinite);
            Sample();
        }

        public void Dispose() => timer.Dispose();
    }

    // VmHWM is the peak resident set since the process started or since "5" was written to clear_refs.
    private static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static (long Peak, long Current) Rss()
    {
        long peak = 0, current = 0;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kb(line) >> 10;
            }
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                current = Kb(line) >> 10;
            }
        }
        return (peak, current);

        static long Kb(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    // The bench hosts the app in its own process, so it must run with the app's runtime settings: Aperture.Bench.csproj imports
    // Aperture/Runtime.props, and this compares the result with the app's own runtimeconfig (copied beside the bench).
    private static string? AppRuntimeMismatch()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Aperture.runtimeconfig.json");
        if (!File.Exists(path))
        {
            return "Aperture.runtimeconfig.json not found";
        }
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var properties = json.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var p) ? p : default;
        bool Flag(string name, bool fallback) =>
            properties.ValueKind == System.Text.Json.JsonValueKind.Object && properties.TryGetProperty(name, out var v) ? v.GetBoolean() : fallback;
        var server = Flag("System.GC.Server", false);
        var concurrent = Flag("System.GC.Concurrent", true);
        var problems = new List<string>();
        if (server != GCSettings.IsServerGC)
        {
            problems.Add($"the app has {(server ? "server" : "workstation")} GC, this process {(GCSettings.IsServerGC ? "server" : "workstation")}");
        }
        if (concurrent != (GCSettings.LatencyMode != GCLatencyMode.Batch))
        {
            problems.Add($"the app has concurrent GC {(concurrent ? "on" : "off")}, this process {(GCSettings.LatencyMode != GCLatencyMode.Batch ? "on" : "off")}");
        }
        // The rest (ConserveMemory, TieredPGO, ...) as this process's runtimeconfig gives them.
        if (properties.ValueKind == System.Text.Json.JsonValueKind.Object)
        {
            foreach (var option in properties.EnumerateObject().Where(o => o.Name.StartsWith("System.GC.", StringComparison.Ordinal)
                || o.Name.StartsWith("System.Runtime.Tiered", StringComparison.Ordinal)))
            {
                var mine = AppContext.GetData(option.Name)?.ToString();
                if (!string.Equals(mine, option.Value.ToString(), StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"{option.Name} is {option.Value} in the app, {mine ?? "unset"} here");
                }
            }
        }
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    // The child: `Aperture.Bench fake-server <set>` builds the catalogue, prints "READY <url> <key> <description>" and
    // serves until its standard input closes.
    public static async Task<int> ServeAsync(string[] args)
    {
        var set = args.Length > 0 ? args[0] : "synthetic";
        string description = "";
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b => description = set switch
        {
            "movielens" => LoadMovieLens(b),
            "large" => Generated(b, 100_000, 1_000, 500_000),
            _ => Generated(b, 20_000, 50, 200_000),
        });
        Console.WriteLine($"READY {server.BaseUrl} {server.ApiKey} {description}");
        await Console.In.ReadToEndAsync();
        return 0;
    }

    private static string Generated(FakeLibraryBuilder b, int titles, int users, int history)
    {
        var catalog = FakeCatalogGenerator.Generate(b, titles, 0, 0, users, history);
        return $"{catalog.Movies.Count:N0} movies, {catalog.Users.Count} users, {catalog.HistoryRows:N0} history rows (generated)";
    }

    // MovieLens as a Jellyfin server would hold it: each rating a play at its time (4.5+ a favourite, the rating x2 as the user's).
    private static string LoadMovieLens(FakeLibraryBuilder b)
    {
        var folder = MovieLens.FindFolder() ?? throw new InvalidOperationException("../shared/data/movielens-small not found");
        var library = b.MovieLibrary("Movies", "/media/movies");
        var items = new Dictionary<string, FakeItem>();
        var community = new Dictionary<string, double>();
        b.State.Write(_ =>
        {
            foreach (var r in Csv.ReadRecords(Path.Combine(folder, "items.csv")))
            {
                var people = Split(r["director"]).Select(FakePerson.Director).Concat(Split(r["cast_top5"]).Select(n => FakePerson.Actor(n)));
                var rating = double.TryParse(r["vote_average"], CultureInfo.InvariantCulture, out var average) && average > 0 ? average : (double?)null;
                items[r["movieId"]] = b.Movie(r["title"], new FakeTitle(
                    int.TryParse(r["year"], CultureInfo.InvariantCulture, out var year) ? year : null,
                    Split(r["genres"]).Where(g => g != "(no genres listed)"),
                    r["overview"], people, rating, null, null, Split(r["keywords"]),
                    int.TryParse(r["runtime"], CultureInfo.InvariantCulture, out var runtime) && runtime > 0 ? runtime : null)
                {
                    ProviderIds = new Dictionary<string, string> { ["Tmdb"] = r["tmdbId"], ["Imdb"] = "tt" + r["imdbId"] },
                }, library);
            }
            var users = new Dictionary<string, FakeUser>();
            var rows = 0;
            foreach (var r in Csv.ReadRecords(Path.Combine(folder, "ml-latest-small", "ratings.csv")))
            {
                if (!items.TryGetValue(r["movieId"], out var item))
                {
                    continue;
                }
                if (!users.TryGetValue(r["userId"], out var user))
                {
                    users[r["userId"]] = user = b.User($"ml{int.Parse(r["userId"], CultureInfo.InvariantCulture):000}", "password", admin: users.Count == 0);
                }
                var stars = double.Parse(r["rating"], CultureInfo.InvariantCulture);
                b.Played(user, item, 1, DateTimeOffset.FromUnixTimeSeconds(long.Parse(r["timestamp"], CultureInfo.InvariantCulture)),
                    favorite: stars >= 4.5, rating: stars * 2);
                rows++;
            }
            community["rows"] = rows;
            community["users"] = users.Count;
        });
        return $"{items.Count:N0} MovieLens movies, {community["users"]} users, {community["rows"]:N0} history rows";

        static List<string> Split(string value) => value.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }

    // The profile: each stage a job reports, with its wall time, printed as it ends.
    // With each stage's most GC-committed memory and live heap, so a job's peak can be put on the stage that makes it.
    private sealed class StageTimer(string job, GcSampler sampler) : IJobProgress
    {
        private readonly Stopwatch watch = Stopwatch.StartNew();
        private string? stage;

        public void Stage(string name, long? total = null)
        {
            Finish();
            stage = name;
            sampler.ResetStage();
            watch.Restart();
        }

        public void Finish()
        {
            if (stage is not null)
            {
                var (c, h) = sampler.StagePeaks;
                Console.WriteLine($"    {job}: {stage}: {watch.Elapsed.TotalSeconds:0.00} s (GC committed ≤ {c >> 20} MB, live heap ≤ {h >> 20} MB, RSS {Rss().Current} MB)");
            }
            stage = null;
        }

        public void SetTotal(long? total) { }
        public void Advance(long by = 1, string? message = null) { }
        public void Count(string name, long by = 1) { }
        public void Log(string text, JobLogLevel level = JobLogLevel.Info)
        {
            if (level != JobLogLevel.Info || text.StartsWith("timing:", StringComparison.Ordinal))
            {
                Console.WriteLine($"    {job}: {level}: {(text.Length > 300 ? text[..300] + "…" : text)}");
            }
        }
    }

    private sealed class FakeServerProcess : IDisposable
    {
        private readonly Process process;

        private FakeServerProcess(Process process, string baseUrl, string apiKey, string description, double startSeconds)
        {
            this.process = process;
            BaseUrl = baseUrl;
            ApiKey = apiKey;
            Description = description;
            StartSeconds = startSeconds;
        }

        public string BaseUrl { get; }
        public string ApiKey { get; }
        public string Description { get; }
        public double StartSeconds { get; }

        public static FakeServerProcess Start(string set)
        {
            var watch = Stopwatch.StartNew();
            var self = Environment.ProcessPath!;
            var info = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                info.ArgumentList.Add(typeof(PipelineBench).Assembly.Location);
            }
            info.ArgumentList.Add("fake-server");
            info.ArgumentList.Add(set);
            // The server is a separate program on a real install: workstation GC keeps it out of the app's way here.
            info.Environment["DOTNET_gcServer"] = "0";
            var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the fake server");
            while (process.StandardOutput.ReadLine() is { } line)
            {
                if (line.StartsWith("READY ", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ', 4);
                    // Whatever it logs later must not fill the pipe and stall it.
                    _ = Task.Run(() => process.StandardOutput.ReadToEnd());
                    return new FakeServerProcess(process, parts[1], parts[2], parts.Length > 3 ? parts[3] : "", watch.Elapsed.TotalSeconds);
                }
            }
            throw new InvalidOperationException("the fake server exited before it was ready");
        }

        public void Dispose()
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(10_000))
            {
                process.Kill();
            }
            process.Dispose();
        }
    }
}
