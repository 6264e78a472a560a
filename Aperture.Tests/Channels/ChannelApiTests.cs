using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Aperture.Progress;

namespace Aperture.Tests.Channels;

// Channels over HTTP against fake Jellyfin and Emby: who may read and change a channel, and its playlists in the server.
public sealed class ChannelApiTests
{
    private sealed record World(FakeMediaServer Server, AppFactory App, HttpClient Alice, HttpClient Bob, HttpClient Carol, HttpClient Admin,
        string AliceId, string BobId, Dictionary<string, long> Titles) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Server.DisposeAsync();
        }
    }

    private static async Task<World> StartAsync(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        var server = await FakeMediaServer.StartAsync(version, b => ChannelCatalog.NoirAndWesterns(b));
        var app = new AppFactory();
        await app.ConnectAsync(server);
        var clients = new Dictionary<string, HttpClient>();
        foreach (var name in new[] { "Admin", "alice", "bob", "carol" })
        {
            clients[name] = await app.SignedInClientAsync(name, "pw");
        }
        await app.RunJobAsync(JobNames.SyncMovies);
        await app.RunJobAsync(JobNames.GenerateEmbeddings);
        var titles = await app.WithDbAsync(db => Task.FromResult(db.Titles.ToDictionary(t => t.Name, t => t.Id)));
        return new World(server, app, clients["alice"], clients["bob"], clients["carol"], clients["Admin"],
            await IdAsync(clients["alice"]), await IdAsync(clients["bob"]), titles);
    }

    private static async Task<string> IdAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("id").GetString()!;

    private static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task<long> CreateAsync(World w, object body) =>
        (await OkJsonAsync(await w.Alice.PostAsJsonAsync("/api/channels", body), HttpStatusCode.Created)).GetProperty("id").GetInt64();

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path) =>
        client.PostAsync(path, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

    private static Task<HttpResponseMessage> DeleteAsync(HttpClient client, string path) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, path) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") });

    private static List<string> EntryItemIds(World w, JsonElement detail) =>
        detail.GetProperty("entries").EnumerateArray().Select(e => w.Server.State.Items.Single(i => i.Name == e.GetProperty("name").GetString()).Id).ToList();

    [Fact]
    public async Task Bad_input_is_a_400_naming_the_field()
    {
        await using var w = await StartAsync(FakeServerVersion.Jellyfin10_11);

        async Task ExpectAsync(object body, string field)
        {
            var response = await w.Alice.PostAsJsonAsync("/api/channels", body);
            var problem = await OkJsonAsync(response, HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        }

        await ExpectAsync(new { name = "  ", preference = "noir" }, "name");
        await ExpectAsync(new { name = "Noir", examples = new[] { 999_999L } }, "examples");
        await ExpectAsync(new { name = "Noir", kind = "songs", preference = "noir" }, "kind");
        await ExpectAsync(new { name = "Noir", preference = "noir", size = 0 }, "size");
        await ExpectAsync(new { name = "Noir" }, "preference");
        await ExpectAsync(new { name = "Noir", preference = "noir", sharedWith = new[] { "nobody" } }, "sharedWith");
        await ExpectAsync(new { name = "Noir", preference = "noir", colour = "red" }, "colour");

        // A genre the catalogue does not have: a 400 naming it and the nearest genres it does have.
        var unknownGenre = await OkJsonAsync(await w.Alice.PostAsJsonAsync("/api/channels",
            new { name = "Docs", kind = "movies", preference = "noir", includeGenres = new[] { "Mysterie" } }), HttpStatusCode.BadRequest);
        var genreError = unknownGenre.GetProperty("errors").GetProperty("includeGenres")[0].GetString()!;
        Assert.Equal("This catalogue has no genre \u201CMysterie\u201D; the nearest are Mystery, Western, Crime.", genreError);

        // Words the catalogue never uses: a clear error, not an empty channel.
        var id = await CreateAsync(w, new { name = "Nothing", kind = "movies", preference = "zzyzx qwerty" });
        var empty = await OkJsonAsync(await PostAsync(w.Alice, $"/api/channels/{id}/generate"), HttpStatusCode.BadRequest);
        Assert.True(empty.GetProperty("errors").TryGetProperty("preference", out _), empty.ToString());
        var sync = await OkJsonAsync(await PostAsync(w.Alice, $"/api/channels/{id}/sync"), HttpStatusCode.BadRequest);
        Assert.True(sync.GetProperty("errors").TryGetProperty("entries", out _), sync.ToString());
    }

    [Fact]
    public async Task Only_the_owner_edits_shared_users_read_and_everyone_else_sees_nothing()
    {
        await using var w = await StartAsync(FakeServerVersion.Jellyfin10_11);
        var id = await CreateAsync(w, new { name = "Noir", kind = "movies", preference = "noir detective", examples = new[] { w.Titles["Night Street 0"] }, size = 4, sharedWith = new[] { w.BobId } });
        var update = new { name = "Mine now" };

        // carol: not shared with her, so the channel does not exist for her.
        Assert.Equal(HttpStatusCode.NotFound, (await w.Carol.GetAsync($"/api/channels/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await w.Carol.PutAsJsonAsync($"/api/channels/{id}", update)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(w.Carol, $"/api/channels/{id}/generate")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(w.Carol, $"/api/channels/{id}/sync")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await DeleteAsync(w.Carol, $"/api/channels/{id}")).StatusCode);
        var carolList = await w.Carol.GetFromJsonAsync<JsonElement>("/api/channels");
        Assert.Empty(carolList.GetProperty("own").EnumerateArray());
        Assert.Empty(carolList.GetProperty("shared").EnumerateArray());

        // bob: shared with him, so he reads it and it is under "shared"; changing it is refused.
        var bobView = await OkJsonAsync(await w.Bob.GetAsync($"/api/channels/{id}"));
        Assert.False(bobView.GetProperty("canEdit").GetBoolean());
        Assert.Equal(id, (await w.Bob.GetFromJsonAsync<JsonElement>("/api/channels")).GetProperty("shared")[0].GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Bob.PutAsJsonAsync($"/api/channels/{id}", update)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(w.Bob, $"/api/channels/{id}/generate")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(w.Bob, $"/api/channels/{id}/sync")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await DeleteAsync(w.Bob, $"/api/channels/{id}")).StatusCode);
        Assert.Equal("Noir", (await w.Alice.GetFromJsonAsync<JsonElement>($"/api/channels/{id}")).GetProperty("name").GetString());

        // The owner and an admin edit.
        var generated = await OkJsonAsync(await PostAsync(w.Alice, $"/api/channels/{id}/generate"));
        Assert.Equal(4, generated.GetProperty("entries").GetArrayLength());
        Assert.All(generated.GetProperty("entries").EnumerateArray(), e => Assert.StartsWith("Night Street", e.GetProperty("name").GetString(), StringComparison.Ordinal));
        Assert.Equal("Mine now", (await OkJsonAsync(await w.Admin.PutAsJsonAsync($"/api/channels/{id}", update))).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await w.Alice.GetAsync("/api/channels/987654")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(FakeServers.Jellyfin), MemberType = typeof(FakeServers))]
    public async Task Jellyfin_sync_makes_one_private_playlist_shared_read_only_replaces_contents_and_deletes_it_with_the_channel(FakeServerVersion version)
    {
        await using var w = await StartAsync(version);
        var id = await CreateAsync(w, new { name = "Noir", kind = "movies", preference = "noir detective", size = 4, sharedWith = new[] { w.BobId } });
        var first = await OkJsonAsync(await PostAsync(w.Alice, $"/api/channels/{id}/generate"));
        var synced = await OkJsonAsync(await PostAsync(w.Alice, $"/api/channels/{id}/sync"));

        var playlistId = synced.GetProperty("playlists").EnumerateArray().Single().GetProperty("playlistId").GetString()!;
        var playlist = w.Server.State.Item(playlistId);
        Assert.Equal("Noir", playlist.Name);
        Assert.Equal(w.AliceId, playlist.Playlist!.OwnerUserId);
        Assert.False(playlist.Playlist.IsPublic);
        Assert.Equal([new FakePlaylistShare(w.BobId, false)], playlist.Playlist.Shares);
        Assert.Equal(EntryItemIds(w, first), playlist.LinkedItems.Select(e => e.ItemId));
        var create = w.Server.Calls.Single(c => c.Method == "POST" && c.Path == "/Playlists");
        Assert.Contains("\"IsPublic\":false", create.Body, StringComparison.Ordinal);

        // New contents: a complete new playlist (same name, owner, privacy and shares) replaces the old one, which is deleted.
        await OkJsonAsync(await w.Alice.PutAsJsonAsync($"/api/channels/{id}", new { preference = "sheriff outlaw frontier" }));
        var second = await OkJsonAsync(await PostAsync(w.Alice, $"/api/channels/{id}/generate"));
        Assert.All(second.GetProperty("entries").EnumerateArray(), e => Assert.StartsWith("Frontier", e.GetProperty("name").GetString(), StringComparison.Ordinal));
        var oldId = playlistId;
        playlistId = (await OkJsonAsync(await PostAsync(w.Alice, $"/api/channels/{id}/sync"))).GetProperty("playlists")[0].GetProperty("playlistId").GetString()!;
        Assert.NotEqual(oldId, playlistId);
        Assert.Null(w.Server.State.FindItem(oldId));
        var replaced = w.Server.State.Item(playlistId);
        Assert.Equal(("Noir", w.AliceId, false), (replaced.Name, replaced.Playlist!.OwnerUserId, replaced.Playlist.IsPublic));
        Assert.Equal([new FakePlaylistShare(w.BobId, false)], replaced.Playlist.Shares);
        Assert.Equal(EntryItemIds(w, second), replaced.LinkedItems.Select(e => e.ItemId));
        Assert.Single(w.Server.State.Items, i => i.Playlist is not null);
        // Unchanged contents: nothing is written.
        w.Server.ClearCalls();
        Assert.Equal(playlistId, (await OkJsonAsync(await PostAsync(w.Alice, $"/api/channels/{id}/sync"))).GetProperty("playlists")[0].GetProperty("playlistId").GetString());
        Assert.DoesNotContain(w.Server.Calls, c => c.Method is "POST" or "DELETE" && c.Path.Contains("Playlists", StringComparison.Ordinal));

        // A refused playlist call is a 502 naming the server's problem; the playlist and the channel stay as they were.
        var syncedAt = (await w.Alice.GetFromJsonAsync<JsonElement>($"/api/channels/{id}")).GetProperty("syncedAt").GetString();
        await OkJsonAsync(await w.Alice.PutAsJsonAsync($"/api/channels/{id}", new { preference = "noir detective" }));
        await OkJsonAsync(await PostAsync(w.Alice, $"/api/channels/{id}/generate"));
        w.Server.Faults.Add(FaultRule.OnExactPath("/Playlists").OnMethod("POST").Respond(Fault.Status(500, "Playlist store is read-only")).Forever());
        var refused = await OkJsonAsync(await PostAsync(w.Alice, $"/api/channels/{id}/sync"), HttpStatusCode.BadGateway);
        Assert.Contains("Playlist store is read-only", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(EntryItemIds(w, second), w.Server.State.Item(playlistId).LinkedItems.Select(e => e.ItemId));
        Assert.Equal(syncedAt, (await w.Alice.GetFromJsonAsync<JsonElement>($"/api/channels/{id}")).GetProperty("syncedAt").GetString());
        w.Server.Faults.Clear();

        // Only the API key's calls are used (Jellyfin refuses it POST /Playlists/{id} and the share routes): unsharing and renaming
        // make a new playlist in place of the old one.
        await OkJsonAsync(await w.Alice.PutAsJsonAsync($"/api/channels/{id}", new { sharedWith = Array.Empty<string>(), name = "Noir nights" }));
        Assert.Null(w.Server.State.FindItem(playlistId));
        var renamed = await w.Alice.GetFromJsonAsync<JsonElement>($"/api/channels/{id}");
        playlistId = renamed.GetProperty("playlists").EnumerateArray().Single().GetProperty("playlistId").GetString()!;
        var remade = w.Server.State.Item(playlistId);
        Assert.Equal(("Noir nights", w.AliceId, false), (remade.Name, remade.Playlist!.OwnerUserId, remade.Playlist.IsPublic));
        Assert.Empty(remade.Playlist.Shares);
        Assert.Equal(EntryItemIds(w, renamed), remade.LinkedItems.Select(e => e.ItemId));
        Assert.DoesNotContain(w.Server.Calls, c => c.Method is "POST" or "DELETE" && c.Path.StartsWith("/Playlists/", StringComparison.Ordinal)
            && !c.Path.EndsWith("/Items", StringComparison.Ordinal));
        // A refused delete keeps the channel and its playlist.
        w.Server.Faults.Add(FaultRule.OnPath($"/Items/{playlistId}").OnMethod("DELETE").Respond(Fault.Status(500, "Item is locked")).Forever());
        var kept = await OkJsonAsync(await DeleteAsync(w.Alice, $"/api/channels/{id}"), HttpStatusCode.BadGateway);
        Assert.Contains("Item is locked", kept.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await w.Alice.GetAsync($"/api/channels/{id}")).StatusCode);
        Assert.NotNull(w.Server.State.FindItem(playlistId));
        w.Server.Faults.Clear();
        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(w.Alice, $"/api/channels/{id}")).StatusCode);
        Assert.DoesNotContain(w.Server.State.Items, i => i.Playlist is not null);
        Assert.Equal(HttpStatusCode.NotFound, (await w.Alice.GetAsync($"/api/channels/{id}")).StatusCode);
    }

    [Fact]
    public async Task Emby_sync_makes_one_playlist_per_user_replaces_contents_and_removes_them_on_unshare_and_delete()
    {
        await using var w = await StartAsync(FakeServerVersion.Emby4_8);
        var id = await CreateAsync(w, new { name = "Noir", kind = "movies", preference = "noir detective", size = 4, sharedWith = new[] { w.BobId } });
        var first = await OkJsonAsync(await PostAsync(w.Alice, $"/api/channels/{id}/generate"));
        var synced = await OkJsonAsync(await PostAsync(w.Alice, $"/api/channels/{id}/sync"));

        var rows = synced.GetProperty("playlists").EnumerateArray()
            .ToDictionary(p => p.GetProperty("userId").GetString()!, p => p.GetProperty("playlistId").GetString()!);
        Assert.Equal(new[] { w.AliceId, w.BobId }.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        foreach (var (userId, playlistId) in rows)
        {
            var playlist = w.Server.State.Item(playlistId);
            Assert.Equal(userId, playlist.Playlist!.OwnerUserId);
            Assert.False(playlist.Playlist.IsPublic);
            Assert.Empty(playlist.Playlist.Shares);
            Assert.Equal(EntryItemIds(w, first), playlist.LinkedItems.Select(e => e.ItemId));
        }
        Assert.All(w.Server.Calls.Where(c => c.Method == "POST" && c.Path == "/emby/Playlists"), c => Assert.Equal("Noir", c.Query("Name")));

        // New contents: each user's playlist is replaced by a complete new one, and the old ones are deleted.
        await OkJsonAsync(await w.Alice.PutAsJsonAsync($"/api/channels/{id}", new { preference = "sheriff outlaw frontier" }));
        var second = await OkJsonAsync(await PostAsync(w.Alice, $"/api/channels/{id}/generate"));
        var old = rows;
        rows = (await OkJsonAsync(await PostAsync(w.Alice, $"/api/channels/{id}/sync"))).GetProperty("playlists").EnumerateArray()
            .ToDictionary(p => p.GetProperty("userId").GetString()!, p => p.GetProperty("playlistId").GetString()!);
        foreach (var (userId, playlistId) in rows)
        {
            Assert.Null(w.Server.State.FindItem(old[userId]));
            Assert.Equal(userId, w.Server.State.Item(playlistId).Playlist!.OwnerUserId);
            Assert.Equal(EntryItemIds(w, second), w.Server.State.Item(playlistId).LinkedItems.Select(e => e.ItemId));
        }
        Assert.Equal(2, w.Server.State.Items.Count(i => i.Playlist is not null));

        // A refused creation leaves the old playlists as they were.
        await OkJsonAsync(await w.Alice.PutAsJsonAsync($"/api/channels/{id}", new { preference = "noir detective" }));
        await OkJsonAsync(await PostAsync(w.Alice, $"/api/channels/{id}/generate"));
        w.Server.Faults.Add(FaultRule.OnPath("/Playlists").OnMethod("POST").Respond(Fault.Status(500, "Database is locked")).Forever());
        await OkJsonAsync(await PostAsync(w.Alice, $"/api/channels/{id}/sync"), HttpStatusCode.BadGateway);
        Assert.Equal(EntryItemIds(w, second), w.Server.State.Item(rows[w.AliceId]).LinkedItems.Select(e => e.ItemId));
        w.Server.Faults.Clear();

        // Unshare: bob's playlist goes; delete: alice's goes too.
        await OkJsonAsync(await w.Alice.PutAsJsonAsync($"/api/channels/{id}", new { sharedWith = Array.Empty<string>() }));
        Assert.Null(w.Server.State.FindItem(rows[w.BobId]));
        Assert.Equal(w.AliceId, Assert.Single(w.Server.State.Items, i => i.Playlist is not null).Playlist!.OwnerUserId);
        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(w.Alice, $"/api/channels/{id}")).StatusCode);
        Assert.DoesNotContain(w.Server.State.Items, i => i.Playlist is not null);
    }

    [Theory]
    [MemberData(nameof(FakeServers.Jellyfin), MemberType = typeof(FakeServers))]
    public async Task Refresh_channels_drops_what_the_owner_watched_since_replaces_the_playlist_and_keeps_a_channel_whose_sync_fails(FakeServerVersion version)
    {
        await using var w = await StartAsync(version);
        var noir = await CreateAsync(w, new { name = "Noir", kind = "movies", preference = "noir detective", size = 4, excludeWatched = true });
        var west = await CreateAsync(w, new { name = "West", kind = "movies", preference = "sheriff outlaw frontier", size = 3 });
        var never = await CreateAsync(w, new { name = "Never generated", kind = "movies", preference = "noir" });
        var noirFirst = await OkJsonAsync(await PostAsync(w.Alice, $"/api/channels/{noir}/generate"));
        var noirPlaylist = (await OkJsonAsync(await PostAsync(w.Alice, $"/api/channels/{noir}/sync"))).GetProperty("playlists")[0].GetProperty("playlistId").GetString()!;
        await OkJsonAsync(await PostAsync(w.Alice, $"/api/channels/{west}/generate"));
        var westPlaylist = (await OkJsonAsync(await PostAsync(w.Alice, $"/api/channels/{west}/sync"))).GetProperty("playlists")[0].GetProperty("playlistId").GetString()!;
        var westBefore = w.Server.State.Item(westPlaylist).LinkedItems.Select(e => e.ItemId).ToList();

        // alice watches the noir channel's first title; the West playlist's server refuses changes.
        var watched = noirFirst.GetProperty("entries")[0].GetProperty("name").GetString()!;
        w.Server.State.SetUserData(w.Server.State.User("alice"), w.Server.State.Item(watched),
            d => (d.Played, d.PlayCount, d.LastPlayedDate) = (true, 1, DateTimeOffset.UtcNow));
        await w.App.RunJobAsync(JobNames.SyncWatchHistory);
        w.Server.Faults.Add(FaultRule.OnPath($"/Playlists/{westPlaylist}/Items").Respond(Fault.Status(500, "Playlist store is read-only")).Forever());

        var progress = new RecordingProgress();
        var failed = await Assert.ThrowsAnyAsync<Exception>(() => w.App.RunJobAsync(JobNames.RefreshChannels, progress: progress));
        Assert.Contains("1 of 2 channels was not refreshed: West", failed.Message, StringComparison.Ordinal);
        Assert.Equal(1, progress.Count("synced"));
        Assert.Equal(1, progress.Count("failed"));

        var noirAfter = await w.Alice.GetFromJsonAsync<JsonElement>($"/api/channels/{noir}");
        var names = noirAfter.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        Assert.DoesNotContain(watched, names);
        Assert.Equal(4, names.Count);
        // Noir's playlist was replaced by a complete new one; West's stayed as it was.
        var noirNow = noirAfter.GetProperty("playlists")[0].GetProperty("playlistId").GetString()!;
        Assert.NotEqual(noirPlaylist, noirNow);
        Assert.Null(w.Server.State.FindItem(noirPlaylist));
        Assert.Equal(EntryItemIds(w, noirAfter), w.Server.State.Item(noirNow).LinkedItems.Select(e => e.ItemId));
        Assert.Equal(westBefore, w.Server.State.Item(westPlaylist).LinkedItems.Select(e => e.ItemId));
        Assert.Empty((await w.Alice.GetFromJsonAsync<JsonElement>($"/api/channels/{never}")).GetProperty("entries").EnumerateArray());
    }

    [Fact]
    public async Task Channel_pages_show_only_what_the_user_may_see_and_refuse_changes_from_readers_and_forged_forms()
    {
        await using var w = await StartAsync(FakeServerVersion.Jellyfin10_11);
        var id = await CreateAsync(w, new { name = "Noir", kind = "movies", preference = "noir detective", size = 3, sharedWith = new[] { w.BobId } });

        // Owner: the page has the owner's forms, and a form post with the token generates.
        var aliceToken = await w.Alice.AntiforgeryTokenAsync($"/channels/{id}");
        var generated = await w.Alice.PostFormAsync($"/channels/{id}?handler=Generate", aliceToken, []);
        Assert.Equal(HttpStatusCode.OK, generated.StatusCode);
        var html = await generated.Content.ReadAsStringAsync();
        Assert.Contains("Generated 3 titles.", html, StringComparison.Ordinal);
        Assert.Contains("Delete channel", html, StringComparison.Ordinal);
        Assert.Contains("Night Street", html, StringComparison.Ordinal);

        // Without the token nothing happens.
        var forged = await w.Alice.PostFormAsync($"/channels/{id}?handler=Delete", null, []);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await w.Alice.GetAsync($"/api/channels/{id}")).StatusCode);

        // Bob reads it (no owner forms) and every change is a 403; his list shows it under "Shared with me".
        var bobPage = await w.Bob.GetStringAsync($"/channels/{id}");
        Assert.Contains("shared with you", bobPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Delete channel", bobPage, StringComparison.Ordinal);
        Assert.Contains("Shared with me", await w.Bob.GetStringAsync("/channels"), StringComparison.Ordinal);
        var bobToken = await w.Bob.AntiforgeryTokenAsync("/channels");
        foreach (var handler in new[] { "Generate", "Sync", "Share", "Edit", "Delete" })
        {
            var refused = await w.Bob.PostFormAsync($"/channels/{id}?handler={handler}", bobToken, [new("name", "Bob's now")]);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{handler}: {refused.StatusCode}");
        }

        // Carol is not shared with: the page does not exist for her, nor does any change, and her list has nothing.
        Assert.Equal(HttpStatusCode.NotFound, (await w.Carol.GetAsync($"/channels/{id}")).StatusCode);
        var carolToken = await w.Carol.AntiforgeryTokenAsync("/channels");
        Assert.Equal(HttpStatusCode.NotFound, (await w.Carol.PostFormAsync($"/channels/{id}?handler=Delete", carolToken, [])).StatusCode);
        Assert.DoesNotContain("Noir", await w.Carol.GetStringAsync("/channels"), StringComparison.Ordinal);

        var after = await w.Alice.GetFromJsonAsync<JsonElement>($"/api/channels/{id}");
        Assert.Equal("Noir", after.GetProperty("name").GetString());
        Assert.Equal(3, after.GetProperty("entries").GetArrayLength());

        // Creating from the page: a bad form shows the field's error and saves nothing; a good one goes to the new channel.
        var createToken = await w.Carol.AntiforgeryTokenAsync("/channels");
        var bad = await w.Carol.PostFormAsync("/channels?handler=Create", createToken, [new("name", ""), new("kind", "movies"), new("preference", "noir")]);
        Assert.Contains("Give the channel a name.", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var good = await w.Carol.PostFormAsync("/channels?handler=Create", createToken,
            [new("name", "Carol's westerns"), new("kind", "movies"), new("preference", "sheriff"), new("examples", w.Titles["Frontier 1"].ToString(System.Globalization.CultureInfo.InvariantCulture)), new("size", "2")]);
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        Assert.Single((await w.Carol.GetFromJsonAsync<JsonElement>("/api/channels")).GetProperty("own").EnumerateArray());
    }
}
