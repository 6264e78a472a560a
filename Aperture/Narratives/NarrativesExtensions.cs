namespace Aperture.Narratives;

public static class NarrativesExtensions
{
    public const string HttpClientName = "text-generation";

    public static WebApplicationBuilder AddNarratives(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<NarrativeOptions>().BindConfiguration("Narratives")
            .Validate(o => o.TimeoutSeconds is > 0 and <= 600, "Narratives:TimeoutSeconds must be between 1 and 600.")
            .Validate(o => o.MaxRetries is >= 0 and <= 10, "Narratives:MaxRetries must be between 0 and 10.")
            .Validate(o => o.MaxConcurrency is > 0 and <= 64, "Narratives:MaxConcurrency must be between 1 and 64.")
            .Validate(o => o.PauseAfterFailureSeconds >= 0, "Narratives:PauseAfterFailureSeconds must not be negative.")
            .ValidateOnStart();
        // The OpenAI SDK has its own retry policy (honouring Retry-After); this client only carries the transport.
        builder.Services.AddHttpClient(HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        builder.Services.AddSingleton<NarrativeGate>();
        builder.Services.AddScoped<TextGenerationSettings>();
        builder.Services.AddScoped<NarrativeService>();
        return builder;
    }
}
