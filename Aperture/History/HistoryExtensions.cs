using Aperture.Data;
using Aperture.Jobs;

namespace Aperture.History;

public static class HistoryExtensions
{
    // Needs AddCatalog (the sync options, the user sync and the catalogue lookup).
    public static WebApplicationBuilder AddHistory(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<HistorySync>();
        foreach (var kind in (MediaKind[])[MediaKind.Movie, MediaKind.Series])
        {
            builder.Services.AddJob<SyncHistoryJob>(new JobDefinition(JobNames.SyncHistory(kind, full: false), $"Sync {kind.Slug()} watch history",
                $"Reads what each user played, favourited or started among the {kind.Slug()} since the last run; reconciles a user in full weekly.",
                typeof(SyncHistoryJob), kind, DefaultCronSetting: "SYNC_CRON", Locks: JobDefinition.DataLock(kind)));
            builder.Services.AddJob<SyncHistoryJob>(new JobDefinition(JobNames.SyncHistory(kind, full: true), $"Full sync of {kind.Slug()} watch history",
                $"Reads every user's whole {kind.Slug()} history and clears what was un-played or un-favourited on the server.",
                typeof(SyncHistoryJob), kind, Full: true, Locks: JobDefinition.DataLock(kind)));
        }
        return builder;
    }
}
