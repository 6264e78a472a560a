namespace Aperture.TopPicks;

public static class TopPicksExtensions
{
    public static WebApplicationBuilder AddTopPicks(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<TopPicksSettings>();
        builder.Services.AddScoped<TopPicksService>();
        builder.Services.AddScoped<TopPicksPublisher>();
        return builder;
    }
}
