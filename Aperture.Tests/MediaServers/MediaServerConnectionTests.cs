using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Aperture.Fakes;
using Aperture.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Aperture.Tests;

// "Test connection" as an admin uses it: what answers, and why not.
public sealed class MediaServerConnectionTests
{
    private static async Task<(AppFactory App, HttpClient Admin, FakeMediaServer Server)> SignedInAdminAsync(FakeServerVersion version = FakeServerVersion.Jellyfin10_11)
    {
        var dialect = version.Dialect();
        var server = await FakeMediaServer.StartAsync(version, b => b.User("Admin", "pw", admin: true));
        var app = new AppFactory();
        await app.ConnectAsync(server);
        var admin = await app.SignedInClientAsync("Admin", "pw");
        return (app, admin, server);
    }

    private static async Task<JsonElement> TestAsync(HttpClient admin, object body)
    {
        var response = await admin.PostAsJsonAsync("/api/settings/media-server/test", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Theory]
    [InlineData(FakeServerVersion.Jellyfin10_11, "jellyfin", "Jellyfin Server")]
    [InlineData(FakeServerVersion.Jellyfin12_0, "jellyfin", "Jellyfin Server")]
    [InlineData(FakeServerVersion.Emby4_8, "emby", "Emby Server")]
    public async Task Detects_the_server_type_and_reports_name_product_and_version(FakeServerVersion version, string type, string product)
    {
        var (app, admin, server) = await SignedInAdminAsync(version);
        await using var _ = app;
        await using var __ = server;

        var result = await TestAsync(admin, new { type = "auto", baseUrl = server.BaseUrl, apiKey = server.ApiKey });
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.Equal(type, result.GetProperty("type").GetString());
        Assert.Equal(product, result.GetProperty("product").GetString());
        Assert.Equal(server.Version, result.GetProperty("version").GetString());
        Assert.Equal(server.ServerName, result.GetProperty("serverName").GetString());
    }

    [Fact]
    public async Task Wrong_api_key_is_reported_as_401()
    {
        var (app, admin, server) = await SignedInAdminAsync();
        await using var _ = app;
        await using var __ = server;
        var result = await TestAsync(admin, new { baseUrl = server.BaseUrl, apiKey = "ffffffffffffffffffffffffffffffff" });
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Equal("Unauthorized", result.GetProperty("errorKind").GetString());
        Assert.Contains("rejected the API key (401)", result.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Closed_port_is_reported_as_unreachable()
    {
        var (app, admin, server) = await SignedInAdminAsync();
        await using var _ = app;
        await using var __ = server;
        var result = await TestAsync(admin, new { baseUrl = $"http://127.0.0.1:{FreePort()}", apiKey = server.ApiKey });
        Assert.Equal("Unreachable", result.GetProperty("errorKind").GetString());
        Assert.Contains("unreachable", result.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_that_never_answers_is_reported_as_a_timeout()
    {
        var (app, admin, server) = await SignedInAdminAsync();
        await using var _ = app;
        await using var __ = server;
        server.Faults.Add(FaultRule.OnPath("/System/Info").Respond(Fault.Timeout).Forever());
        var result = await TestAsync(admin, new { baseUrl = server.BaseUrl, apiKey = server.ApiKey });
        Assert.Equal("Timeout", result.GetProperty("errorKind").GetString());
        Assert.Contains("timeout", result.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_web_server_that_is_not_jellyfin_or_emby_is_reported_as_such()
    {
        var (app, admin, server) = await SignedInAdminAsync();
        await using var _ = app;
        await using var __ = server;
        await using var other = await StartWebAppAsync(https: false, c => c.Response.WriteAsync("<html>router admin</html>"));
        var result = await TestAsync(admin, new { baseUrl = other.Urls.First(), apiKey = server.ApiKey });
        Assert.Equal("NotAMediaServer", result.GetProperty("errorKind").GetString());
        Assert.Contains("not like a Jellyfin or Emby server", result.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Untrusted_certificate_is_reported_as_a_tls_problem()
    {
        var (app, admin, server) = await SignedInAdminAsync();
        await using var _ = app;
        await using var __ = server;
        await using var tls = await StartWebAppAsync(https: true, c => c.Response.WriteAsJsonAsync(new { Version = "10.11.6", ProductName = "Jellyfin Server", Id = "x" }));
        var result = await TestAsync(admin, new { baseUrl = tls.Urls.First(), apiKey = server.ApiKey });
        Assert.Equal("Tls", result.GetProperty("errorKind").GetString());
        Assert.Contains("TLS handshake", result.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_from_the_settings_page_answers_htmx_with_a_fragment()
    {
        var (app, admin, server) = await SignedInAdminAsync(FakeServerVersion.Emby4_8);
        await using var _ = app;
        await using var __ = server;
        var token = await admin.AntiforgeryTokenAsync("/admin/settings/media-server");
        var response = await admin.PostFormAsync("/admin/settings/media-server?handler=Test", token,
            [new("Form.Type", "auto"), new("Form.BaseUrl", server.BaseUrl), new("Form.ApiKey", "")], htmx: true);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<html", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Emby Server", html, StringComparison.Ordinal);

        // The same htmx request without the token (another site's page) is refused.
        var forged = await admin.PostFormAsync("/admin/settings/media-server?handler=Test", null,
            [new("Form.BaseUrl", server.BaseUrl)], htmx: true);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<WebApplication> StartWebAppAsync(bool https, RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
        {
            if (https)
            {
                l.UseHttps(SelfSignedCertificate());
            }
        }));
        var web = builder.Build();
        web.Run(handler);
        await web.StartAsync();
        return web;
    }

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }
}
