using System.Text.Json.Nodes;
using Aperture.Data;
using Aperture.Fakes;
using Aperture.MediaServers;
using Aperture.Outputs;

namespace Aperture.Tests.Contracts;

// Every media-server operation Aperture uses, run against each supported server version; every request it sends must be
// one the real server knows (../shared/contracts), and every response property it reads one the server sends.
public sealed class ClientContractTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("aperture-contract-");

    public void Dispose() => folder.Delete(recursive: true);

    [Theory]
    [MemberData(nameof(ContractServers.All), MemberType = typeof(ContractServers))]
    public async Task Every_operation_the_app_uses_sends_only_requests_the_server_knows(ContractServer server)
    {
        FakeUser alice = null!, bob = null!;
        FakeItem alien = null!, heat = null!, dark = null!;
        await using var fake = await ContractServers.StartAsync(server, b =>
        {
            alice = b.User("alice", "pw", admin: true);
            bob = b.User("bob", "pw");
            b.MovieLibrary("Movies", "/media/movies");
            b.ShowLibrary("Shows", "/media/shows");
            alien = b.Movie("Alien", 1979, genres: ["Horror"], tmdb: "348", people: [FakePerson.Director("Ridley Scott")], studios: ["Fox"]);
            heat = b.Movie("Heat", 1995);
            dark = b.Series("Dark", 2017, seasons: 1, episodesPerSeason: 2);
            b.Played(alice, alien, playCount: 2, lastPlayed: DateTimeOffset.Parse("2024-01-01Z", System.Globalization.CultureInfo.InvariantCulture), favorite: true);
            b.Favorite(alice, heat);
            b.Session(alice);
            b.BoxSet("Classics", alien);
        });
        var client = ContractServers.ClientFor(fake);
        var factory = new MediaServerClientFactory(new SingleClientFactory());
        var ct = TestContext.Current.CancellationToken;

        // Detection (the settings page always has a key to test with) and server facts.
        await factory.DetectAsync(new Uri(fake.BaseUrl), null, fake.ApiKey, ct);
        await client.GetServerFactsAsync(ct);

        // Users, login, policies.
        await client.AuthenticateByNameAsync("alice", "pw", ct);
        var users = await client.GetUsersAsync(ct);
        var withPolicy = await client.GetUsersWithPolicyAsync(ct);
        var bobOnServer = await client.GetUserAsync(withPolicy.Single(u => u.Name == "bob").Id, ct);

        // Catalogue: the library listing (ids and save dates), then full metadata pages, episodes, one item by id.
        var libraries = await client.GetVirtualFoldersAsync(ct);
        var movies = libraries.Single(l => l.Name == "Movies");
        var shows = libraries.Single(l => l.Name == "Shows");
        await client.GetItemsAsync(new ItemsQuery
        {
            IncludeItemTypes = ["Movie"], ParentId = movies.LibraryId, Fields = ["DateLastSaved"],
            SortBy = [ItemSortBy.DateCreated, ItemSortBy.SortName], EnableImages = false,
        }, 0, 100, ct);
        var catalogue = await client.GetItemsAsync(new ItemsQuery
        {
            IncludeItemTypes = ["Movie", "Series"], ParentId = movies.LibraryId, Fields = client.CatalogFields,
            SortBy = [ItemSortBy.SortName], ImageTypeLimit = 1, MinDateLastSaved = DateTimeOffset.UnixEpoch,
        }, 0, 100, ct);
        await client.GetItemsAsync(new ItemsQuery { IncludeItemTypes = ["Episode"], ParentId = shows.LibraryId, Fields = client.CatalogFields }, 0, 100, ct);
        var aliceId = users.Single(u => u.Name == "alice").Id;
        var itemIds = catalogue.Items.Select(i => i.Id).ToList();

        // Watch history: played, favourites, part-watched, ratings, user data by id.
        await client.GetItemsAsync(new ItemsQuery
        {
            UserId = aliceId, IncludeItemTypes = ["Movie", "Episode"], IsPlayed = true, SortBy = [ItemSortBy.DatePlayed], Descending = true,
            Fields = [.. client.CatalogFields, .. client.UserDataFields], EnableUserData = true,
        }, 0, 100, ct);
        await client.GetItemsAsync(new ItemsQuery
        {
            UserId = aliceId, IncludeItemTypes = ["Movie"], IsFavorite = true, SortBy = [ItemSortBy.DateCreated, ItemSortBy.SortName],
            EnableUserData = true,
        }, 0, 100, ct);
        await client.GetItemsAsync(new ItemsQuery
        {
            UserId = aliceId, IncludeItemTypes = ["Episode"], Filters = "IsResumable", SortBy = [ItemSortBy.DatePlayed], Descending = true,
            EnableUserData = true,
        }, 0, 100, ct);
        await client.GetItemsAsync(new ItemsQuery
        {
            UserId = aliceId, Ids = itemIds, Fields = client.UserDataFields, EnableUserData = true, EnableImages = false,
        }, 0, 100, ct);

        // Libraries Aperture writes: create, add a path, options, refresh, remove; then per-user access.
        var serverLibraries = new ServerLibraries(client);
        var picks = Path.Combine(folder.FullName, "alice");
        var more = Path.Combine(folder.FullName, "alice-2");
        Directory.CreateDirectory(picks);
        Directory.CreateDirectory(more);
        var created = await serverLibraries.EnsureLibraryAsync("AI Picks - alice", MediaKind.Movie, picks, ct);
        await serverLibraries.EnsureLibraryAsync("AI Picks - alice", MediaKind.Movie, more, ct);
        var library = (await client.FindLibraryAsync("AI Picks - alice", ct))!;
        await client.UpdateLibraryOptionsAsync(library, o => ServerLibraries.WantedOptions(client.Connection.Type, o, MediaKind.Movie, inPlace: true), ct);
        await serverLibraries.RefreshLibraryAsync(created.ItemId, ct);
        await client.RefreshAllLibrariesAsync(ct);
        var policy = bobOnServer.Policy!;
        policy["EnableAllFolders"] = false;
        policy["EnabledFolders"] = new JsonArray(created.AccessId);
        await client.UpdateUserPolicyAsync(bobOnServer.Id, policy, ct);
        await serverLibraries.RemoveLibraryAsync("AI Picks - alice", ct);

        // Playlists (channels, Top Picks).
        var playlist = await client.CreatePlaylistAsync("Channel", aliceId, itemIds, [], ct);
        await client.GetPlaylistsAsync(aliceId, ct);
        await client.AddToPlaylistAsync(playlist, aliceId, [itemIds[0]], ct);
        playlist = await client.ReplacePlaylistAsync(playlist, "Channel", aliceId, [.. itemIds.AsEnumerable().Reverse()], [], ct);
        await client.PlaylistHoldsAsync(playlist, aliceId, itemIds, ct);
        await client.FindByNameAsync("BoxSet", "Top Picks", aliceId, ct);
        await client.ItemExistsAsync(playlist, ct);
        await client.DeleteItemAsync(playlist, ct);

        // Collections (Top Picks).
        var collection = await client.CreateCollectionAsync("Top Picks", [itemIds[0]], ct);
        await client.AddToCollectionAsync(collection, [itemIds[1]], ct);
        await client.GetCollectionItemIdsAsync(collection, aliceId, ct);
        await client.RemoveFromCollectionAsync(collection, [itemIds[1]], ct);
        await client.DeleteItemAsync(collection, ct);

        // Sessions (play on a running client) and images.
        var sessions = await client.GetSessionsAsync(aliceId, ct);
        await client.PlayOnSessionAsync(sessions[0].Id, [itemIds[0]], null, ct);
        await client.GetImageAsync(itemIds[0], ServerImageType.Primary, "tag", 400, ct);

        // .strm stream URLs are requested by the server's players, not by Aperture: checked as the call they become.
        var stream = StreamUrlBuilder.For(client.Connection.Type, fake.BaseUrl, fake.ApiKey).StreamUrl(itemIds[0], "/media/movies/Alien (1979)/Alien.mkv");

        var violations = ContractChecker.Check([.. ContractServers.CallsOf(fake), ContractServers.CallOf(server, "GET", stream)]);
        var unexpected = KnownViolations.Unexpected(violations);
        Assert.True(unexpected.Count == 0, $"{unexpected.Count} contract violation(s) on {server}:\n{ContractChecker.Report(unexpected)}");
        Assert.Empty(KnownViolations.Stale(server, violations, responses: false));
        Assert.Contains(fake.Calls, c => c.Path.EndsWith("/Playing", StringComparison.Ordinal));
        Assert.True(fake.Calls.Count > 40, $"only {fake.Calls.Count} calls were recorded");
    }

    [Theory]
    [MemberData(nameof(ContractServers.All), MemberType = typeof(ContractServers))]
    public void Every_response_property_the_client_reads_is_one_the_server_sends(ContractServer server)
    {
        var violations = ResponseReads.Check(server);

        var unexpected = KnownViolations.Unexpected(violations);
        Assert.True(unexpected.Count == 0, $"{unexpected.Count} response read(s) on {server} that the server never sends:\n{ContractChecker.Report(unexpected)}");
        Assert.Empty(KnownViolations.Stale(server, violations, responses: true));
    }

    [Fact]
    public void Every_response_record_of_the_client_is_mapped_to_the_servers_schemas()
    {
        var mapped = ResponseReads.Shapes.Select(s => s.ClientType).ToHashSet();

        Assert.Empty(ResponseReads.ClientResponseTypes().Where(t => !mapped.Contains(t)).Select(t => t.Name));
    }

    internal sealed class SingleClientFactory : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }
}
