using System.Text.Json.Nodes;
using Aperture.Data;
using Aperture.Fakes;
using Aperture.Tests.Infrastructure;
using Aperture.MediaServers;
using Aperture.Outputs;

namespace Aperture.Tests.Outputs;

public sealed class ServerLibrariesTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("aperture-serverlibs-");

    public void Dispose() => folder.Delete(recursive: true);

    internal static MediaServerClient ClientFor(FakeMediaServer server) =>
        new(new HttpClient(), new MediaServerConnection(
            server.Dialect == FakeDialect.Emby ? MediaServerType.Emby : MediaServerType.Jellyfin, new Uri(server.BaseUrl), server.ApiKey));

    private static JsonObject BodyOf(RecordedCall call) => (JsonObject)JsonNode.Parse(call.Body)!;

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task EnsureLibrary_creates_in_each_servers_form_returns_its_ids_and_is_idempotent(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        await using var server = await FakeMediaServer.StartAsync(version, b => b.MovieLibrary("Movies"));
        var libraries = new ServerLibraries(ClientFor(server));
        var path = Path.Combine(folder.FullName, "alice");
        Directory.CreateDirectory(path);

        var created = await libraries.EnsureLibraryAsync("AI Picks - alice", MediaKind.Movie, path, CancellationToken.None);

        var fake = server.State.FindLibrary("AI Picks - alice")!;
        Assert.Equal("movies", fake.CollectionType);
        Assert.Equal([path], fake.Locations);
        Assert.Equal(fake.ItemId, created.ItemId);
        // Policies take Jellyfin's ItemId and Emby's Guid (its numeric id would be ignored).
        Assert.Equal(dialect == FakeDialect.Emby ? fake.Guid : fake.ItemId, created.AccessId);
        if (dialect == FakeDialect.Emby)
        {
            Assert.NotEqual(created.ItemId, created.AccessId);
        }

        var create = Assert.Single(server.Calls, c => c.Method == "POST" && c.Path.EndsWith("/Library/VirtualFolders", StringComparison.Ordinal));
        var body = BodyOf(create);
        if (dialect == FakeDialect.Jellyfin)
        {
            // Jellyfin reads these from the query only; the body holds just the options.
            Assert.Equal("/Library/VirtualFolders", create.Path);
            Assert.Equal("AI Picks - alice", create.Query("name"));
            Assert.Equal("movies", create.Query("collectionType"));
            Assert.Equal(path, create.Query("paths"));
            Assert.Equal("true", create.Query("refreshLibrary"));
            Assert.Null(body["Name"]);
        }
        else
        {
            Assert.Equal("/emby/Library/VirtualFolders", create.Path);
            Assert.Equal("", create.QueryString);
            Assert.Equal("AI Picks - alice", body["Name"]!.ToString());
            Assert.Equal("movies", body["CollectionType"]!.ToString());
            Assert.Equal(path, body["Paths"]![0]!.ToString());
            Assert.True(body["RefreshLibrary"]!.GetValue<bool>());
        }
        Assert.Equal(path, body["LibraryOptions"]!["PathInfos"]![0]!["Path"]!.ToString());

        // The server must not rewrite or re-download what Aperture writes.
        var options = fake.LibraryOptions;
        Assert.False(options["EnableRealtimeMonitor"]!.GetValue<bool>());
        Assert.False(options["SaveLocalMetadata"]!.GetValue<bool>());
        Assert.Empty(options["MetadataSavers"]!.AsArray());
        var movie = options["TypeOptions"]!.AsArray().Single(t => t!["Type"]!.ToString() == "Movie")!;
        Assert.Empty(movie["MetadataFetchers"]!.AsArray());
        Assert.Empty(movie["ImageFetchers"]!.AsArray());

        server.ClearCalls();
        var again = await libraries.EnsureLibraryAsync("AI Picks - alice", MediaKind.Movie, path, CancellationToken.None);
        Assert.Equal((created.ItemId, created.AccessId), (again.ItemId, again.AccessId));
        Assert.All(server.Calls, c => Assert.Equal("GET", c.Method));
        Assert.Equal(2, server.State.Libraries.Count);
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task EnsureLibrary_adds_a_missing_path_and_fixes_drifted_options_keeping_the_rest(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        await using var server = await FakeMediaServer.StartAsync(version, b => b.ShowLibrary("AI Picks - bob", "/old/bob"));
        var fake = server.State.FindLibrary("AI Picks - bob")!;
        Assert.True(fake.LibraryOptions["EnableRealtimeMonitor"]!.GetValue<bool>());
        var path = Path.Combine(folder.FullName, "bob");
        Directory.CreateDirectory(path);

        var ensured = await new ServerLibraries(ClientFor(server)).EnsureLibraryAsync("AI Picks - bob", MediaKind.Series, path, CancellationToken.None);

        Assert.Equal(fake.ItemId, ensured.ItemId);
        Assert.Equal(["/old/bob", path], fake.Locations);
        Assert.DoesNotContain(server.Calls, c => c.Method == "POST" && c.Path.EndsWith("/Library/VirtualFolders", StringComparison.Ordinal));
        var optionsCall = Assert.Single(server.Calls, c => c.Path.EndsWith("/Library/VirtualFolders/LibraryOptions", StringComparison.Ordinal));
        Assert.Equal(fake.ItemId, BodyOf(optionsCall)["Id"]!.ToString());
        Assert.False(fake.LibraryOptions["EnableRealtimeMonitor"]!.GetValue<bool>());
        // Whole-object replace: what Aperture does not manage is sent back as it was.
        Assert.Equal("en", fake.LibraryOptions["PreferredMetadataLanguage"]!.ToString());
        Assert.Equal(["Series", "Season", "Episode"], fake.LibraryOptions["TypeOptions"]!.AsArray().Select(t => t!["Type"]!.ToString()));
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task EnsureLibrary_with_a_folder_missing_on_the_server_fails_and_creates_nothing(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        await using var server = await FakeMediaServer.StartAsync(version);
        server.RequireExistingPaths = true;
        var missing = Path.Combine(folder.FullName, "not-there");

        var e = await Assert.ThrowsAsync<MediaServerException>(() =>
            new ServerLibraries(ClientFor(server)).EnsureLibraryAsync("AI Picks - alice", MediaKind.Movie, missing, CancellationToken.None));

        Assert.Equal(400, e.StatusCode);
        Assert.Empty(server.State.Libraries);
    }

    [Fact]
    public async Task The_fake_Emby_refuses_a_missing_folder_by_default()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Emby);
        Assert.True(server.RequireExistingPaths);
        await using var jellyfin = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin);
        Assert.False(jellyfin.RequireExistingPaths);
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task Refresh_and_remove_use_each_servers_call(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        await using var server = await FakeMediaServer.StartAsync(version, b =>
        {
            b.MovieLibrary("Movies");
            b.MovieLibrary("AI Picks - alice", "/picks/alice");
        });
        var libraries = new ServerLibraries(ClientFor(server));
        var fake = server.State.FindLibrary("AI Picks - alice")!;

        await libraries.RefreshLibraryAsync(fake.ItemId, CancellationToken.None);
        var refresh = Assert.Single(server.Calls, c => c.Path.EndsWith("/Refresh", StringComparison.Ordinal));
        Assert.Equal("POST", refresh.Method);
        Assert.EndsWith($"/Items/{fake.ItemId}/Refresh", refresh.Path, StringComparison.Ordinal);
        // Jellyfin's RefreshItem has no Recursive parameter; Emby's has.
        Assert.Equal(dialect == FakeDialect.Emby ? "true" : null, refresh.Query("Recursive"));
        Assert.Equal("Default", refresh.Query("MetadataRefreshMode"));
        Assert.Equal(204, refresh.Status);

        Assert.True(await libraries.RemoveLibraryAsync("AI Picks - alice", CancellationToken.None));
        var remove = Assert.Single(server.Calls, c => c.Method != "GET" && c.Path.Contains("/Library/VirtualFolders", StringComparison.Ordinal));
        if (dialect == FakeDialect.Jellyfin)
        {
            Assert.Equal("DELETE", remove.Method);
            Assert.Equal("AI Picks - alice", remove.Query("name"));
        }
        else
        {
            Assert.Equal(("POST", "/emby/Library/VirtualFolders/Delete"), (remove.Method, remove.Path));
            Assert.Equal(fake.ItemId, BodyOf(remove)["Id"]!.ToString());
        }
        Assert.Equal(["Movies"], server.State.Libraries.Select(l => l.Name));
        Assert.False(await libraries.RemoveLibraryAsync("AI Picks - alice", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task Play_on_session_lists_the_users_sessions_and_sends_PlayNow_with_the_items(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        FakeSession? tv = null;
        FakeItem? alien = null;
        await using var server = await FakeMediaServer.StartAsync(version, b =>
        {
            var alice = b.User("alice", "pw");
            var bob = b.User("bob", "pw");
            alien = b.Movie("Alien", 1979);
            tv = b.Session(alice, device: "Living room TV");
            b.Session(bob, device: "Bob's phone");
        });
        var client = ClientFor(server);
        var alice = server.State.User("alice");

        var sessions = await client.GetSessionsAsync(alice.Id, CancellationToken.None);
        var session = Assert.Single(sessions);
        Assert.Equal((tv!.Id, "Living room TV", true), (session.Id, session.DeviceName, session.SupportsRemoteControl));

        await client.PlayOnSessionAsync(session.Id, [alien!.Id], null, CancellationToken.None);

        var command = Assert.Single(server.State.PlayCommands);
        Assert.Equal((tv.Id, "PlayNow"), (command.SessionId, command.Command));
        Assert.Equal([alien.Id], command.ItemIds);
        var call = Assert.Single(server.Calls, c => c.Path.EndsWith("/Playing", StringComparison.Ordinal));
        Assert.Equal("POST", call.Method);
        Assert.Equal("PlayNow", call.Query("playCommand"));
        Assert.Equal(alien.Id, call.Query("itemIds"));
    }
}
