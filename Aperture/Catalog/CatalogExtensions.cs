using Aperture.Data;

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
        builder.Services.AddScoped<CatalogPurge>();
        return builder;
    }
}
