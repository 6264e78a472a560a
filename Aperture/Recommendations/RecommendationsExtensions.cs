using Aperture.Data;
using Aperture.Jobs;

namespace Aperture.Recommendations;

public static class RecommendationsExtensions
{
    public static WebApplicationBuilder AddRecommendations(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<RecommendationSettings>();
        builder.Services.AddScoped<RecommendationService>();
        builder.Services.AddScoped<PickQueries>();
        builder.Services.AddScoped<TasteService>();
        foreach (var kind in Enum.GetValues<MediaKind>())
        {
            builder.Services.AddJob<GenerateRecommendationsJob>(new JobDefinition(JobNames.Recommendations(kind),
                kind == MediaKind.Movie ? "Generate movie recommendations" : "Generate series recommendations",
                $"Builds every enabled user's {kind.Slug()} taste and picks from their synced history; each user's new list replaces the old one at once.",
                typeof(GenerateRecommendationsJob), kind, DefaultCronSetting: "RECS_CRON", Locks: JobDefinition.DataLock(kind)));
        }
        builder.Services.AddJob<RebuildRecommendationsJob>(new JobDefinition(JobNames.RebuildRecommendations, "Rebuild all recommendations",
            "Clears the run history and taste synopses and rebuilds movie and series picks for every enabled user.",
            typeof(RebuildRecommendationsJob), Locks: JobDefinition.AllDataLocks));
        return builder;
    }
}
