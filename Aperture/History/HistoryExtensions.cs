using Aperture.Data;

namespace Aperture.History;

public static class HistoryExtensions
{
    // Needs AddCatalog (the sync options, the user sync and the catalogue lookup).
    public static WebApplicationBuilder AddHistory(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<HistorySync>();
        builder.Services.AddScoped<UserActivity>();
        return builder;
    }
}
