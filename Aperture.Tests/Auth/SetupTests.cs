using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Fakes;
using Aperture.MediaServers;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Tests;

public sealed class SetupTests
{
    [Fact]
    public async Task Setup_needs_the_code_from_the_log_then_connects_the_server_and_leads_to_login()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b => b.User("Admin", "pw", admin: true));
        await using var app = new AppFactory();
        var client = app.CreateBrowserlessClient();

        var token = await client.AntiforgeryTokenAsync("/setup");
        var wrong = await client.PostFormAsync("/setup?handler=Code", token, [new("code", "AAAA-BBBB")]);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("not the setup code", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Without the code, the server form cannot be submitted at all.
        var sneaky = await client.PostFormAsync("/setup?handler=Save", token,
            [new("Form.Type", "auto"), new("Form.BaseUrl", server.BaseUrl), new("Form.ApiKey", server.ApiKey)]);
        Assert.Equal(HttpStatusCode.Redirect, sneaky.StatusCode);
        Assert.False((await app.Services.CreateScope().ServiceProvider.GetRequiredService<MediaServerSettings>().GetAsync(default)).IsConfigured);

        var code = app.Services.GetRequiredService<SetupState>().SetupCode;
        var right = await client.PostFormAsync("/setup?handler=Code", token, [new("code", code.ToLowerInvariant())]);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);

        token = await client.AntiforgeryTokenAsync("/setup");
        var test = await client.PostFormAsync("/setup?handler=Test", token,
            [new("Form.Type", "auto"), new("Form.BaseUrl", server.BaseUrl), new("Form.ApiKey", server.ApiKey)], htmx: true);
        var fragment = await test.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        Assert.DoesNotContain("<html", fragment, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"Connected to <strong>{server.ServerName}</strong>", fragment, StringComparison.Ordinal);

        var badKey = await client.PostFormAsync("/setup?handler=Save", token,
            [new("Form.Type", "auto"), new("Form.BaseUrl", server.BaseUrl), new("Form.ApiKey", "0123456789abcdef0123456789abcdef")]);
        Assert.Equal(HttpStatusCode.BadRequest, badKey.StatusCode);
        Assert.Contains("rejected the API key", await badKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var save = await client.PostFormAsync("/setup?handler=Save", token,
            [new("Form.Type", "auto"), new("Form.BaseUrl", server.BaseUrl + "/"), new("Form.ApiKey", server.ApiKey)]);
        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Equal("/login?connected=1", save.Headers.Location!.OriginalString);

        // Setup is over: the page now leads to login, and login works.
        var again = await client.GetAsync("/setup");
        Assert.Equal("/login", again.Headers.Location!.OriginalString);
        await client.LoginOkAsync("Admin", "pw");
        var info = await client.GetFromJsonAsync<JsonElement>("/api/settings/media-server");
        Assert.Equal("jellyfin", info.GetProperty("type").GetString());
        Assert.Equal(server.ServerName, info.GetProperty("serverName").GetString());
        Assert.Equal(server.BaseUrl, info.GetProperty("baseUrl").GetString());
    }

    [Theory]
    [InlineData(FakeDialect.Jellyfin)]
    [InlineData(FakeDialect.Emby)]
    public async Task Api_key_is_encrypted_in_the_database_and_never_sent_to_a_browser(FakeDialect dialect)
    {
        await using var server = await FakeMediaServer.StartAsync(dialect, b => b.User("Admin", "pw", admin: true));
        await using var app = new AppFactory();
        await app.ConnectAsync(server);

        var raw = await app.WithDbAsync(db => db.Settings.AsNoTracking().SingleAsync(s => s.Key == "mediaServer.apiKey"));
        Assert.True(raw.IsSecret);
        Assert.DoesNotContain(server.ApiKey, raw.Value, StringComparison.Ordinal);
        Assert.True(raw.Value.Length > server.ApiKey.Length);

        var client = await app.SignedInClientAsync("Admin", "pw");
        foreach (var path in new[] { "/admin", "/admin/settings/media-server", "/api/settings/media-server",
                     "/api/settings/media-server/config", "/picks", "/login", "/setup" })
        {
            var response = await client.GetAsync(path);
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(server.ApiKey, text, StringComparison.Ordinal);
        }
        var config = await client.GetFromJsonAsync<JsonElement>("/api/settings/media-server/config");
        Assert.True(config.GetProperty("apiKeySet").GetBoolean());
        Assert.Contains("•••• set", System.Net.WebUtility.HtmlDecode(await client.GetStringAsync("/admin/settings/media-server")), StringComparison.Ordinal);

        var test = await client.PostAsJsonAsync("/api/settings/media-server/test", new { });
        Assert.DoesNotContain(server.ApiKey, await test.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
