using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aperture.Fakes;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Tests;

// The invalid-patch rows are refused before anything is stored, so they share one host (each checks that no setting changed);
// the tests that change the connection start their own.
public sealed class SettingsApiTests(AdminHost host) : IClassFixture<AdminHost>
{
    private static async Task<List<(string Key, string Value)>> SettingsRowsAsync(AppFactory app) =>
        (await app.WithDbAsync(db => db.Settings.AsNoTracking().OrderBy(s => s.Key).ToListAsync()))
        .Select(s => (s.Key, s.Value)).ToList();

    [Theory]
    [InlineData("{\"baseUrl\": ", "baseUrl", "not valid JSON")]
    [InlineData("{\"baseUrl\": 42}", "baseUrl", "not valid JSON")]
    [InlineData("{\"baseUrl\": \"ftp://nas/\"}", "baseUrl", "http:// or https://")]
    [InlineData("{\"baseUrl\": \"http://user:pw@nas:8096\"}", "baseUrl", "without user name")]
    [InlineData("{\"type\": \"plex\"}", "type", "auto, jellyfin or emby")]
    [InlineData("{\"apiKey\": \"short\"}", "apiKey", "looks wrong")]
    [InlineData("{\"apiKey\": \"\"}", "apiKey", "looks wrong")]
    [InlineData("{\"baseUrl\": \"http://nas:8096\", \"colour\": \"blue\"}", "colour", "not valid JSON")]
    public async Task Invalid_patch_is_a_400_naming_the_field_and_saves_nothing(string body, string field, string message)
    {
        var app = host.App;
        var admin = await host.AdminClientAsync();
        var before = await SettingsRowsAsync(app);

        var response = await admin.PatchAsync("/api/settings/media-server/config", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), problem.ToString());
        Assert.Contains(message, messages[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await SettingsRowsAsync(app));
    }

    [Fact]
    public async Task Patch_saves_a_new_address_and_key_and_reports_whether_the_server_answered()
    {
        await using var first = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b => b.User("Admin", "pw", admin: true));
        await using var second = await FakeMediaServer.StartAsync(FakeDialect.Emby, b => b.User("Admin", "pw", admin: true));
        await using var app = new AppFactory();
        await app.ConnectAsync(first);
        var admin = await app.SignedInClientAsync("Admin", "pw");

        var response = await admin.PatchAsJsonAsync("/api/settings/media-server/config", new { baseUrl = second.BaseUrl, apiKey = second.ApiKey });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("test").GetProperty("ok").GetBoolean());
        Assert.Equal("emby", body.GetProperty("detected").GetProperty("type").GetString());
        Assert.Equal(second.BaseUrl, body.GetProperty("baseUrl").GetString());
        Assert.True(body.GetProperty("apiKeySet").GetBoolean());
        Assert.DoesNotContain(second.ApiKey, body.ToString(), StringComparison.Ordinal);

        // Saved while the server is down: kept, and the answer says why the test failed.
        var down = $"http://127.0.0.1:{FreePort()}";
        response = await admin.PatchAsJsonAsync("/api/settings/media-server/config", new { baseUrl = down });
        body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(down, body.GetProperty("baseUrl").GetString());
        Assert.False(body.GetProperty("test").GetProperty("ok").GetBoolean());
        Assert.Equal("Unreachable", body.GetProperty("test").GetProperty("errorKind").GetString());
    }

    [Fact]
    public async Task Environment_variables_configure_the_server_and_skip_setup()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Emby, b => b.User("Admin", "pw", admin: true));
        await using var app = new AppFactory()
            .With("MEDIA_SERVER_BASE_URL", server.BaseUrl)
            .With("MEDIA_SERVER_API_KEY", server.ApiKey);
        var admin = app.CreateBrowserlessClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/login")).StatusCode);
        await admin.LoginOkAsync("Admin", "pw");

        var config = await admin.GetFromJsonAsync<JsonElement>("/api/settings/media-server/config");
        Assert.Equal("environment", config.GetProperty("baseUrlSource").GetString());
        Assert.Equal("environment", config.GetProperty("apiKeySource").GetString());
        Assert.True(config.GetProperty("apiKeySet").GetBoolean());
        Assert.Equal("emby", config.GetProperty("detected").GetProperty("type").GetString());
        Assert.DoesNotContain(server.ApiKey, await admin.GetStringAsync("/admin/settings/media-server"), StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
