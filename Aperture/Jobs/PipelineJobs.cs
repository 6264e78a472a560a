using Aperture.Data;
using Aperture.Progress;

namespace Aperture.Jobs;

// Every job of the pipeline, registered here and not by its feature: features are services that tests and pages
// call directly, and only Jobs knows they are scheduled (docs/ARCHITECTURE.md).
public static class PipelineJobs
{
    public static IServiceCollection AddPipelineJobs(this IServiceCollection services)
    {
        foreach (var kind in (MediaKind[])[MediaKind.Movie, MediaKind.Series])
        {
            services.AddJob<SyncCatalogJob>(new JobDefinition(JobNames.SyncCatalog(kind), $"Sync {kind.Slug()}",
                $"Reads the {kind.Slug()} of the enabled libraries from the media server: changes since the last run, removals, and a full pass weekly.",
                typeof(SyncCatalogJob), kind, DefaultCronSetting: "SYNC_CRON", Locks: JobDefinition.DataLock(kind)));
        }
        foreach (var kind in (MediaKind[])[MediaKind.Movie, MediaKind.Series])
        {
            services.AddJob<SyncHistoryJob>(new JobDefinition(JobNames.SyncHistory(kind, full: false), $"Sync {kind.Slug()} watch history",
                $"Reads what each user played, favourited or started among the {kind.Slug()} since the last run; reconciles a user in full weekly.",
                typeof(SyncHistoryJob), kind, DefaultCronSetting: "SYNC_CRON", Locks: JobDefinition.DataLock(kind)));
            services.AddJob<SyncHistoryJob>(new JobDefinition(JobNames.SyncHistory(kind, full: true), $"Full sync of {kind.Slug()} watch history",
                $"Reads every user's whole {kind.Slug()} history and clears what was un-played or un-favourited on the server.",
                typeof(SyncHistoryJob), kind, Full: true, Locks: JobDefinition.DataLock(kind)));
        }
        foreach (var kind in Enum.GetValues<MediaKind>())
        {
            services.AddJob<GenerateEmbeddingsJob>(new JobDefinition(JobNames.Embeddings(kind),
                kind == MediaKind.Movie ? "Generate movie embeddings" : "Generate series embeddings",
                $"Gives every {(kind == MediaKind.Movie ? "movie" : "series")} a vector under the configured model (only new or changed titles), then makes the set searchable.",
                typeof(GenerateEmbeddingsJob), kind, DefaultCronSetting: "RECS_CRON", Locks: JobDefinition.DataLock(kind)));
        }
        foreach (var kind in Enum.GetValues<MediaKind>())
        {
            services.AddJob<GenerateRecommendationsJob>(new JobDefinition(JobNames.Recommendations(kind),
                kind == MediaKind.Movie ? "Generate movie recommendations" : "Generate series recommendations",
                $"Builds every enabled user's {kind.Slug()} taste and picks from their synced history; each user's new list replaces the old one at once.",
                typeof(GenerateRecommendationsJob), kind, DefaultCronSetting: "RECS_CRON", Locks: JobDefinition.DataLock(kind)));
        }
        services.AddJob<RebuildRecommendationsJob>(new JobDefinition(JobNames.RebuildRecommendations, "Rebuild all recommendations",
            "Clears the run history and taste synopses and rebuilds movie and series picks for every enabled user.",
            typeof(RebuildRecommendationsJob), Locks: JobDefinition.AllDataLocks));
        foreach (var kind in Enum.GetValues<MediaKind>())
        {
            services.AddJob<SyncOutputsJob>(new JobDefinition(JobNames.SyncOutputs(kind),
                kind == MediaKind.Movie ? "Write movie picks libraries" : "Write series picks libraries",
                $"Writes each enabled user's {kind.Slug()} picks as their own library (symlinks or STRM files with NFOs), refreshes it in the media server and makes it visible to that user alone.",
                typeof(SyncOutputsJob), kind, DefaultCronSetting: "PERMS_CRON"));
        }
        services.AddJob<RefreshTopPicksJob>(new JobDefinition(JobNames.RefreshTopPicks, "Refresh Top Picks",
            "Ranks what this server's users watched most over the window (viewers, plays, completion) per kind and writes the shared Top Picks library, collection and playlist.",
            typeof(RefreshTopPicksJob), Locks: JobDefinition.AllDataLocks));
        services.AddJob<RefreshChannelsJob>(new JobDefinition(JobNames.RefreshChannels, "Refresh channels",
            "Fills every generated channel again from the current catalogue (new titles in, what the owner has since watched out when asked) and replaces the playlists of those in the media server.",
            typeof(RefreshChannelsJob), Locks: JobDefinition.AllDataLocks));
        return services;
    }
}
