namespace Aperture.Feedback;

public static class FeedbackExtensions
{
    public static WebApplicationBuilder AddFeedback(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<FeedbackService>();
        builder.Services.AddScoped<TuningService>();
        return builder;
    }
}
