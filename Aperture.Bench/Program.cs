using Aperture.Bench;

// dotnet run -c Release --project Aperture.Bench -- <benchmark> [options]
// Each benchmark prints its figures; none of them is a pass/fail test.
var benchmarks = new Dictionary<string, (string About, Func<string[], Task<int>> Run)>(StringComparer.OrdinalIgnoreCase)
{
    ["sync"] = ("full and no-change delta sync of a 20,000-movie fake server (SQLite; PostgreSQL too when APERTURE_BENCH_PG is set)", SyncBenchmark.RunAsync),
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var benchmark))
{
    await Console.Error.WriteLineAsync("usage: dotnet run -c Release --project Aperture.Bench -- <benchmark> [options]");
    foreach (var (name, (about, _)) in benchmarks)
    {
        await Console.Error.WriteLineAsync($"  {name,-10} {about}");
    }
    return 2;
}
return await benchmark.Run(args[1..]);
