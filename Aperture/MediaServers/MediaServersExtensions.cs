using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Aperture.MediaServers;

public static class MediaServersExtensions
{
    public static WebApplicationBuilder AddMediaServers(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MediaServerHttpOptions>()
            .BindConfiguration(MediaServerHttpOptions.Section)
            .Validate(o => o.TimeoutSeconds is > 0 and <= 600, "MediaServer:TimeoutSeconds must be between 1 and 600")
            .Validate(o => o.Retries is >= 0 and <= 10, "MediaServer:Retries must be between 0 and 10")
            .ValidateOnStart();

        // Polly owns timeouts; HttpClient's own 100 s limit would only confuse the messages.
        builder.Services.AddHttpClient(MediaServerClientFactory.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("media-server", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<MediaServerHttpOptions>>().Value;
                var attempt = TimeSpan.FromSeconds(options.TimeoutSeconds);
                pipeline.AddTimeout(attempt * (options.Retries + 1) + TimeSpan.FromSeconds(options.Retries * 2));
                if (options.Retries > 0)
                {
                    var retry = new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.Retries,
                        BackoffType = DelayBackoffType.Exponential,
                        Delay = TimeSpan.FromMilliseconds(500),
                        UseJitter = true,
                    };
                    // A login or a policy update is not repeated behind the admin's back.
                    retry.DisableForUnsafeHttpMethods();
                    pipeline.AddRetry(retry);
                }
                pipeline.AddTimeout(attempt);
            });

        builder.Services.AddHttpClient(MediaServerClientFactory.ProbeClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("media-server-probe", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<MediaServerHttpOptions>>().Value;
                pipeline.AddTimeout(TimeSpan.FromSeconds(Math.Min(options.TimeoutSeconds, 10)));
            });

        builder.Services.AddSingleton<MediaServerClientFactory>();
        builder.Services.AddScoped<MediaServerSettings>();
        builder.Services.AddHostedService<SetupCodeAnnouncer>();
        return builder;
    }
}
