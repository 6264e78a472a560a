using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Auth;
using Aperture.Catalog;
using Aperture.Fakes;
using Aperture.MediaServers;
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
    public async Task A_restart_with_the_same_session_secret_keeps_sessions_and_a_new_secret_signs_everyone_out()
    {
        // Sessions live in the database: another instance (here the next start) on the same database and secret accepts the
        // cookie; a changed secret cannot read it.
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b => b.User("alice", "pw"));
        const string secret = "correct horse battery staple 42";
        var first = new AppFactory().With("SESSION_SECRET", secret);
        await first.ConnectAsync(server);
        var cookie = await SessionCookieAsync(first);
        var second = first.Restarted();
        await first.DisposeAsync();

        Assert.Equal(HttpStatusCode.OK, await MeWithCookieAsync(second, cookie));
        var rotated = second.Restarted().With("SESSION_SECRET", "a completely different secret!!");
        await second.DisposeAsync();
        await using var _ = rotated;
        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithCookieAsync(rotated, cookie));
    }

    [Fact]
    public async Task After_logout_the_old_cookie_gets_401()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b => b.User("alice", "pw"));
        await using var app = new AppFactory();
        await app.ConnectAsync(server);
        var cookie = await SessionCookieAsync(app);
        var other = await SessionCookieAsync(app);
        Assert.Equal(HttpStatusCode.OK, await MeWithCookieAsync(app, cookie));

        using var logout = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout") { Content = JsonContent.Create(new { }) };
        logout.Headers.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.NoContent, (await app.CreateClient(new() { HandleCookies = false, AllowAutoRedirect = false }).SendAsync(logout)).StatusCode);

        // The browser (or a thief) keeps sending the old cookie: it is dead on the server. Her other browser is not.
        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithCookieAsync(app, cookie));
        Assert.Equal(HttpStatusCode.OK, await MeWithCookieAsync(app, other));
    }

    [Fact]
    public async Task Sign_out_everywhere_by_the_user_or_by_an_admin_ends_every_session_of_that_user_only()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("alice", "pw");
            b.User("Boss", "pw", admin: true);
        });
        await using var app = new AppFactory();
        await app.ConnectAsync(server);
        var phone = await SessionCookieAsync(app);
        var laptop = app.CreateBrowserlessClient();
        await laptop.LoginOkAsync("alice", "pw");
        var boss = await app.SignedInClientAsync("Boss", "pw");

        var ended = await laptop.PostAsJsonAsync("/api/auth/sessions/revoke-all", new { });
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(2, (await ended.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ended").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithCookieAsync(app, phone));
        Assert.Equal(HttpStatusCode.Unauthorized, (await laptop.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await boss.GetAsync("/api/auth/me")).StatusCode);

        // An admin ends alice's new sessions: by the API, and from Admin › Users.
        var again = await SessionCookieAsync(app);
        var aliceId = await app.WithDbAsync(db => db.Users.Where(u => u.Name == "alice").Select(u => u.Id).SingleAsync());
        var alice = app.CreateBrowserlessClient();
        await alice.LoginOkAsync("alice", "pw");
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.PostAsJsonAsync($"/api/users/{aliceId}/sessions/revoke", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await boss.PostAsJsonAsync($"/api/users/{aliceId}/sessions/revoke", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithCookieAsync(app, again));

        await alice.LoginOkAsync("alice", "pw");
        var token = await boss.AntiforgeryTokenAsync("/admin/users");
        Assert.Equal(HttpStatusCode.BadRequest, (await boss.PostFormAsync("/admin/users?handler=EndSessions", null, [new("id", aliceId)], htmx: true)).StatusCode);
        var row = await boss.PostFormAsync("/admin/users?handler=EndSessions", token, [new("id", aliceId)], htmx: true);
        Assert.Equal(HttpStatusCode.OK, row.StatusCode);
        Assert.DoesNotContain("<html", await row.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await alice.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await boss.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Too_short_session_secret_stops_with_a_clear_error()
    {
        await using var app = new AppFactory().With("SESSION_SECRET", "short");
        var e = await Assert.ThrowsAnyAsync<Exception>(() => app.CreateBrowserlessClient().GetAsync("/login"));
        Assert.Contains("SESSION_SECRET must be at least 16 characters", StartupException.Find(e)?.Message ?? e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_disabled_or_removed_on_the_server_loses_the_session_at_the_next_request_after_the_user_sync_and_a_demoted_admin_loses_admin()
    {
        FakeUser aliceOnServer = null!, carolOnServer = null!, bossOnServer = null!;
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            aliceOnServer = b.User("alice", "pw");
            carolOnServer = b.User("carol", "pw");
            bossOnServer = b.User("Boss", "pw", admin: true);
        });
        await using var app = new AppFactory();
        await app.ConnectAsync(server);
        var alice = await app.SignedInClientAsync("alice", "pw");
        var carol = await app.SignedInClientAsync("carol", "pw");
        var boss = await app.SignedInClientAsync("Boss", "pw");
        // Each session checked a moment ago, so its answer is in the session cache.
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await carol.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await boss.GetAsync("/admin")).StatusCode);

        aliceOnServer.IsDisabled = true;
        server.State.RemoveUser(carolOnServer);
        bossOnServer.IsAdministrator = false;
        await SyncUsersAsync(app);

        Assert.Equal(HttpStatusCode.Unauthorized, (await alice.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await carol.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await boss.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task Sessions_checked_a_moment_ago_are_refused_at_once_after_sign_out_sign_out_everywhere_and_an_admins_revoke()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("alice", "pw");
            b.User("Boss", "pw", admin: true);
        });
        await using var app = new AppFactory();
        await app.ConnectAsync(server);
        var boss = await app.SignedInClientAsync("Boss", "pw");

        // Sign-out: the cookie was accepted (and its check cached) just before.
        var cookie = await SessionCookieAsync(app);
        Assert.Equal(HttpStatusCode.OK, await MeWithCookieAsync(app, cookie));
        using (var logout = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout") { Content = JsonContent.Create(new { }) })
        {
            logout.Headers.Add("Cookie", cookie);
            Assert.Equal(HttpStatusCode.NoContent, (await app.CreateClient(new() { HandleCookies = false, AllowAutoRedirect = false }).SendAsync(logout)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithCookieAsync(app, cookie));

        // Sign out everywhere, from another of her browsers.
        var phone = await SessionCookieAsync(app);
        var laptop = await app.SignedInClientAsync("alice", "pw");
        Assert.Equal(HttpStatusCode.OK, await MeWithCookieAsync(app, phone));
        Assert.Equal(HttpStatusCode.OK, (await laptop.PostAsJsonAsync("/api/auth/sessions/revoke-all", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithCookieAsync(app, phone));

        // An admin ends her sessions.
        var aliceId = await app.WithDbAsync(db => db.Users.Where(u => u.Name == "alice").Select(u => u.Id).SingleAsync());
        var again = await SessionCookieAsync(app);
        Assert.Equal(HttpStatusCode.OK, await MeWithCookieAsync(app, again));
        Assert.Equal(HttpStatusCode.OK, (await boss.PostAsJsonAsync($"/api/users/{aliceId}/sessions/revoke", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithCookieAsync(app, again));
        Assert.Equal(HttpStatusCode.OK, (await boss.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task A_change_written_by_another_instance_takes_effect_once_the_cached_session_check_expires()
    {
        // Another instance on the same database deletes the row or disables the user: this instance has no event to
        // evict on, so its cached answer holds for at most SessionCache.Lifetime.
        var clock = new ManualClock();
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b => b.User("alice", "pw"));
        await using var app = new AppFactory().WithServices(s => s.AddSingleton<TimeProvider>(clock));
        await app.ConnectAsync(server);
        var alice = await app.SignedInClientAsync("alice", "pw");
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/api/auth/me")).StatusCode);

        await app.WithDbAsync(db => db.Users.Where(u => u.Name == "alice").ExecuteUpdateAsync(s => s.SetProperty(u => u.IsDisabled, true)));
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/api/auth/me")).StatusCode);

        clock.Advance(SessionCache.Lifetime + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await alice.GetAsync("/api/auth/me")).StatusCode);
    }

    private static async Task SyncUsersAsync(AppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var client = await scope.ServiceProvider.GetRequiredService<MediaServerSettings>().GetClientAsync(CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<ServerUserSync>().SyncAsync(client, CancellationToken.None);
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }
}
