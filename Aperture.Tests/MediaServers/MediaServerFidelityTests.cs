using System.Net;
using Aperture.Fakes;
using Aperture.MediaServers;
using Aperture.Outputs;
using Aperture.Tests.Infrastructure;

namespace Aperture.Tests.MediaServers;

// What the real servers do with the app's calls under the API key (Jellyfin's PlaylistsController and PlaylistManager at
// 10.11.11 and 12.0-rc5, Emby 4.8's API description), on the fakes that now behave that way.
public sealed class MediaServerFidelityTests
{
    private static HttpRequestMessage Request(FakeMediaServer server, HttpMethod method, string path, string? token, string? body = null)
    {
        var request = new HttpRequestMessage(method, server.BaseUrl + path);
        request.Headers.TryAddWithoutValidation("Authorization", server.AuthorizationHeader(token));
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }
        return request;
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task Replacing_a_playlist_makes_the_new_one_whole_in_rank_order_and_deletes_the_old_one(FakeServerVersion version)
    {
        FakeItem[] m = [];
        FakeUser alice = null!;
        await using var server = await FakeMediaServer.StartAsync(version, b =>
        {
            alice = b.User("alice", "pw");
            m = [.. Enumerable.Range(1, 6).Select(n => b.Movie($"Movie {n}", 2000 + n))];
        });
        var client = FakeServers.ClientFor(server);
        var first = await client.CreatePlaylistAsync("Channel", alice.Id, [m[0].Id, m[1].Id, m[2].Id, m[3].Id], [], CancellationToken.None);

        // What channels and Top Picks call: a new playlist made whole, then the old one deleted (no edit in place, which
        // Jellyfin refuses under the API key).
        var second = await client.ReplacePlaylistAsync(first, "Channel", alice.Id, [m[0].Id, m[2].Id, m[4].Id, m[1].Id], [], CancellationToken.None);
        var third = await client.ReplacePlaylistAsync(second, "Channel", alice.Id, [m[5].Id, m[0].Id], [], CancellationToken.None);
        Assert.DoesNotContain(server.Calls, c => c.Status >= 400);

        Assert.Equal([m[5].Id, m[0].Id], server.State.Item(third).LinkedItems.Select(e => e.ItemId));
        Assert.Equal([m[5].Id, m[0].Id], await client.GetPlaylistItemIdsAsync(third, alice.Id, CancellationToken.None));
        Assert.True(await client.PlaylistHoldsAsync(third, alice.Id, [m[5].Id, m[0].Id], CancellationToken.None));
        Assert.Null(await client.PlaylistHoldsAsync(first, alice.Id, [m[0].Id], CancellationToken.None));
        Assert.Equal([third], (await client.GetPlaylistsAsync(alice.Id, CancellationToken.None)).Select(p => p.Id));
    }

    [Theory]
    [MemberData(nameof(FakeServers.Jellyfin), MemberType = typeof(FakeServers))]
    public async Task Jellyfin_answers_the_api_key_400_on_playlist_update_and_share_routes_and_only_owners_or_editors_may_change_one(FakeServerVersion version)
    {
        FakeUser alice = null!, bob = null!, admin = null!;
        FakeItem movie = null!;
        await using var server = await FakeMediaServer.StartAsync(version, b =>
        {
            admin = b.User("Admin", "pw", admin: true);
            alice = b.User("alice", "pw");
            bob = b.User("bob", "pw");
            movie = b.Movie("Alien", 1979);
        });
        var playlist = await FakeServers.ClientFor(server).CreatePlaylistAsync("Mine", alice.Id, [movie.Id], [bob.Id], CancellationToken.None);
        using var http = new HttpClient();
        var adminToken = server.State.IssueToken(admin, "d1").Token;
        var aliceToken = server.State.IssueToken(alice, "d2").Token;

        // PlaylistsController.UpdatePlaylist / UpdatePlaylistUser / RemoveUserFromPlaylist act as the calling user: none for a key.
        foreach (var (method, path) in new[] { (HttpMethod.Post, $"/Playlists/{playlist}"), (HttpMethod.Post, $"/Playlists/{playlist}/Users/{bob.Id}"),
            (HttpMethod.Delete, $"/Playlists/{playlist}/Users/{bob.Id}"), (HttpMethod.Get, $"/Playlists/{playlist}") })
        {
            using var response = await http.SendAsync(Request(server, method, path, server.ApiKey, method == HttpMethod.Get ? null : """{"Name":"x","CanEdit":true}"""));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("Guid can't be empty", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // An administrator it is not shared with does not even see it (PlaylistManager.GetPlaylistForUser: 404); the owner may rename it.
        using (var asAdmin = await http.SendAsync(Request(server, HttpMethod.Post, $"/Playlists/{playlist}", adminToken, """{"Name":"Taken"}""")))
        {
            Assert.Equal(HttpStatusCode.NotFound, asAdmin.StatusCode);
        }
        using (var asOwner = await http.SendAsync(Request(server, HttpMethod.Post, $"/Playlists/{playlist}", aliceToken, """{"Name":"Renamed"}""")))
        {
            Assert.Equal(HttpStatusCode.NoContent, asOwner.StatusCode);
        }
        Assert.Equal("Renamed", server.State.Item(playlist).Name);
        // Items: as the owner through userId under the key; without it the key has no user.
        using (var noUser = await http.SendAsync(Request(server, HttpMethod.Post, $"/Playlists/{playlist}/Items?ids={movie.Id}", server.ApiKey)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noUser.StatusCode);
        }
        using (var asBob = await http.SendAsync(Request(server, HttpMethod.Post, $"/Playlists/{playlist}/Items?ids={movie.Id}&userId={bob.Id}", server.ApiKey)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, asBob.StatusCode);
        }
        using (var removal = await http.SendAsync(Request(server, HttpMethod.Delete, $"/Playlists/{playlist}/Items?entryIds={movie.Id}", server.ApiKey)))
        {
            Assert.Equal(HttpStatusCode.NoContent, removal.StatusCode);
        }
        Assert.Empty(server.State.Item(playlist).LinkedItems);
    }

    [Theory]
    [MemberData(nameof(FakeServers.Jellyfin), MemberType = typeof(FakeServers))]
    public async Task Jellyfin_12_keeps_an_item_twice_in_a_playlist_where_10_11_skips_it(FakeServerVersion version)
    {
        FakeUser alice = null!;
        FakeItem movie = null!;
        await using var server = await FakeMediaServer.StartAsync(version, b => (alice, movie) = (b.User("alice", "pw"), b.Movie("Alien", 1979)));
        var client = FakeServers.ClientFor(server);
        var id = await client.CreatePlaylistAsync("Twice", alice.Id, [movie.Id], [], CancellationToken.None);

        await client.AddToPlaylistAsync(id, alice.Id, [movie.Id], CancellationToken.None);

        Assert.Equal(version == FakeServerVersion.Jellyfin12_0 ? 2 : 1, (await client.GetPlaylistItemIdsAsync(id, alice.Id, CancellationToken.None)).Count);
        // An entry's own id is its item's id on Jellyfin (what a removal by entryIds would take: every entry of the item).
        using var http = new HttpClient();
        using var response = await http.SendAsync(Request(server, HttpMethod.Get, $"/Playlists/{id}/Items?userId={alice.Id}", server.ApiKey));
        using var page = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.All(page.RootElement.GetProperty("Items").EnumerateArray(), e => Assert.Equal(movie.Id, e.GetProperty("PlaylistItemId").GetString()));
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task Collection_members_are_listed_through_an_administrator_and_jellyfin_lists_none_without_a_user(FakeServerVersion version)
    {
        FakeUser admin = null!;
        FakeItem[] movies = [];
        await using var server = await FakeMediaServer.StartAsync(version, b =>
        {
            admin = b.User("Admin", "pw", admin: true);
            movies = [b.Movie("Alien", 1979), b.Movie("Aliens", 1986)];
        });
        var client = FakeServers.ClientFor(server);
        var id = await client.CreateCollectionAsync("Top Picks", [.. movies.Select(m => m.Id)], CancellationToken.None);

        Assert.Equal(movies.Select(m => m.Id).Order(), (await client.GetCollectionItemIdsAsync(id, admin.Id, CancellationToken.None)).Order());
        var anonymous = await client.GetCollectionItemIdsAsync(id, null, CancellationToken.None);
        Assert.Equal(version == FakeServerVersion.Emby4_8 ? 2 : 0, anonymous.Count);
    }

    [Fact]
    public async Task Emby_playlists_belong_to_the_user_the_api_key_names_in_its_authorization_header()
    {
        FakeUser alice = null!;
        FakeItem movie = null!;
        await using var server = await FakeMediaServer.StartAsync(FakeServerVersion.Emby4_8, b => (alice, movie) = (b.User("alice", "pw"), b.Movie("Alien", 1979)));

        var id = await FakeServers.ClientFor(server).CreatePlaylistAsync("Mine", alice.Id, [movie.Id], [], CancellationToken.None);

        Assert.Equal(alice.Id, server.State.Item(id).Playlist!.OwnerUserId);
        var create = Assert.Single(server.Calls, c => c.Method == "POST" && c.Path == "/emby/Playlists");
        Assert.Null(create.Query("UserId"));
        Assert.Contains($"UserId=\"{alice.Id}\"", create.Header("X-Emby-Authorization"), StringComparison.Ordinal);
        // POST /Playlists has no UserId: a key that names no user makes nobody's playlist, which the server refuses.
        using var http = new HttpClient();
        using var bare = await http.SendAsync(Request(server, HttpMethod.Post, $"/emby/Playlists?Name=Nobody&Ids={movie.Id}&UserId={alice.Id}", server.ApiKey));
        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task A_strm_stream_url_plays_on_the_server_it_points_at(FakeServerVersion version)
    {
        FakeItem movie = null!;
        await using var server = await FakeMediaServer.StartAsync(version, b => movie = b.Movie("Alien", 1979));
        var type = version == FakeServerVersion.Emby4_8 ? MediaServerType.Emby : MediaServerType.Jellyfin;
        var url = StreamUrlBuilder.For(type, server.BaseUrl, server.ApiKey).StreamUrl(movie.Id, movie.Path + "/Alien.mp4");
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(url));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        if (type == MediaServerType.Emby)
        {
            Assert.Contains($"/Videos/{movie.Id}/stream.mp4?", url, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Jellyfin_12_accepts_only_its_own_authorization_header_and_10_11_still_the_legacy_ones()
    {
        await using var twelve = await FakeMediaServer.StartAsync(FakeServerVersion.Jellyfin12_0);
        await using var eleven = await FakeMediaServer.StartAsync(FakeServerVersion.Jellyfin10_11);
        using var http = new HttpClient();
        async Task<HttpStatusCode> LegacyAsync(FakeMediaServer server)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + "/System/Info");
            request.Headers.TryAddWithoutValidation("X-Emby-Token", server.ApiKey);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await LegacyAsync(twelve));
        Assert.Equal(HttpStatusCode.OK, await LegacyAsync(eleven));
        using var current = await http.SendAsync(Request(twelve, HttpMethod.Get, "/System/Info", twelve.ApiKey));
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Equal(("12.0.0", "10.11.11"), (twelve.Version, eleven.Version));
    }
}
