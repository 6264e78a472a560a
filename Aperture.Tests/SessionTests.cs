using System.Net;
using Aperture.Fakes;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Aperture.Tests;

public sealed class SessionTests
{
    private static async Task<string> SessionCookieAsync(AppFactory app)
    {
        var client = app.CreateBrowserlessClient();
        var response = await client.LoginAsync("alice", "pw");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = SetCookieHeaderValue.ParseList(response.Headers.GetValues("Set-Cookie").ToList())
            .Single(c => c.Name == "aperture.session");
        return $"{cookie.Name}={cookie.Value}";
    }

    private static async Task<HttpStatusCode> MeWithCookieAsync(AppFactory app, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        request.Headers.Add("Cookie", cookie);
        return (await app.CreateClient(new() { HandleCookies = false, AllowAutoRedirect = false }).SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task Instances_sharing_session_secret_accept_each_others_sessions_and_a_new_secret_signs_everyone_out()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b => b.User("alice", "pw"));
        const string secret = "correct horse battery staple 42";
        await using var first = new AppFactory().With("SESSION_SECRET", secret);
        await first.ConnectAsync(server);
        var cookie = await SessionCookieAsync(first);

        // A second instance (own data folder, own Data Protection keys) with the same secret and users.
        await using var second = new AppFactory().With("SESSION_SECRET", secret);
        await second.ConnectAsync(server);
        await SessionCookieAsync(second);
        Assert.Equal(HttpStatusCode.OK, await MeWithCookieAsync(second, cookie));

        await using var rotated = new AppFactory().With("SESSION_SECRET", "a completely different secret!!");
        await rotated.ConnectAsync(server);
        await SessionCookieAsync(rotated);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithCookieAsync(rotated, cookie));
    }

    [Fact]
    public async Task Too_short_session_secret_stops_with_a_clear_error()
    {
        await using var app = new AppFactory().With("SESSION_SECRET", "short");
        var e = await Assert.ThrowsAnyAsync<Exception>(() => app.CreateBrowserlessClient().GetAsync("/login"));
        Assert.Contains("SESSION_SECRET must be at least 16 characters", StartupException.Find(e)?.Message ?? e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_disabled_or_removed_since_login_loses_the_session_and_a_demoted_admin_loses_admin()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("alice", "pw");
            b.User("carol", "pw");
            b.User("Boss", "pw", admin: true);
        });
        await using var app = new AppFactory();
        await app.ConnectAsync(server);
        var alice = await app.SignedInClientAsync("alice", "pw");
        var carol = await app.SignedInClientAsync("carol", "pw");
        var boss = await app.SignedInClientAsync("Boss", "pw");
        Assert.Equal(HttpStatusCode.OK, (await boss.GetAsync("/admin")).StatusCode);

        // What the user sync records when the server says so.
        await app.WithDbAsync(async db =>
        {
            await db.Users.Where(u => u.Name == "alice").ExecuteUpdateAsync(s => s.SetProperty(u => u.IsDisabled, true));
            // carol was deleted on the server: the user sync marks her gone.
            await db.Users.Where(u => u.Name == "carol").ExecuteUpdateAsync(s => s.SetProperty(u => u.PresentOnServer, false));
            return await db.Users.Where(u => u.Name == "Boss").ExecuteUpdateAsync(s => s.SetProperty(u => u.IsAdmin, false));
        });

        Assert.Equal(HttpStatusCode.Unauthorized, (await alice.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await carol.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await boss.GetAsync("/admin")).StatusCode);
    }
}
