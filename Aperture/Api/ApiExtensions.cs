namespace Aperture.Api;

public static class ApiExtensions
{
    public static WebApplicationBuilder AddApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddExceptionHandler<ApiProblems>();
        // The answers' JSON: the same converters as ApiJson.Options (enums as words, image links).
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.AddConverters(o.SerializerOptions.Converters));
        return builder;
    }

    public static WebApplication MapApi(this WebApplication app)
    {
        var api = app.MapGroup("/api").RequireJsonOrAntiforgery();
        api.MapAuthApi();
        api.MapSettingsApi();
        api.MapEmbeddingSettingsApi();
        api.MapTextGenerationSettingsApi();
        api.MapSimilarApi();
        api.MapCatalogApi();
        api.MapUsersApi();
        api.MapAdminDatabaseApi();
        api.MapJobsApi();
        api.MapLibrariesApi();
        api.MapRecommendationsApi();
        api.MapFeedbackApi();
        api.MapChannelsApi();
        api.MapGroupPicksApi();
        api.MapTopPicksApi();
        return app;
    }
}
