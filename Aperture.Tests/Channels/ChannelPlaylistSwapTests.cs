using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Progress;
using Aperture.Channels;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;

namespace Aperture.Tests.Channels;

// A channel's playlist is replaced by building the complete new playlist first and deleting the old one after: a process
// stopped between any two of those calls (a kill -9, here the job's token cancelled at that call, which leaves the database
// exactly as a kill does: only what was committed) leaves the server with the old playlist complete, or the new one
// complete, never a half-replaced list; the next sync deletes the playlist the stopped one left behind and ends with one
// complete playlist per user.
public sealed class ChannelPlaylistSwapTests
{
    public enum KillPoint { BeforeTheNewPlaylistExists, BetweenCreatingTheNewAndDeletingTheOld }

    public static TheoryData<FakeServerVersion, KillPoint> Cases()
    {
        var data = new TheoryData<FakeServerVersion, KillPoint>();
        foreach (var version in new[] { FakeServerVersion.Jellyfin10_11, FakeServerVersion.Jellyfin12_0, FakeServerVersion.Emby4_8 })
        {
            foreach (var point in Enum.GetValues<KillPoint>())
            {
                data.Add(version, point);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_sync_stopped_between_its_playlist_calls_leaves_the_old_or_the_new_playlist_complete_and_the_next_sync_removes_the_leftover(
        FakeServerVersion version, KillPoint point)
    {
        await using var server = await FakeMediaServer.StartAsync(version, b => ChannelCatalog.NoirAndWesterns(b));
        // Long enough that a held call is still waiting when the test stops the sync.
        await using var app = new AppFactory().With("MediaServer:TimeoutSeconds", "60");
        await app.ConnectAsync(server);
        var alice = await app.SignedInClientAsync("alice", "pw");
        await app.RunJobAsync(JobNames.SyncMovies);
        await app.RunJobAsync(JobNames.GenerateEmbeddings);
        var created = await alice.PostAsJsonAsync("/api/channels", new { name = "Noir", kind = "movies", preference = "noir detective", size = 4 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await PostOkAsync(alice, $"/api/channels/{id}/generate");
        var oldId = (await PostOkAsync(alice, $"/api/channels/{id}/sync")).GetProperty("playlists")[0].GetProperty("playlistId").GetString()!;
        var oldItems = Items(server, oldId);
        Assert.Equal(4, oldItems.Count);

        // New contents for the channel (saved), then a sync that is stopped at the chosen call.
        Assert.Equal(HttpStatusCode.OK, (await alice.PutAsJsonAsync($"/api/channels/{id}", new { preference = "sheriff outlaw frontier" })).StatusCode);
        var newItems = ItemIds(server, await PostOkAsync(alice, $"/api/channels/{id}/generate"));
        Assert.Empty(newItems.Intersect(oldItems));
        var held = server.Faults.Add((point == KillPoint.BeforeTheNewPlaylistExists
                ? FaultRule.Where(r => r.Method == "POST" && (r.Path.Value ?? "").EndsWith("/Playlists", StringComparison.OrdinalIgnoreCase))
                : FaultRule.OnPath($"/Items/{oldId}").OnMethod("DELETE"))
            .Respond(Fault.Timeout).Forever());
        using var kill = new CancellationTokenSource();
        Task sync;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var channels = scope.ServiceProvider.GetRequiredService<ChannelService>();
            var channel = await channels.FindAsync(id, CancellationToken.None);
            sync = channels.SyncAsync(channel!, kill.Token);
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (held.Hits == 0)
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the sync never reached the call it is stopped at");
                Assert.False(sync.IsCompleted, $"the sync ended before that call: {sync.Exception?.GetBaseException().Message}");
                await Task.Delay(20);
            }

            // The moment of the kill: every playlist of alice's named "Noir" is whole, the old list or the new one, and the one
            // the channel records is the old one, complete.
            var playlists = Playlists(server);
            Assert.NotEmpty(playlists);
            Assert.All(playlists, p => Assert.True(Items(server, p.Id).SequenceEqual(oldItems) || Items(server, p.Id).SequenceEqual(newItems),
                $"playlist {p.Id} holds a mix: {string.Join(",", Items(server, p.Id))}"));
            Assert.Equal(point == KillPoint.BeforeTheNewPlaylistExists ? 1 : 2, playlists.Count);
            Assert.Equal(oldItems, Items(server, oldId));

            await kill.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sync);
        }
        server.Faults.Clear();
        var recorded = (await alice.GetFromJsonAsync<JsonElement>($"/api/channels/{id}")).GetProperty("playlists")[0].GetProperty("playlistId").GetString();
        Assert.Equal(oldId, recorded);

        // The next sync (a rerun of the job, or the user's Sync) finds the leftover and ends with one complete new playlist.
        var after = await PostOkAsync(alice, $"/api/channels/{id}/sync");
        var nowId = after.GetProperty("playlists")[0].GetProperty("playlistId").GetString()!;
        var left = Assert.Single(Playlists(server));
        Assert.Equal(nowId, left.Id);
        Assert.Equal(newItems, Items(server, nowId));
        Assert.Null(server.State.FindItem(oldId));
    }

    private static List<FakeItem> Playlists(FakeMediaServer server) =>
        [.. server.State.Items.Where(i => i.Playlist is not null && i.Name == "Noir")];

    private static List<string> Items(FakeMediaServer server, string playlistId) =>
        [.. server.State.Item(playlistId).LinkedItems.Select(e => e.ItemId)];

    private static List<string> ItemIds(FakeMediaServer server, JsonElement detail) =>
        [.. detail.GetProperty("entries").EnumerateArray().Select(e => server.State.Items.Single(i => i.Name == e.GetProperty("name").GetString()).Id)];

    private static async Task<JsonElement> PostOkAsync(HttpClient client, string path)
    {
        var response = await client.PostAsync(path, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }
}
