using Aperture.Data;

namespace Aperture.Progress;

// Neutral ground between the features and Jobs: a service reports its progress here and names the runs a
// message points at, without knowing how it is scheduled. Jobs implements IJobProgress (JobProgressWriter).

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
