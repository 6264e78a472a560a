using Aperture.Data;
using Aperture.MediaServers;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Browse;

public static class BrowseExtensions
{
    // Everything that reads the synced catalogue: browsing, posters, a user's history and stats, database upkeep.
    public static WebApplicationBuilder AddBrowse(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<CatalogBrowser>();
        builder.Services.AddSingleton<ImageCache>();
        builder.Services.AddScoped<ImageProxy>();
        builder.Services.AddSingleton<PosterIndex>();
        builder.Services.AddScoped<DatabaseMaintenance>();
        return builder;
    }
}
