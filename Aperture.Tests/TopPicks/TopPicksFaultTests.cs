using System.Net;
using System.Net.Http.Json;
using Aperture.Progress;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.MediaServers;
using Aperture.Tests.Infrastructure;
using Aperture.Tests.Outputs;
using Aperture.TopPicks;
using Microsoft.AspNetCore.Http;

namespace Aperture.Tests.TopPicks;

// refresh-top-picks against a server that fails while the collection or the playlist is made or updated: the run fails naming
// the output, the ids Aperture stored and what the server held stay, and the rerun completes without a second collection or
// playlist.
public sealed class TopPicksFaultTests : IDisposable
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("aperture-toppicks-");

    public void Dispose() => root.Delete(recursive: true);

    public static TheoryData<FakeServerVersion, string, string> Faults
    {
        get
        {
            var data = new TheoryData<FakeServerVersion, string, string>();
            foreach (var version in new[] { FakeServerVersion.Jellyfin10_11, FakeServerVersion.Emby4_8 })
            {
                foreach (var target in new[] { "collection", "playlist" })
                {
                    foreach (var fault in new[] { "500", "reset", "stall", "bad-json", "truncated" })
                    {
                        data.Add(version, target, fault);
                    }
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_collection_or_playlist_failing_fails_the_run_naming_it_keeps_the_stored_ids_and_the_rerun_makes_no_second_one(
        FakeServerVersion version, string target, string fault)
    {
        var recent = DateTimeOffset.UtcNow.AddDays(-2);
        await using var server = await FakeMediaServer.StartAsync(version, b =>
        {
            var admin = b.User("Admin", "pw", admin: true);
            var alice = b.User("alice", "pw");
            b.MovieLibrary("Movies");
            var popular = b.Movie("Popular", 2001, tmdb: "1");
            var liked = b.Movie("Liked", 2002, tmdb: "2");
            b.Played(admin, popular, lastPlayed: recent);
            b.Played(alice, popular, lastPlayed: recent);
            b.Played(admin, liked, lastPlayed: recent);
            b.Played(alice, liked, playCount: 3, lastPlayed: recent);
        });
        await using var app = new AppFactory().With("MEDIA_SERVER_STRM_ROOT", root.FullName);
        await app.ConnectAsync(server);
        var adminClient = await app.SignedInClientAsync("Admin", "pw");
        await app.RunJobAsync(JobNames.SyncMovies);
        await app.RunJobAsync(JobNames.SyncWatchHistory);
        Assert.Equal(HttpStatusCode.OK, (await adminClient.PatchAsJsonAsync("/api/settings/top-picks/movies",
            new { outputs = new { library = false, collection = true, playlist = true } })).StatusCode);
        var state = server.State;
        var type = target == "collection" ? FakeItemType.BoxSet : FakeItemType.Playlist;
        var other = target == "collection" ? FakeItemType.Playlist : FakeItemType.BoxSet;
        string[] Members(FakeItemType t) => [.. state.Items.Single(i => i.Type == t).LinkedItems.Select(e => state.FindItem(e.ItemId)!.Name)];
        var createPath = target == "collection" ? "/Collections" : "/Playlists";

        // Made for the first time: the target's create fails, the other output is made and its id kept.
        server.Faults.Add(FaultRule.Where(r => HttpMethods.IsPost(r.Method) && (r.Path.Value ?? "").EndsWith(createPath, StringComparison.OrdinalIgnoreCase))
            .Respond(OutputFaultTests.Make(fault)).Forever());

        var error = await Assert.ThrowsAsync<MediaServerException>(() => app.RunJobAsync(JobNames.RefreshTopPicks));

        Assert.Contains($"the Top Picks {target} 'Top Picks - Movies' was not written", error.Message, StringComparison.Ordinal);
        Assert.Contains(OutputFaultTests.Cause(fault), error.Message, StringComparison.Ordinal);
        var ranked = Members(other);
        Assert.Equal(2, ranked.Length);
        var otherId = state.Items.Single(i => i.Type == other).Id;
        // Truncated: the server made it and the answer with its id was lost; any other fault: the server made nothing.
        Assert.Equal(fault == "truncated" ? 1 : 0, state.Items.Count(i => i.Type == type));

        server.Faults.Clear();
        await app.RunJobAsync(JobNames.RefreshTopPicks);

        Assert.Equal(otherId, Assert.Single(state.Items, i => i.Type == other).Id);
        Assert.Equal(ranked, Members(type));
        Assert.Equal(ranked, Members(other));
        var collectionId = state.Items.Single(i => i.Type == FakeItemType.BoxSet).Id;
        (string?, string?) OnServer() => (Assert.Single(state.Items, i => i.Type == FakeItemType.BoxSet).Id, Assert.Single(state.Items, i => i.Type == FakeItemType.Playlist).Id);
        Assert.Equal(OnServer(), await StoredIdsAsync(app));

        // Updated: reading the target's members fails; it keeps its members, both ids stay stored, the other is updated.
        Assert.Equal(HttpStatusCode.OK, (await adminClient.PatchAsJsonAsync("/api/settings/top-picks/movies", new { count = 1 })).StatusCode);
        var targetId = state.Items.Single(i => i.Type == type).Id;
        server.Faults.Add(FaultRule.Where(r => HttpMethods.IsGet(r.Method) && (target == "collection"
                ? string.Equals(r.Query["ParentId"], targetId, StringComparison.OrdinalIgnoreCase)
                : (r.Path.Value ?? "").Contains($"/Playlists/{targetId}/Items", StringComparison.OrdinalIgnoreCase)))
            .Respond(OutputFaultTests.Make(fault)).Forever());

        error = await Assert.ThrowsAsync<MediaServerException>(() => app.RunJobAsync(JobNames.RefreshTopPicks));

        Assert.Contains($"the Top Picks {target} 'Top Picks - Movies' was not written", error.Message, StringComparison.Ordinal);
        Assert.Contains(OutputFaultTests.Cause(fault), error.Message, StringComparison.Ordinal);
        Assert.Equal(ranked, Members(type));
        Assert.Equal([ranked[0]], Members(other));
        // What is stored is what the server has: the failed target's id kept; a playlist that was replaced (built new, then
        // the old one deleted) under its new id.
        Assert.Equal(OnServer(), await StoredIdsAsync(app));
        Assert.Equal(collectionId, OnServer().Item1);

        server.Faults.Clear();
        await app.RunJobAsync(JobNames.RefreshTopPicks);

        Assert.Equal(collectionId, OnServer().Item1);
        Assert.Equal([ranked[0]], Members(type));
        Assert.Equal(OnServer(), await StoredIdsAsync(app));
    }

    private static async Task<(string?, string?)> StoredIdsAsync(AppFactory app)
    {
        using var stored = System.Text.Json.JsonDocument.Parse(await StoredAsync(app) ?? "{}");
        string? Id(string name) => stored.RootElement.TryGetProperty(name, out var v) ? v.GetString() : null;
        return (Id("collectionId"), Id("playlistId"));
    }

    private static Task<string?> StoredAsync(AppFactory app) =>
        app.WithDbAsync(db => Task.FromResult(db.Settings.Where(s => s.Key == TopPicksPublisher.ServerItemsKey(Aperture.Data.MediaKind.Movie).Key)
            .Select(s => s.Value).SingleOrDefault()));
}
