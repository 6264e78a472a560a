using Aperture.Jobs;

namespace Aperture.TopPicks;

public static class TopPicksExtensions
{
    public static WebApplicationBuilder AddTopPicks(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<TopPicksSettings>();
        builder.Services.AddScoped<TopPicksService>();
        builder.Services.AddScoped<TopPicksPublisher>();
        builder.Services.AddJob<RefreshTopPicksJob>(new JobDefinition(JobNames.RefreshTopPicks, "Refresh Top Picks",
            "Ranks what this server's users watched most over the window (viewers, plays, completion) per kind and writes the shared Top Picks library, collection and playlist.",
            typeof(RefreshTopPicksJob), Locks: JobDefinition.AllDataLocks));
        return builder;
    }
}
