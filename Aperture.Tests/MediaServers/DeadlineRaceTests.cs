using Aperture.MediaServers;
using Polly.Timeout;

namespace Aperture.Tests.MediaServers;

// A caller with its own deadline (the poster proxy allows min(timeout, 4 s)) over an HTTP pipeline whose per-attempt timeout
// may be the same length: the two fire together, and which one the client sees first is luck. A timeout must come out as
// a timeout whichever wins; only the caller's own cancellation comes out as a cancellation.
public sealed class DeadlineRaceTests
{
    // Stands in for the resilience pipeline at the instant both deadlines pass: the caller's token is cancelled, then the
    // pipeline reports what it saw.
    private sealed class RaceHandler(CancellationTokenSource caller, Exception thrown) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            caller.Cancel();
            throw thrown;
        }
    }

    private static MediaServerClient Client(HttpMessageHandler handler) =>
        new(new HttpClient(handler), new MediaServerConnection(MediaServerType.Jellyfin, new Uri("http://jellyfin.test:8096/"), "0123456789abcdef"));

    [Fact]
    public async Task A_pipeline_timeout_that_fires_with_the_callers_deadline_is_reported_as_a_timeout()
    {
        using var caller = new CancellationTokenSource();
        var client = Client(new RaceHandler(caller, new TimeoutRejectedException("attempt timed out")));

        var image = await Assert.ThrowsAsync<MediaServerException>(() => client.GetImageAsync("abc", ServerImageType.Primary, "t", 600, caller.Token));
        Assert.Equal(MediaServerErrorKind.Timeout, image.Kind);

        using var again = new CancellationTokenSource();
        var info = await Assert.ThrowsAsync<MediaServerException>(() => Client(new RaceHandler(again, new TimeoutRejectedException("attempt timed out")))
            .GetVirtualFoldersAsync(again.Token));
        Assert.Equal(MediaServerErrorKind.Timeout, info.Kind);
    }

    [Fact]
    public async Task The_callers_own_cancellation_stays_a_cancellation()
    {
        using var caller = new CancellationTokenSource();
        var client = Client(new RaceHandler(caller, new TaskCanceledException("the caller hung up", null, caller.Token)));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetImageAsync("abc", ServerImageType.Primary, "t", 600, caller.Token));
    }
}
