using Aperture.Outputs;

namespace Aperture.TopPicks;

public static class TopPicksExtensions
{
    public static WebApplicationBuilder AddTopPicks(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<TopPicksSettings>();
        builder.Services.AddScoped<ISharedLibraryNames>(sp => sp.GetRequiredService<TopPicksSettings>());
        builder.Services.AddScoped<TopPicksService>();
        builder.Services.AddScoped<TopPicksPublisher>();
        return builder;
    }
}
