using Aperture.Data;
using Aperture.Jobs;

namespace Aperture.Catalog;

public static class CatalogExtensions
{
    public static WebApplicationBuilder AddCatalog(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SyncOptions>()
            .BindConfiguration(SyncOptions.Section)
            .Validate(o => o.PageSize is >= 1 and <= 5000, "Sync:PageSize must be between 1 and 5000")
            .Validate(o => o.ListingPageSize is >= 1 and <= 20000, "Sync:ListingPageSize must be between 1 and 20000")
            .Validate(o => o.FullCatalogEveryDays >= 0 && o.FullHistoryEveryDays >= 0, "Sync:Full*EveryDays must be 0 (never) or more")
            .ValidateOnStart();
        builder.Services.AddScoped<ServerUserSync>();
        builder.Services.AddScoped<LibraryService>();
        builder.Services.AddScoped<CatalogSync>();
        builder.Services.AddScoped<CatalogLookup>();
        foreach (var kind in (MediaKind[])[MediaKind.Movie, MediaKind.Series])
        {
            builder.Services.AddJob<SyncCatalogJob>(new JobDefinition(JobNames.SyncCatalog(kind), $"Sync {kind.Slug()}",
                $"Reads the {kind.Slug()} of the enabled libraries from the media server: changes since the last run, removals, and a full pass weekly.",
                typeof(SyncCatalogJob), kind, DefaultCronSetting: "SYNC_CRON", Locks: JobDefinition.DataLock(kind)));
        }
        return builder;
    }
}
