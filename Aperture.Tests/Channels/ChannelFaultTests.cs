using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Progress;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Aperture.Tests.Outputs;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Tests.Channels;

// refresh-channels against a server that fails while a channel's playlist is replaced: the run fails naming the channel and
// the cause, the playlist on the server and its stored id stay as they were, and the rerun completes.
public sealed class ChannelFaultTests
{
    public static TheoryData<FakeServerVersion, string> Faults
    {
        get
        {
            var data = new TheoryData<FakeServerVersion, string>();
            foreach (var version in new[] { FakeServerVersion.Jellyfin10_11, FakeServerVersion.Emby4_8 })
            {
                // "refused-write": reading the playlist works, the first change to it is refused (a 500) and is taken back.
                foreach (var fault in new[] { "500", "reset", "stall", "bad-json", "truncated", "refused-write" })
                {
                    data.Add(version, fault);
                }
            }
            return data;
        }
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path) =>
        client.PostAsync(path, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

    private static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_playlist_replace_that_fails_fails_the_refresh_naming_the_channel_keeps_the_playlist_and_the_rerun_completes(FakeServerVersion version, string fault)
    {
        await using var server = await FakeMediaServer.StartAsync(version, b => ChannelCatalog.NoirAndWesterns(b));
        await using var app = new AppFactory();
        await app.ConnectAsync(server);
        var alice = await app.SignedInClientAsync("alice", "pw");
        await app.RunJobAsync(JobNames.SyncMovies);
        await app.RunJobAsync(JobNames.GenerateEmbeddings);
        var channel = (await OkJsonAsync(await alice.PostAsJsonAsync("/api/channels",
            new { name = "Noir", kind = "movies", preference = "noir detective", size = 4, excludeWatched = true }), HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var first = await OkJsonAsync(await PostAsync(alice, $"/api/channels/{channel}/generate"));
        var playlist = (await OkJsonAsync(await PostAsync(alice, $"/api/channels/{channel}/sync"))).GetProperty("playlists")[0].GetProperty("playlistId").GetString()!;
        var state = server.State;
        var before = state.Item(playlist).LinkedItems.Select(e => e.ItemId).ToList();
        // alice watches the first title: the refresh has a new list to write.
        state.SetUserData(state.User("alice"), state.Item(first.GetProperty("entries")[0].GetProperty("name").GetString()!),
            d => (d.Played, d.PlayCount, d.LastPlayedDate) = (true, 1, DateTimeOffset.UtcNow));
        await app.RunJobAsync(JobNames.SyncWatchHistory);
        var items = $"/Playlists/{playlist}/Items";
        if (fault == "refused-write")
        {
            // A replacement builds the whole new playlist first: the server refuses to create it, and the old one must stay as it was.
            server.Faults.Add(FaultRule.OnExactPath("/Playlists").OnMethod("POST").OnCall(1).Respond(Fault.Status(500, "Playlist store is busy")));
        }
        else
        {
            server.Faults.Add(FaultRule.Where(r => HttpMethods.IsGet(r.Method) && (r.Path.Value ?? "").Contains(items, StringComparison.OrdinalIgnoreCase))
                .Respond(OutputFaultTests.Make(fault)).Forever());
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.RunJobAsync(JobNames.RefreshChannels));

        Assert.Contains("1 of 1 channel was not refreshed: Noir", error.Message, StringComparison.Ordinal);
        Assert.Contains(fault == "refused-write" ? "HTTP 500" : OutputFaultTests.Cause(fault), error.Message, StringComparison.Ordinal);
        Assert.Equal(before, state.Item(playlist).LinkedItems.Select(e => e.ItemId));
        Assert.Equal([playlist], await app.WithDbAsync(db => db.ChannelPlaylists.Where(p => p.ChannelId == channel).Select(p => p.PlaylistId).ToListAsync()));

        server.Faults.Clear();
        await app.RunJobAsync(JobNames.RefreshChannels);

        // The rerun built the new playlist whole, pointed the channel at it and deleted the old one.
        var after = await OkJsonAsync(await alice.GetAsync($"/api/channels/{channel}"));
        var names = after.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();
        var replaced = Assert.Single(await app.WithDbAsync(db => db.ChannelPlaylists.Where(p => p.ChannelId == channel).Select(p => p.PlaylistId).ToListAsync()));
        Assert.Equal(names.Select(n => state.Items.Single(i => i.Name == n).Id), state.Item(replaced).LinkedItems.Select(e => e.ItemId));
        Assert.NotEqual(before, state.Item(replaced).LinkedItems.Select(e => e.ItemId));
        Assert.Equal(replaced, Assert.Single(state.Items, i => i.Playlist is not null).Id);
    }
}
