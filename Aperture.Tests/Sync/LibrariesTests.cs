using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aperture.Fakes;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Tests.Sync;

// A fresh install for each test that switches libraries; the refusals (bad patches, a normal user), which must change
// nothing, share one install (LibrariesRefusals) and each checks that both switches are still on.
public sealed class LibrariesRefusals : IAsyncLifetime
{
    internal (FakeMediaServer Server, AppFactory App, HttpClient Admin) World { get; private set; }

    public async ValueTask InitializeAsync() => World = await LibrariesTests.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (World.App is not null)
        {
            await World.App.DisposeAsync();
            await World.Server.DisposeAsync();
        }
    }
}

public sealed class LibrariesTests(LibrariesRefusals refusals) : IClassFixture<LibrariesRefusals>
{
    internal static async Task<(FakeMediaServer Server, AppFactory App, HttpClient Admin)> StartAsync(FakeServerVersion version = FakeServerVersion.Jellyfin10_11)
    {
        var dialect = version.Dialect();
        var server = await FakeMediaServer.StartAsync(version, b =>
        {
            b.User("Admin", "pw", admin: true);
            b.User("alice", "pw");
            b.Movie("Alien", 1979, library: b.MovieLibrary("Movies"));
            b.Series("Dark", 2017, library: b.ShowLibrary("Shows"));
            b.Library("Music", "music");
        });
        var app = new AppFactory();
        await app.ConnectAsync(server);
        var admin = await app.SignedInClientAsync("Admin", "pw");
        return (server, app, admin);
    }

    private static Task<List<(string Name, bool Enabled)>> SwitchesAsync(AppFactory app) =>
        app.WithDbAsync(async db => (await db.Libraries.OrderBy(l => l.Name).Select(l => new { l.Name, l.Enabled }).ToListAsync()).Select(l => (l.Name, l.Enabled)).ToList());

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task The_api_refreshes_lists_and_switches_libraries(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        var (server, app, admin) = await StartAsync(version);
        await using var serverScope = server;
        await using var appScope = app;

        var refresh = await admin.PostAsJsonAsync("/api/settings/libraries/sync", new { });
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        var body = await refresh.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, body.GetProperty("added").GetInt32());

        var list = await admin.GetFromJsonAsync<JsonElement>("/api/settings/libraries");
        Assert.Equal(["Movies:movies:True", "Shows:series:True"],
            list.EnumerateArray().Select(l => $"{l.GetProperty("name").GetString()}:{l.GetProperty("kind").GetString()}:{l.GetProperty("enabled").GetBoolean()}"));
        var shows = list.EnumerateArray().Single(l => l.GetProperty("name").GetString() == "Shows");
        Assert.Equal(server.State.FindLibrary("Shows")!.ItemId, shows.GetProperty("id").GetString());

        var patch = await admin.PatchAsJsonAsync($"/api/settings/libraries/{shows.GetProperty("id").GetString()}", new { enabled = false });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.False((await patch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());
        Assert.Equal([("Movies", true), ("Shows", false)], await SwitchesAsync(app));

        Assert.Equal(HttpStatusCode.NotFound, (await admin.PatchAsJsonAsync("/api/settings/libraries/nope", new { enabled = true })).StatusCode);

        // The server failing: a problem naming the cause, nothing changed.
        server.Faults.Add(FaultRule.OnPath("/Library/VirtualFolders").Respond(Fault.Status(500)).Forever());
        var failed = await admin.PostAsJsonAsync("/api/settings/libraries/sync", new { });
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Contains("HTTP 500", (await failed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal([("Movies", true), ("Shows", false)], await SwitchesAsync(app));
    }

    [Theory]
    [InlineData("{\"enabled\": \"yes\"}", "enabled")]
    [InlineData("{\"enabled\": 1}", "enabled")]
    [InlineData("{}", "enabled")]
    [InlineData("{\"enabled\": null}", "enabled")]
    [InlineData("{\"enabled\": false, \"name\": \"x\"}", "name")]
    [InlineData("{\"enabled\": ", "enabled")]
    [InlineData("[true]", "$")]
    public async Task A_bad_patch_is_a_400_naming_the_field_and_changes_nothing(string json, string field)
    {
        var (server, app, admin) = refusals.World;
        await admin.PostAsJsonAsync("/api/settings/libraries/sync", new { });
        var id = server.State.FindLibrary("Movies")!.ItemId;

        var response = await admin.PatchAsync($"/api/settings/libraries/{id}", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal([("Movies", true), ("Shows", true)], await SwitchesAsync(app));
    }

    [Fact]
    public async Task A_normal_user_can_neither_see_nor_change_libraries()
    {
        var (server, app, admin) = refusals.World;
        await admin.PostAsJsonAsync("/api/settings/libraries/sync", new { });
        var alice = await app.SignedInClientAsync("alice", "pw");
        var id = server.State.FindLibrary("Movies")!.ItemId;

        Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetAsync("/api/settings/libraries")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.PatchAsJsonAsync($"/api/settings/libraries/{id}", new { enabled = false })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.PostAsJsonAsync("/api/settings/libraries/sync", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetAsync("/admin/settings/libraries")).StatusCode);
        var token = await admin.AntiforgeryTokenAsync("/admin/settings/libraries");
        var post = await alice.PostFormAsync("/admin/settings/libraries?handler=Toggle", token, [new("id", id), new("enabled", "false")], htmx: true);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal([("Movies", true), ("Shows", true)], await SwitchesAsync(app));
    }

    [Fact]
    public async Task The_page_switches_a_library_with_htmx_and_refreshes_the_list_from_the_server()
    {
        var (server, app, admin) = await StartAsync();
        await using var serverScope = server;
        await using var appScope = app;
        Assert.Contains("href=\"/admin/settings/libraries\"", await admin.GetStringAsync("/admin"), StringComparison.Ordinal);
        Assert.Contains("No movie or TV library is known yet", await admin.GetStringAsync("/admin/settings/libraries"), StringComparison.Ordinal);
        var token = await admin.AntiforgeryTokenAsync("/admin/settings/libraries");

        var refreshed = await admin.PostFormAsync("/admin/settings/libraries?handler=Refresh", token, [], htmx: true);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var fragment = await refreshed.Content.ReadAsStringAsync();
        Assert.StartsWith("<div id=\"library-list\">", fragment.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("<html", fragment, StringComparison.Ordinal);
        Assert.Contains("2 new", fragment, StringComparison.Ordinal);
        Assert.Contains(">Shows<", fragment, StringComparison.Ordinal);
        Assert.DoesNotContain("Music", fragment, StringComparison.Ordinal);

        var id = server.State.FindLibrary("Shows")!.ItemId;
        var toggled = await admin.PostFormAsync("/admin/settings/libraries?handler=Toggle", token, [new("id", id), new("enabled", "false")], htmx: true);
        Assert.Equal(HttpStatusCode.OK, toggled.StatusCode);
        var row = (await toggled.Content.ReadAsStringAsync()).Trim();
        Assert.StartsWith($"<tr id=\"library-{id}\">", row, StringComparison.Ordinal);
        Assert.Contains("aria-checked=\"false\"", row, StringComparison.Ordinal);
        Assert.Contains("name=\"enabled\" value=\"true\"", row, StringComparison.Ordinal);
        Assert.Equal([("Movies", true), ("Shows", false)], await SwitchesAsync(app));

        // Without the antiforgery token nothing changes; without htmx the form still works.
        var forged = await admin.PostFormAsync("/admin/settings/libraries?handler=Toggle", null, [new("id", id), new("enabled", "true")], htmx: true);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal([("Movies", true), ("Shows", false)], await SwitchesAsync(app));
        var plain = await admin.PostFormAsync("/admin/settings/libraries?handler=Toggle", token, [new("id", id), new("enabled", "true")]);
        Assert.Equal(HttpStatusCode.Redirect, plain.StatusCode);
        Assert.Equal([("Movies", true), ("Shows", true)], await SwitchesAsync(app));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostFormAsync("/admin/settings/libraries?handler=Toggle", token, [new("id", "nope"), new("enabled", "true")], htmx: true)).StatusCode);

        server.Faults.Add(FaultRule.OnPath("/Library/VirtualFolders").Respond(Fault.Status(500)).Forever());
        var failed = await (await admin.PostFormAsync("/admin/settings/libraries?handler=Refresh", token, [], htmx: true)).Content.ReadAsStringAsync();
        Assert.Contains("role=\"alert\"", failed, StringComparison.Ordinal);
        Assert.Contains("could not be read from the media server", failed, StringComparison.Ordinal);
        Assert.Contains(">Shows<", failed, StringComparison.Ordinal);
    }
}
