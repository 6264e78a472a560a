using System.Net;
using System.Net.Http.Json;
using Aperture.Tests.Infrastructure;

namespace Aperture.Tests;

// The media server settings page shows the state of the last test of the SAVED values, never a green line left over
// from an earlier address.
public sealed class ConnectionStateTests
{
    [Fact]
    public async Task After_saving_an_unreachable_address_the_page_shows_it_failing_not_the_old_connected_line()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _a = app;
        await using var _s = server;

        var state = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/settings/media-server?handler=State"));
        Assert.Contains("Connected to", state, StringComparison.Ordinal);

        var down = "http://127.0.0.1:9";
        await admin.PatchAsJsonAsync("/api/settings/media-server/config", new { baseUrl = down });

        var page = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/settings/media-server"));
        Assert.DoesNotContain("Connected to", page, StringComparison.Ordinal);
        state = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/settings/media-server?handler=State"));
        Assert.DoesNotContain("Connected to", state, StringComparison.Ordinal);
        Assert.Contains("The saved server does not answer the test", state, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", state, StringComparison.Ordinal);
    }
}
