using Aperture.Data;
using Aperture.Fakes;
using Aperture.MediaServers;
using Aperture.Outputs;

namespace Aperture.Tests.Contracts;

// Issue 12 point 7: requests a real server does not know, each checked against that server's contract.
public sealed class RequestContractFixTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("aperture-contract-fix-");

    public void Dispose() => folder.Delete(recursive: true);

    private static IReadOnlyList<ContractViolation> ViolationsOf(FakeMediaServer fake, Func<RecordedCall, bool> which) =>
        ContractChecker.Check(fake.Calls.Where(which).Select(c =>
            new ContractCall(ServerContract.For(fake.Dialect, fake.Version), c.Method, c.Path, c.QueryString, c.Body, c.Token is not null)));

    [Theory]
    [MemberData(nameof(ContractServers.All), MemberType = typeof(ContractServers))]
    public async Task Refreshing_a_library_sends_only_the_parameters_the_servers_refresh_takes(ContractServer server)
    {
        FakeLibrary movies = null!;
        await using var fake = await ContractServers.StartAsync(server, b => movies = b.MovieLibrary("Movies", "/media/movies"));

        await ContractServers.ClientFor(fake).RefreshLibraryAsync(movies.ItemId, TestContext.Current.CancellationToken);

        var refresh = Assert.Single(fake.Calls, c => c.Path.EndsWith("/Refresh", StringComparison.Ordinal));
        Assert.Empty(ViolationsOf(fake, c => c == refresh));
        // Jellyfin's RefreshItem has no Recursive; Emby's does, and a library scan needs it there.
        Assert.Equal(server == ContractServer.Emby4_8 ? "true" : null, refresh.Query("Recursive"));
    }

    [Theory]
    [MemberData(nameof(ContractServers.All), MemberType = typeof(ContractServers))]
    public async Task Library_options_Aperture_sets_are_fields_the_servers_LibraryOptions_has(ContractServer server)
    {
        await using var fake = await ContractServers.StartAsync(server, b => b.MovieLibrary("AI Picks - bob", "/elsewhere"));
        var path = Path.Combine(folder.FullName, "bob");
        Directory.CreateDirectory(path);
        var libraries = new ServerLibraries(ContractServers.ClientFor(fake));

        // An existing library gets its options merged and posted; a new one is created with them.
        await libraries.EnsureLibraryAsync("AI Picks - bob", MediaKind.Movie, path, TestContext.Current.CancellationToken);
        await libraries.EnsureLibraryAsync("AI Picks - alice", MediaKind.Movie, path, TestContext.Current.CancellationToken);

        var sent = fake.Calls.Where(c => c.Method == "POST" && (c.Path.EndsWith("/Library/VirtualFolders", StringComparison.Ordinal)
            || c.Path.EndsWith("/LibraryOptions", StringComparison.Ordinal))).ToList();
        Assert.Equal(2, sent.Count);
        Assert.Empty(KnownViolations.Unexpected(ViolationsOf(fake, sent.Contains)));
        Assert.All(sent, c => Assert.Equal(server != ContractServer.Emby4_8, c.Body.Contains("EnableInternetProviders", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(ContractServers.All), MemberType = typeof(ContractServers))]
    public async Task The_detection_probe_carries_the_key_in_a_form_each_server_reads(ContractServer server)
    {
        await using var fake = await ContractServers.StartAsync(server);
        var factory = new MediaServerClientFactory(new ClientContractTests.SingleClientFactory());

        var facts = await factory.DetectAsync(new Uri(fake.BaseUrl), null, fake.ApiKey, TestContext.Current.CancellationToken);

        Assert.Equal(server == ContractServer.Emby4_8 ? MediaServerType.Emby : MediaServerType.Jellyfin, facts.Type);
        var probe = fake.Calls.First(c => c.Path.EndsWith("/System/Info/Public", StringComparison.Ordinal));
        // Emby 4.8 documents /System/Info/Public as needing an authenticated caller; Jellyfin 12 reads only its own scheme.
        Assert.Equal(fake.ApiKey, probe.Token);
        Assert.Empty(ViolationsOf(fake, _ => true));
    }

    [Theory]
    [MemberData(nameof(ContractServers.All), MemberType = typeof(ContractServers))]
    public async Task Playing_on_a_session_sends_what_the_servers_play_action_requires(ContractServer server)
    {
        FakeItem alien = null!;
        FakeSession session = null!;
        await using var fake = await ContractServers.StartAsync(server, b =>
        {
            var alice = b.User("alice", "pw");
            alien = b.Movie("Alien", 1979);
            session = b.Session(alice);
        });

        await ContractServers.ClientFor(fake).PlayOnSessionAsync(session.Id, [alien.Id], null, TestContext.Current.CancellationToken);

        var play = Assert.Single(fake.Calls, c => c.Path.EndsWith("/Playing", StringComparison.Ordinal));
        // Emby's POST /Sessions/{Id}/Playing requires a PlayRequest body beside ItemIds and PlayCommand in the query.
        Assert.Empty(ViolationsOf(fake, c => c == play));
        Assert.Equal(server == ContractServer.Emby4_8, play.Body.Length > 0);
    }

    [Theory]
    [MemberData(nameof(ContractServers.All), MemberType = typeof(ContractServers))]
    public async Task Listing_a_users_playlists_asks_for_no_field_the_server_does_not_have(ContractServer server)
    {
        FakeUser alice = null!;
        await using var fake = await ContractServers.StartAsync(server, b =>
        {
            alice = b.User("alice", "pw");
            b.Playlist(alice, "Mine", [b.Movie("Alien", 1979)]);
        });

        var playlists = await ContractServers.ClientFor(fake).GetPlaylistsAsync(alice.Id, TestContext.Current.CancellationToken);

        Assert.Equal("Mine", Assert.Single(playlists).Name);
        Assert.Empty(ViolationsOf(fake, _ => true));
    }
}
