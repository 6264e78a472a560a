using Aperture.Bench;

// Benchmarks print figures and ratios; they never assert timings. Usage:
//   dotnet run -c Release --project Aperture.Bench -- <command> [args]
var commands = new Dictionary<string, (string Help, Func<string[], int> Run)>
{
    ["embeddings"] = ("fit + embed MovieLens with the local provider; nearest-neighbour sanity", _ => EmbeddingBench.Run()),
    ["topk"] = ("exact SIMD top-50 vs a sequential read of the same bytes [sizes...]", EmbeddingBench.RunTopK),
    ["quality"] = ("recommendation quality on MovieLens (time split) vs popularity and the original [--grid]", QualityBench.Run),
    ["embed20k"] = ("local provider: fit + embed 20,000 titles, titles/s and peak memory", _ => VectorBench.RunLocal20k()),
    ["pgvector"] = ("pgvector HNSW latency and recall@50 vs exact [n] [dims]; needs APERTURE_BENCH_PG", a => VectorBench.RunPgVectorAsync(a).GetAwaiter().GetResult()),
    ["channels"] = ("channels from words alone: precision@20 of 30 natural-language queries on MovieLens [--show]", ChannelsBench.Run),
    ["similar"] = ("more like this on MovieLens: sequel in the top 10, audience overlap vs random, before and after", SimilarBench.Run),
    ["group"] = ("movie night on MovieLens: random groups of 2, 4, 6; hit rate per member, worst-off NDCG vs own lists and popularity per strategy [groups per size]", GroupBench.Run),
    ["feedback"] = ("feedback on MovieLens: a share of held-out low ratings given as 👎; NDCG@50 and 👎/near-duplicate reappearance before/after [share, 0.5]", FeedbackBench.Run),
    ["load"] = ("50 browsers for 60 s against the built app on MovieLens: requests/s, p50/p95/p99 per page, app CPU and RSS [--clients N --seconds N --during-picks]", a => LoadBench.RunAsync(a).GetAwaiter().GetResult()),
    ["sync"] = ("full and no-change delta sync of a 20,000-movie fake server (SQLite; PostgreSQL too with APERTURE_BENCH_PG)", a => SyncBenchmark.RunAsync(a).GetAwaiter().GetResult()),
    ["pipeline"] = ("the whole pipeline through the real jobs, fake server in a child process: movielens|synthetic|large [--picks N] [--users N]", a => PipelineBench.RunAsync(a).GetAwaiter().GetResult()),
    ["fake-server"] = ("(internal) the pipeline bench's fake server: movielens|synthetic|large", a => PipelineBench.ServeAsync(a).GetAwaiter().GetResult()),
};

if (args.Length == 0 || !commands.TryGetValue(args[0], out var command))
{
    Console.WriteLine("Aperture.Bench <command>");
    foreach (var (name, (help, _)) in commands)
    {
        Console.WriteLine($"  {name,-12} {help}");
    }
    return args.Length == 0 ? 0 : 2;
}
return command.Run(args[1..]);
