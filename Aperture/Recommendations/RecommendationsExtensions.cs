using Aperture.Data;

namespace Aperture.Recommendations;

public static class RecommendationsExtensions
{
    public static WebApplicationBuilder AddRecommendations(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<RecommendationSettings>();
        builder.Services.AddScoped<RecommendationService>();
        builder.Services.AddScoped<PickQueries>();
        builder.Services.AddScoped<TasteService>();
        builder.Services.AddSingleton<CoWatchModels>();
        return builder;
    }
}
