using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Aperture.Fakes;
using Aperture.MediaServers;
using Aperture.Tests.Infrastructure;

namespace Aperture.Tests;

// Every page that shows a connection state shows the state of the last test of the SAVED values: never a green line
// left over from an earlier address, never an old red error beside a newer green test.
public sealed class ConnectionStateTests
{
    // The content of <div id="connection-test" …>…</div>: what the next "Test connection" replaces (htmx innerHTML).
    private static string ConnectionTestRegion(string html) =>
        Regex.Match(html, "<div id=\"connection-test\"[^>]*>(.*?)</div>", RegexOptions.Singleline) is { Success: true } m
            ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException("no #connection-test region on the page");

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

    [Fact]
    public async Task A_failed_save_on_the_media_server_page_is_reported_where_the_next_test_replaces_it()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _a = app;
        await using var _s = server;

        var token = await admin.AntiforgeryTokenAsync("/admin/settings/media-server");
        var saved = await admin.PostFormAsync("/admin/settings/media-server", token,
            [new("Form.Type", "auto"), new("Form.BaseUrl", "http://127.0.0.1:9")]);
        var page = WebUtility.HtmlDecode(await saved.Content.ReadAsStringAsync());
        Assert.Contains("Saved, but the server did not answer the test", ConnectionTestRegion(page), StringComparison.Ordinal);
        Assert.DoesNotContain("Connected to", page, StringComparison.Ordinal);

        // A reload shows the saved address failing, not the facts remembered from the earlier, working address.
        var state = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/settings/media-server?handler=State"));
        Assert.Contains("The saved server does not answer the test", state, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Getting_started_shows_the_saved_server_failing_after_an_unreachable_address_is_saved_and_connected_after_a_good_one()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _a = app;
        await using var _s = server;

        static string MediaServerStep(string html) =>
            Regex.Match(html, "<li[^>]*data-step=\"Media server\"[^>]*>(.*?)</li>", RegexOptions.Singleline).Value;

        var step = MediaServerStep(WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/getting-started")));
        Assert.Contains("data-done=\"true\"", step, StringComparison.Ordinal);
        Assert.Contains($"Connected to {server.ServerName}", step, StringComparison.Ordinal);

        await admin.PatchAsJsonAsync("/api/settings/media-server/config", new { baseUrl = "http://127.0.0.1:9" });
        step = MediaServerStep(WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/getting-started")));
        Assert.Contains("data-done=\"false\"", step, StringComparison.Ordinal);
        Assert.DoesNotContain("Connected to", step, StringComparison.Ordinal);
        Assert.Contains("does not answer", step, StringComparison.Ordinal);

        await admin.PatchAsJsonAsync("/api/settings/media-server/config", new { baseUrl = server.BaseUrl });
        step = MediaServerStep(WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/getting-started")));
        Assert.Contains("data-done=\"true\"", step, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_setup_page_puts_a_rejected_key_where_the_next_test_result_goes_so_no_old_401_stays_beside_a_green_test()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b => b.User("Admin", "pw", admin: true));
        await using var app = new AppFactory();
        var client = app.CreateBrowserlessClient();
        var token = await client.AntiforgeryTokenAsync("/setup");
        var code = app.Services.GetRequiredService<SetupState>().SetupCode;
        await client.PostFormAsync("/setup?handler=Code", token, [new("code", code)]);
        token = await client.AntiforgeryTokenAsync("/setup");

        var badKey = await client.PostFormAsync("/setup?handler=Save", token,
            [new("Form.Type", "auto"), new("Form.BaseUrl", server.BaseUrl), new("Form.ApiKey", "0123456789abcdef0123456789abcdef")]);
        Assert.Equal(HttpStatusCode.BadRequest, badKey.StatusCode);
        var page = WebUtility.HtmlDecode(await badKey.Content.ReadAsStringAsync());
        var region = ConnectionTestRegion(page);
        Assert.Contains("rejected the API key (401)", region, StringComparison.Ordinal);
        // Nowhere else: the next test's result replaces the region, so the red line cannot outlive it.
        Assert.Equal(1, Regex.Count(page, "rejected the API key"));
    }
}
