namespace Aperture.MediaServers;

// Prints the one-time setup code while no media server is configured.
public sealed class SetupCodeAnnouncer(IServiceProvider services, SetupState setup, ILogger<SetupCodeAnnouncer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var settings = scope.ServiceProvider.GetRequiredService<MediaServerSettings>();
        if ((await settings.GetAsync(cancellationToken)).IsConfigured)
        {
            setup.MarkConfigured();
            return;
        }
        logger.LogWarning("Aperture is not set up yet. Open /setup in a browser and enter the setup code: {SetupCode}", setup.SetupCode);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
