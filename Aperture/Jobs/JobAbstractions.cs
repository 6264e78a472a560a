using Aperture.Data;

namespace Aperture.Jobs;

// The original's job names, so its users find them.
public static class JobNames
{
    public const string SyncMovies = "sync-movies";
    public const string SyncSeries = "sync-series";
    public const string SyncWatchHistory = "sync-watch-history";
    public const string FullSyncWatchHistory = "full-sync-watch-history";
    public const string SyncSeriesWatchHistory = "sync-series-watch-history";
    public const string FullSyncSeriesWatchHistory = "full-sync-series-watch-history";
    public const string GenerateEmbeddings = "generate-embeddings";
    public const string GenerateSeriesEmbeddings = "generate-series-embeddings";
    public const string GenerateRecommendations = "generate-recommendations";
    public const string GenerateSeriesRecommendations = "generate-series-recommendations";
    public const string RebuildRecommendations = "rebuild-recommendations";
    public const string SyncStrm = "sync-strm";
    public const string SyncSeriesStrm = "sync-series-strm";

    public static string SyncOutputs(MediaKind kind) => kind == MediaKind.Movie ? SyncStrm : SyncSeriesStrm;
    public const string RefreshTopPicks = "refresh-top-picks";
    public const string RefreshChannels = "refresh-channels";
    public const string RunEverything = "run-everything";

    // The order data flows in (README, Jobs): what "Run everything" runs, and how the Jobs page lists them.
    public static readonly IReadOnlyList<string> Pipeline =
    [
        SyncMovies, SyncSeries, SyncWatchHistory, SyncSeriesWatchHistory, GenerateEmbeddings, GenerateSeriesEmbeddings,
        GenerateRecommendations, GenerateSeriesRecommendations, SyncStrm, SyncSeriesStrm, RefreshTopPicks,
    ];

    // Every job in the order an admin reads them: the pipeline's first run, the pipeline, then the rest.
    public static readonly string[] DisplayOrder =
        [RunEverything, .. Pipeline, FullSyncWatchHistory, FullSyncSeriesWatchHistory, RebuildRecommendations, RefreshChannels];

    public static string Recommendations(MediaKind kind) => kind == MediaKind.Movie ? GenerateRecommendations : GenerateSeriesRecommendations;

    public static string Embeddings(MediaKind kind) => kind == MediaKind.Movie ? GenerateEmbeddings : GenerateSeriesEmbeddings;

    public static string SyncCatalog(MediaKind kind) => kind == MediaKind.Movie ? SyncMovies : SyncSeries;

    public static string SyncHistory(MediaKind kind, bool full) => (kind, full) switch
    {
        (MediaKind.Movie, false) => SyncWatchHistory,
        (MediaKind.Movie, true) => FullSyncWatchHistory,
        (_, false) => SyncSeriesWatchHistory,
        _ => FullSyncSeriesWatchHistory,
    };

    // Every job that writes data of this kind (a purge must wait for them).
    public static IReadOnlyList<string> ForKind(MediaKind kind) =>
        [SyncCatalog(kind), SyncHistory(kind, false), SyncHistory(kind, true), Embeddings(kind), Recommendations(kind), RebuildRecommendations, RefreshTopPicks, RefreshChannels];
}

// A job as the registry knows it. Kind and Full parameterise one implementation for movies/series
// and delta/full, so there is no copied twin per kind.
public sealed record JobDefinition(
    string Name,
    string DisplayName,
    string Description,
    Type Implementation,
    MediaKind? Kind = null,
    bool Full = false,
    string? DefaultCronSetting = null,
    IReadOnlyList<string>? Locks = null)
{
    // Jobs sharing a lock never run at the same time: a later run waits for an earlier one to end
    // (a catalogue sync removing titles while a history sync or a recommendation run writes rows
    // that point at them would fail the other job).
    public IReadOnlyList<string> Locks { get; init; } = Locks ?? [];

    public static IReadOnlyList<string> DataLock(MediaKind kind) => [$"data:{kind.Slug()}"];

    public static IReadOnlyList<string> AllDataLocks => [.. Enum.GetValues<MediaKind>().SelectMany(DataLock)];
}

// What a running job reports. Implementations throttle database writes; calls are cheap.
public interface IJobProgress
{
    // Starts a stage ("Fetching movies", "Removing deleted titles") with its own total (null = unknown).
    void Stage(string name, long? total = null);

    void SetTotal(long? total);

    void Advance(long by = 1, string? message = null);

    // Named counters shown in the run history ("added", "updated", "removed").
    void Count(string name, long by = 1);

    void Log(string text, JobLogLevel level = JobLogLevel.Info);
}

public enum JobLogLevel { Info, Warning, Error }

public sealed record JobContext(long RunId, JobDefinition Definition, IJobProgress Progress);

// A job's work. Quartz jobs stay thin and forward context.CancellationToken here; tests call it directly.
public interface IJob
{
    Task RunAsync(JobContext context, CancellationToken ct);
}

// For code run outside a job (tests, the benchmark).
public sealed class NullJobProgress : IJobProgress
{
    public static readonly NullJobProgress Instance = new();

    public void Stage(string name, long? total = null) { }
    public void SetTotal(long? total) { }
    public void Advance(long by = 1, string? message = null) { }
    public void Count(string name, long by = 1) { }
    public void Log(string text, JobLogLevel level = JobLogLevel.Info) { }
}

public static class JobRegistrationExtensions
{
    // Registers a job: its definition for the registry and its implementation (scoped, so its
    // constructor is checked when the container is validated).
    public static IServiceCollection AddJob<T>(this IServiceCollection services, JobDefinition definition) where T : class, IJob
    {
        if (definition.Implementation != typeof(T))
        {
            throw new ArgumentException($"Job {definition.Name} names {definition.Implementation}, not {typeof(T)}.", nameof(definition));
        }
        services.AddSingleton(definition);
        services.AddScoped<T>();
        return services;
    }
}
