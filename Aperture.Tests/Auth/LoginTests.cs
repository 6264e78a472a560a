using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Fakes;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Tests;

public sealed class LoginTests
{
    public static TheoryData<FakeDialect> Dialects => [FakeDialect.Jellyfin, FakeDialect.Emby];

    private static Task<FakeMediaServer> StartServerAsync(FakeDialect dialect) => FakeMediaServer.StartAsync(dialect, b =>
    {
        b.User("Admin", "admin-pw", admin: true);
        b.User("alice", "alice-pw");
        b.User("mallory", "pw", disabled: true);
    });

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Admin_and_normal_user_sign_in_with_their_media_server_accounts(FakeDialect dialect)
    {
        await using var server = await StartServerAsync(dialect);
        await using var app = new AppFactory();
        await app.ConnectAsync(server);

        var admin = await app.SignedInClientAsync("Admin", "admin-pw");
        var me = await admin.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.True(me.GetProperty("isAdmin").GetBoolean());
        Assert.Equal("Admin", me.GetProperty("name").GetString());

        var alice = await app.SignedInClientAsync("alice", "alice-pw");
        me = await alice.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.False(me.GetProperty("isAdmin").GetBoolean());

        // Users are recorded on first login with the server's id and admin flag.
        var users = await app.WithDbAsync(db => db.Users.OrderBy(u => u.Name).ToListAsync());
        Assert.Equal(["Admin", "alice"], users.Select(u => u.Name));
        Assert.Equal([true, false], users.Select(u => u.IsAdmin));
        Assert.All(users, u => Assert.NotNull(u.FirstLoginAt));
        var aliceOnServer = server.State.Users.Single(u => u.Name == "alice");
        Assert.Equal(aliceOnServer.Id, users[1].Id);

        // The login used the dialect's own auth header.
        var login = server.Calls.Last(c => c.Path.EndsWith("/Users/AuthenticateByName", StringComparison.OrdinalIgnoreCase));
        if (dialect == FakeDialect.Jellyfin)
        {
            Assert.StartsWith("MediaBrowser ", login.Headers["Authorization"], StringComparison.Ordinal);
        }
        else
        {
            Assert.StartsWith("/emby/", login.Path, StringComparison.OrdinalIgnoreCase);
            Assert.StartsWith("Emby ", login.Headers["X-Emby-Authorization"], StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Wrong_password_or_disabled_account_says_invalid_username_or_password(FakeDialect dialect)
    {
        await using var server = await StartServerAsync(dialect);
        await using var app = new AppFactory();
        await app.ConnectAsync(server);
        var client = app.CreateBrowserlessClient();

        foreach (var (user, password) in new[] { ("alice", "wrong"), ("nobody", "x"), ("mallory", "pw") })
        {
            var response = await client.LoginAsync(user, password);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Invalid username or password.", problem.GetProperty("title").GetString());
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Users.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Server_down_or_failing_says_the_media_server_is_unreachable(FakeDialect dialect)
    {
        var server = await StartServerAsync(dialect);
        await using var app = new AppFactory();
        await app.ConnectAsync(server);
        var client = app.CreateBrowserlessClient();

        server.Faults.Add(FaultRule.OnPath("/Users/AuthenticateByName").Respond(Fault.Status(500)).Forever());
        await AssertUnreachableAsync(client);

        server.Faults.Clear();
        server.Faults.Add(FaultRule.OnPath("/Users/AuthenticateByName").Respond(Fault.Timeout).Forever());
        await AssertUnreachableAsync(client);

        server.Faults.Clear();
        server.Faults.Add(FaultRule.OnPath("/Users/AuthenticateByName").Respond(Fault.BadJson).Forever());
        await AssertUnreachableAsync(client);

        await server.DisposeAsync();
        await AssertUnreachableAsync(client);

        // The login page says the same to a person.
        var token = await client.AntiforgeryTokenAsync("/login");
        var page = await client.PostFormAsync("/login", token, [new("Username", "alice"), new("Password", "alice-pw")]);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Contains("The media server is unreachable right now", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task AssertUnreachableAsync(HttpClient client)
    {
        var response = await client.LoginAsync("alice", "alice-pw");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var title = problem.GetProperty("title").GetString()!;
        Assert.StartsWith("The media server is unreachable right now", title, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_page_signs_in_and_returns_to_the_page_asked_for()
    {
        await using var server = await StartServerAsync(FakeDialect.Jellyfin);
        await using var app = new AppFactory();
        await app.ConnectAsync(server);
        var client = app.CreateBrowserlessClient();

        var redirect = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.StartsWith("/login?ReturnUrl=%2Fadmin", redirect.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var token = await client.AntiforgeryTokenAsync("/login?ReturnUrl=%2Fadmin");
        var login = await client.PostFormAsync("/login", token,
            [new("Username", "Admin"), new("Password", "admin-pw"), new("ReturnUrl", "/admin")]);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/admin", login.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin")).StatusCode);

        // An off-site ReturnUrl is ignored (no open redirect).
        var other = app.CreateBrowserlessClient();
        token = await other.AntiforgeryTokenAsync("/login");
        login = await other.PostFormAsync("/login", token,
            [new("Username", "alice"), new("Password", "alice-pw"), new("ReturnUrl", "https://evil.example/")]);
        Assert.Equal("/", login.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Login_form_without_antiforgery_token_is_rejected()
    {
        await using var server = await StartServerAsync(FakeDialect.Jellyfin);
        await using var app = new AppFactory();
        await app.ConnectAsync(server);
        var client = app.CreateBrowserlessClient();
        var response = await client.PostFormAsync("/login", null, [new("Username", "Admin"), new("Password", "admin-pw")]);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);
    }
}

public sealed class SignOutTests
{
    [Fact]
    public async Task Sign_out_button_on_any_page_ends_the_session()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b => b.User("Admin", "pw", admin: true));
        await using var app = new AppFactory();
        await app.ConnectAsync(server);
        var client = app.CreateBrowserlessClient();
        var token = await client.AntiforgeryTokenAsync("/login");
        var login = await client.PostFormAsync("/login", token, [new("Username", "Admin"), new("Password", "pw")]);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        // /picks has no form but the layout's sign-out button: its token is the one a browser sends.
        token = await client.AntiforgeryTokenAsync("/picks");
        var logout = await client.PostFormAsync("/logout", token, []);
        Assert.True(logout.StatusCode == HttpStatusCode.Redirect, await logout.Content.ReadAsStringAsync());
        Assert.Equal("/login", logout.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);
    }
}
