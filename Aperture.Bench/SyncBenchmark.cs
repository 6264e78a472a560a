using System.Diagnostics;
using System.Globalization;
using Aperture.Fakes;
using Aperture.Jobs;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;

namespace Aperture.Bench;

// The whole sync against a generated fake server: a full run (catalogue of movies and series, then every user's full
// history), then a no-change delta (the same jobs as the schedule runs them). Time, throughput and memory per phase,
// on SQLite and, when APERTURE_BENCH_PG holds an Npgsql connection string to a server with pgvector, on PostgreSQL.
//
// The fake server runs in this process (it holds the generated catalogue and answers over loopback HTTP), so the
// working set includes it and its CPU time is part of the figures: on a real install the media server runs elsewhere.
internal static class SyncBenchmark
{
    private sealed record Options(int Movies, int Series, int EpisodesPerSeries, int Users, int History, FakeDialect Dialect, int? PageSize);

    private sealed record JobRow(string Database, string Phase, string Job, TimeSpan Elapsed, TimeSpan Cpu, int Requests);

    private sealed record PhaseRow(string Database, string Phase, TimeSpan Elapsed, TimeSpan Cpu, TimeSpan ServerCpu, long Items, int Requests, long BaselineMb, long PeakMb,
        long PeakManagedMb, long AllocatedMb, string Check, CatalogPages? Pages);

    // The catalogue's detail requests of a phase (/Items with the catalogue fields, not the history's played/favourite
    // queries) and how many of their answers held at least one item: a no-change delta should read none.
    private sealed record CatalogPages(int Requests, int PagesWithItems, int Items);

    private static readonly string[] FullJobs =
        [JobNames.SyncMovies, JobNames.SyncSeries, JobNames.FullSyncWatchHistory, JobNames.FullSyncSeriesWatchHistory];

    private static readonly string[] DeltaJobs =
        [JobNames.SyncMovies, JobNames.SyncSeries, JobNames.SyncWatchHistory, JobNames.SyncSeriesWatchHistory];

    public static async Task<int> RunAsync(string[] args)
    {
        if (Parse(args) is not { } o)
        {
            await Console.Error.WriteLineAsync("options: --movies N --series N --episodes-per-series N --users N --history N --emby --page-size N");
            return 2;
        }

        Console.WriteLine($"Generating a fake {o.Dialect} server: {o.Movies:N0} movies, {o.Series:N0} series x {o.EpisodesPerSeries} episodes, "
            + $"{o.Users} users, {o.History:N0} history rows ...");
        var generating = Stopwatch.StartNew();
        FakeCatalog catalog = null!;
        await using var server = await FakeMediaServer.StartAsync(o.Dialect, b => catalog = FakeCatalogGenerator.Generate(
            b, o.Movies, o.Series, o.EpisodesPerSeries, o.Users, o.History));
        Console.WriteLine($"  generated in {generating.Elapsed.TotalSeconds:0.0} s ({catalog.Episodes:N0} episodes, {catalog.HistoryRows:N0} history rows)");

        var settings = new Dictionary<string, string?> { ["MediaServer:TimeoutSeconds"] = "120" };
        if (o.PageSize is { } size)
        {
            settings["Sync:PageSize"] = size.ToString(CultureInfo.InvariantCulture);
        }
        List<(string Name, string? Postgres)> databases = [("sqlite", null)];
        if (Environment.GetEnvironmentVariable("APERTURE_BENCH_PG") is { Length: > 0 } pg)
        {
            databases.Add(("postgres", pg));
        }
        else
        {
            Console.WriteLine("  (APERTURE_BENCH_PG is not set: PostgreSQL is not measured)");
        }

        var jobs = new List<JobRow>();
        var phases = new List<PhaseRow>();
        foreach (var (name, postgres) in databases)
        {
            await using var app = await BenchApp.StartAsync(new Uri(server.BaseUrl), server.ApiKey, postgres, settings, full: true);
            foreach (var (phase, names) in (ValueTuple<string, string[]>[])[("full", FullJobs), ("no-change delta", DeltaJobs)])
            {
                Console.WriteLine($"  {name}: {phase} ...");
                phases.Add(await MeasureAsync(app, server, catalog, name, phase, names, jobs));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"{"database",-9} {"phase",-16} {"job",-31} {"seconds",8} {"cpu s",7} {"requests",9}");
        foreach (var j in jobs)
        {
            Console.WriteLine($"{j.Database,-9} {j.Phase,-16} {j.Job,-31} {j.Elapsed.TotalSeconds,8:0.00} {j.Cpu.TotalSeconds,7:0.00} {j.Requests,9:N0}");
        }
        Console.WriteLine();
        Console.WriteLine($"{"database",-9} {"phase",-16} {"seconds",8} {"cpu s",7} {"server",7} {"items",9} {"items/s",9} {"requests",9} {"WS before",10} {"WS peak",8} {"heap peak",10} {"allocated",10}  check");
        foreach (var p in phases)
        {
            var rate = p.Items / Math.Max(p.Elapsed.TotalSeconds, 0.001);
            Console.WriteLine($"{p.Database,-9} {p.Phase,-16} {p.Elapsed.TotalSeconds,8:0.00} {p.Cpu.TotalSeconds,7:0.00} {p.ServerCpu.TotalSeconds,7:0.00} {p.Items,9:N0} {rate,9:N0} {p.Requests,9:N0} "
                + $"{p.BaselineMb,7:N0} MB {p.PeakMb,5:N0} MB {p.PeakManagedMb,7:N0} MB {p.AllocatedMb,7:N0} MB  {p.Check}");
        }
        Console.WriteLine();
        Console.WriteLine("items = movies + series + episodes + watch-state rows held after the phase; cpu s = processor time of this process");
        Console.WriteLine("(app and fake server together); server = of that, about what the fake server spends answering the phase's requests");
        Console.WriteLine("(measured by sending them again on their own); WS = process working set (the fake server and its generated");
        Console.WriteLine("catalogue live in this process: 'WS before' is the working set when the phase started); heap = managed heap.");
        foreach (var p in phases.Where(p => p.Pages is not null))
        {
            Console.WriteLine($"{p.Database} {p.Phase}: catalogue item pages read {p.Pages!.PagesWithItems} ({p.Pages.Items:N0} items) "
                + $"in {p.Pages.Requests} catalogue detail requests");
        }
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average at the end {LoadAverage()}");
        return phases.Any(p => p.Check != "ok") ? 1 : 0;
    }

    private static async Task<PhaseRow> MeasureAsync(BenchApp app, FakeMediaServer server, FakeCatalog catalog, string database, string phase,
        string[] names, List<JobRow> jobs)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var baseline = process.WorkingSet64;
        long peak = baseline, peakManaged = GC.GetTotalMemory(false);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var sampled = Process.GetCurrentProcess();
            while (!sampling.IsCancellationRequested)
            {
                sampled.Refresh();
                peak = Math.Max(peak, sampled.WorkingSet64);
                peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false));
                try
                {
                    await Task.Delay(20, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });

        server.ClearCalls();
        var total = Stopwatch.StartNew();
        process.Refresh();
        var phaseCpu = process.TotalProcessorTime;
        var requests = 0;
        var recorded = new List<RecordedCall>();
        foreach (var name in names)
        {
            var watch = Stopwatch.StartNew();
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            await app.RunJobAsync(name);
            process.Refresh();
            var calls = server.Calls;
            server.ClearCalls();
            recorded.AddRange(calls);
            requests += calls.Count;
            jobs.Add(new JobRow(database, phase, name, watch.Elapsed, process.TotalProcessorTime - cpu, calls.Count));
        }
        total.Stop();
        process.Refresh();
        phaseCpu = process.TotalProcessorTime - phaseCpu;
        await sampling.CancelAsync();
        await sampler;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        var pages = phase == "full" ? null : await CatalogPagesAsync(server, recorded);
        var serverCpu = await ReplayAsync(server, recorded, process);

        var (titles, episodes, states) = await app.WithDbAsync(async db =>
            (await db.Titles.CountAsync(), await db.Episodes.CountAsync(), await db.WatchStates.CountAsync()));
        var expected = (catalog.Movies.Count + catalog.Series.Count, catalog.Episodes, catalog.HistoryRows);
        var check = (titles, episodes, states) == expected
            ? "ok"
            : $"MISMATCH: {titles} titles, {episodes} episodes, {states} watch rows; expected {expected.Item1}, {expected.Item2}, {expected.Item3}";
        return new PhaseRow(database, phase, total.Elapsed, phaseCpu, serverCpu, titles + episodes + states, requests, baseline >> 20, peak >> 20, peakManaged >> 20,
            allocated >> 20, check, pages);
    }

    // Sent again to read their answers (the calls are recorded without bodies; the state is unchanged: they only read).
    private static async Task<CatalogPages> CatalogPagesAsync(FakeMediaServer server, List<RecordedCall> calls)
    {
        using var http = new HttpClient();
        var detail = calls.Where(c => c.Method == "GET" && c.Path.EndsWith("/Items", StringComparison.Ordinal)
            && c.Query("Fields")?.Contains("Overview", StringComparison.Ordinal) == true
            && c.Query("IsPlayed") is null && c.Query("IsFavorite") is null && c.Query("Filters") is null).ToList();
        int pages = 0, items = 0;
        foreach (var call in detail)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + call.Path + call.QueryString);
            foreach (var name in (string[])["Authorization", "X-Emby-Authorization", "X-Emby-Token"])
            {
                if (call.Header(name) is { } value)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            }
            using var response = await http.SendAsync(request);
            using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var count = json.RootElement.GetProperty("Items").GetArrayLength();
            pages += count > 0 ? 1 : 0;
            items += count;
        }
        server.ClearCalls();
        return new CatalogPages(detail.Count, pages, items);
    }

    // The fake server shares this process, so its work is in the CPU figure: the phase's requests are sent again on their
    // own (the state is unchanged: they only read) to measure what answering them costs. An estimate: this client's
    // receiving is in it too, its parsing is not.
    private static async Task<TimeSpan> ReplayAsync(FakeMediaServer server, List<RecordedCall> calls, Process process)
    {
        using var http = new HttpClient();
        process.Refresh();
        var before = process.TotalProcessorTime;
        foreach (var call in calls.Where(c => c.Method == "GET"))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + call.Path + call.QueryString);
            foreach (var name in (string[])["Authorization", "X-Emby-Authorization", "X-Emby-Token"])
            {
                if (call.Header(name) is { } value)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            }
            using var response = await http.SendAsync(request);
            await response.Content.CopyToAsync(Stream.Null);
        }
        server.ClearCalls();
        process.Refresh();
        return process.TotalProcessorTime - before;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static Options? Parse(string[] args)
    {
        var o = new Options(20_000, 1_000, 20, 50, 200_000, FakeDialect.Jellyfin, null);
        for (var i = 0; i < args.Length; i++)
        {
            int Next() => i + 1 < args.Length && int.TryParse(args[++i], CultureInfo.InvariantCulture, out var n) && n >= 0
                ? n
                : throw new ArgumentException($"{args[i]} needs a number");
            try
            {
                o = args[i] switch
                {
                    "--movies" => o with { Movies = Next() },
                    "--series" => o with { Series = Next() },
                    "--episodes-per-series" => o with { EpisodesPerSeries = Next() },
                    "--users" => o with { Users = Next() },
                    "--history" => o with { History = Next() },
                    "--page-size" => o with { PageSize = Next() },
                    "--emby" => o with { Dialect = FakeDialect.Emby },
                    _ => throw new ArgumentException($"unknown option {args[i]}"),
                };
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine(e.Message);
                return null;
            }
        }
        return o;
    }
}
