using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Aperture.Progress;

namespace Aperture.Tests.GroupPicks;

// Movie night over HTTP against the Jellyfin and Emby fakes: validation, consent, privacy, the unwatched rule, and the
// list saved as a channel and sent as playlists.
public sealed class GroupPicksApiTests
{
    // alice loves noir, bob noir and westerns, carol westerns; dave never allowed movie nights. Titles the trio watched are
    // named "… (seen)" so a leak is easy to spot.
    private static readonly Dictionary<string, string[]> Watched = new()
    {
        ["alice"] = ["Night Street 0 (seen)", "Night Street 1 (seen)"],
        ["bob"] = ["Night Street 2 (seen)", "Frontier 0 (seen)"],
        ["carol"] = ["Frontier 1 (seen)", "Night Street 2 (seen)"],
        // Not a member of the trio below: what he saw stays on their list.
        ["dave"] = ["Frontier 2"],
    };

    private sealed record World(FakeMediaServer Server, AppFactory App, Dictionary<string, HttpClient> Clients, Dictionary<string, string> Ids)
        : IAsyncDisposable
    {
        public HttpClient this[string name] => Clients[name];

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Server.DisposeAsync();
        }
    }

    private static async Task<World> StartAsync(FakeServerVersion version = FakeServerVersion.Jellyfin10_11)
    {
        var server = await FakeMediaServer.StartAsync(version, b =>
        {
            b.User("Admin", "pw", admin: true);
            var users = new[] { "alice", "bob", "carol", "dave" }.ToDictionary(n => n, n => b.User(n, "pw"));
            b.MovieLibrary("Movies");
            var items = new Dictionary<string, FakeItem>();
            for (var i = 0; i < 6; i++)
            {
                foreach (var (name, year, genres, overview, tag) in new[]
                {
                    ($"Night Street {i}", 1945 + i, new[] { "Crime", "Mystery" }, $"A noir detective walks the rain {i}.", "noir"),
                    ($"Frontier {i}", 1960 + i, new[] { "Western" }, $"A sheriff and an outlaw on the frontier {i}.", "sheriff"),
                })
                {
                    var seen = Watched.Values.Any(w => w.Contains(name + " (seen)"));
                    var title = seen ? name + " (seen)" : name;
                    items[title] = b.Movie(title, year, genres: genres, overview: overview, tags: [tag], communityRating: 7 + i / 10.0,
                        runtimeMinutes: 80 + 10 * i, tmdb: $"{tag}{i}");
                }
            }
            var played = DateTimeOffset.UtcNow.AddDays(-5);
            foreach (var (user, titles) in Watched)
            {
                foreach (var t in titles)
                {
                    b.Played(users[user], items[t], lastPlayed: played);
                }
            }
        });
        var app = new AppFactory();
        await app.ConnectAsync(server);
        var clients = new Dictionary<string, HttpClient>();
        var ids = new Dictionary<string, string>();
        foreach (var name in new[] { "Admin", "alice", "bob", "carol", "dave" })
        {
            clients[name] = await app.SignedInClientAsync(name, "pw");
            ids[name] = (await clients[name].GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("id").GetString()!;
        }
        await app.RunJobAsync(JobNames.SyncMovies);
        await app.RunJobAsync(JobNames.SyncWatchHistory);
        await app.RunJobAsync(JobNames.GenerateEmbeddings);
        var w = new World(server, app, clients, ids);
        foreach (var name in new[] { "bob", "carol" })
        {
            await OkJsonAsync(await clients[name].PutAsJsonAsync("/api/group-picks/consent", new { allow = true }));
        }
        return w;
    }

    private static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static Task<HttpResponseMessage> AskAsync(World w, string caller, object body) => w[caller].PostAsJsonAsync("/api/group-picks", body);

    private static List<string> Names(JsonElement result) =>
        result.GetProperty("picks").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToList();

    [Fact]
    public async Task Bad_input_is_a_400_naming_the_field()
    {
        await using var w = await StartAsync();
        string[] trio = [w.Ids["alice"], w.Ids["bob"], w.Ids["carol"]];

        async Task ExpectAsync(object body, string field)
        {
            var problem = await OkJsonAsync(await AskAsync(w, "alice", body), HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        }

        await ExpectAsync(new { userIds = new[] { w.Ids["alice"] }, kind = "movies" }, "userIds");
        await ExpectAsync(new { userIds = Enumerable.Range(0, 9).Select(i => $"u{i}").ToArray(), kind = "movies" }, "userIds");
        await ExpectAsync(new { userIds = new[] { w.Ids["alice"], "nobody-here" }, kind = "movies" }, "userIds");
        await ExpectAsync(new { userIds = trio, kind = "songs" }, "kind");
        await ExpectAsync(new { userIds = trio }, "kind");
        // Only kinds the server has: this one has no series.
        await ExpectAsync(new { userIds = trio, kind = "series" }, "kind");
        await ExpectAsync(new { userIds = trio, kind = "movies", count = 0 }, "count");
        await ExpectAsync(new { userIds = trio, kind = "movies", count = 101 }, "count");
        await ExpectAsync(new { userIds = trio, kind = "movies", genres = new[] { "Westrn" } }, "genres");
        await ExpectAsync(new { userIds = trio, kind = "movies", yearFrom = 1990, yearTo = 1950 }, "yearTo");
        await ExpectAsync(new { userIds = trio, kind = "movies", colour = "red" }, "colour");

        var genre = await OkJsonAsync(await AskAsync(w, "alice", new { userIds = trio, kind = "movies", genres = new[] { "Westrn" } }), HttpStatusCode.BadRequest);
        Assert.StartsWith("This catalogue has no genre \u201CWestrn\u201D; the nearest are Western", genre.GetProperty("errors").GetProperty("genres")[0].GetString(),
            StringComparison.Ordinal);
        // A form post without the antiforgery token and not JSON is refused before anything runs.
        var plain = await w["alice"].PostAsync("/api/group-picks", new FormUrlEncodedContent([new("kind", "movies")]));
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
    }

    [Fact]
    public async Task A_member_who_has_not_allowed_movie_nights_is_a_403_unless_the_caller_is_an_admin()
    {
        await using var w = await StartAsync();
        object WithDave() => new { userIds = new[] { w.Ids["alice"], w.Ids["dave"] }, kind = "movies" };

        var refused = await OkJsonAsync(await AskAsync(w, "alice", WithDave()), HttpStatusCode.Forbidden);
        Assert.Contains("dave", refused.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await w["alice"].PostAsJsonAsync("/api/group-picks/channel", WithDave())).StatusCode);
        // Admins choose among all users.
        Assert.NotEmpty(Names(await OkJsonAsync(await AskAsync(w, "Admin", WithDave()))));
        // The caller may choose themselves and those who allowed it, no one else.
        var choosable = await w["alice"].GetFromJsonAsync<JsonElement>("/api/group-picks/users");
        Assert.Equal(["alice", "bob", "carol"], choosable.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("name").GetString()!).Order());
        Assert.False(choosable.GetProperty("allowMe").GetBoolean());
        // Once dave allows it, anyone may include him; when he takes it back, they may not.
        await OkJsonAsync(await w["dave"].PutAsJsonAsync("/api/group-picks/consent", new { allow = true }));
        Assert.NotEmpty(Names(await OkJsonAsync(await AskAsync(w, "alice", WithDave()))));
        await OkJsonAsync(await w["dave"].PutAsJsonAsync("/api/group-picks/consent", new { allow = false }));
        Assert.Equal(HttpStatusCode.Forbidden, (await AskAsync(w, "alice", WithDave())).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await w["dave"].PutAsJsonAsync("/api/group-picks/consent", new { })).StatusCode);
    }

    [Fact]
    public async Task The_list_is_unwatched_by_all_and_neither_response_nor_page_names_a_members_watched_title()
    {
        await using var w = await StartAsync();
        string[] trio = [w.Ids["alice"], w.Ids["bob"], w.Ids["carol"]];
        var response = await AskAsync(w, "alice", new { userIds = trio, kind = "movies", count = 100 });
        var body = await response.Content.ReadAsStringAsync();
        var result = await OkJsonAsync(response);

        // The small catalogue is scored whole: exactly the titles none of the three has seen, each with a fit per member and a reason.
        Assert.Equal(["Frontier 2", "Frontier 3", "Frontier 4", "Frontier 5", "Night Street 3", "Night Street 4", "Night Street 5"], Names(result).Order());
        Assert.DoesNotContain("(seen)", body, StringComparison.Ordinal);
        foreach (var pick in result.GetProperty("picks").EnumerateArray())
        {
            Assert.Equal(trio, pick.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("userId").GetString()));
            Assert.All(pick.GetProperty("members").EnumerateArray(), m => Assert.InRange(m.GetProperty("fit").GetDouble(), 0, 1));
            Assert.False(string.IsNullOrWhiteSpace(pick.GetProperty("why").GetString()));
        }

        // "Unwatched by most": titles fewer than half of them have seen come back (one of three), those two of them saw stay out.
        var most = Names(await OkJsonAsync(await AskAsync(w, "alice", new { userIds = trio, kind = "movies", count = 100, unwatchedByMost = true })));
        Assert.Contains("Night Street 0 (seen)", most);
        Assert.Contains("Frontier 1 (seen)", most);
        Assert.DoesNotContain("Night Street 2 (seen)", most);

        // Filters: genre, length (runtime) and years.
        var westerns = Names(await OkJsonAsync(await AskAsync(w, "alice", new { userIds = trio, kind = "movies", genres = new[] { "western" }, maxMinutes = 110, yearFrom = 1961 })));
        Assert.Equal(["Frontier 2", "Frontier 3"], westerns.Order());

        // The page, as htmx asks for it: a fragment with a fit bar per member and not one watched title.
        var token = await w["alice"].AntiforgeryTokenAsync("/movie-night");
        var page = await w["alice"].PostFormAsync("/movie-night?handler=Picks", token,
            [.. trio.Select(id => new KeyValuePair<string, string>("users", id)), new("kind", "movies"), new("count", "100")], htmx: true);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain("<html", html, StringComparison.Ordinal);
        Assert.Contains("Fit for carol", html, StringComparison.Ordinal);
        Assert.Contains("Night Street 3", html, StringComparison.Ordinal);
        Assert.DoesNotContain("(seen)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("(seen)", await w["alice"].GetStringAsync("/movie-night"), StringComparison.Ordinal);
        // Without the token the page refuses the post.
        var forged = await w["alice"].PostFormAsync("/movie-night?handler=Picks", null, [new("kind", "movies")], htmx: true);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task Saved_as_a_channel_and_sent_as_playlists_to_the_members_who_allowed_it(FakeServerVersion version)
    {
        await using var w = await StartAsync(version);
        var channel = await OkJsonAsync(await w["alice"].PostAsJsonAsync("/api/group-picks/channel",
            new { userIds = new[] { w.Ids["alice"], w.Ids["bob"], w.Ids["carol"] }, kind = "movies", count = 5, name = "Friday", playlist = true }),
            HttpStatusCode.Created);
        var id = channel.GetProperty("id").GetInt64();
        Assert.True(channel.GetProperty("fixedEntries").GetBoolean());
        Assert.Equal("Friday", channel.GetProperty("name").GetString());
        Assert.Equal(5, channel.GetProperty("entries").GetArrayLength());
        Assert.Equal(new[] { w.Ids["bob"], w.Ids["carol"] }.Order(), channel.GetProperty("sharedWith").EnumerateArray().Select(u => u.GetProperty("id").GetString()!).Order());
        var itemIds = channel.GetProperty("entries").EnumerateArray()
            .Select(e => w.Server.State.Items.Single(i => i.Name == e.GetProperty("name").GetString()).Id).ToList();

        var playlists = w.Server.State.Items.Where(i => i.Playlist is not null).ToList();
        if (version == FakeServerVersion.Emby4_8)
        {
            // Emby has no playlist shares: one private playlist per member, each owned by them.
            Assert.Equal(new[] { w.Ids["alice"], w.Ids["bob"], w.Ids["carol"] }.Order(), playlists.Select(p => p.Playlist!.OwnerUserId).Order());
        }
        else
        {
            var playlist = Assert.Single(playlists);
            Assert.Equal(w.Ids["alice"], playlist.Playlist!.OwnerUserId);
            Assert.False(playlist.Playlist.IsPublic);
            Assert.Equal(new[] { w.Ids["bob"], w.Ids["carol"] }.Order(), playlist.Playlist.Shares.Select(s => s.UserId).Order());
            Assert.All(playlist.Playlist.Shares, s => Assert.False(s.CanEdit));
        }
        Assert.All(playlists, p =>
        {
            Assert.Equal("Friday", p.Name);
            Assert.Equal(itemIds, p.LinkedItems.Select(e => e.ItemId));
        });

        // A member reads it; it is a saved list, never regenerated from words.
        Assert.Equal(HttpStatusCode.OK, (await w["bob"].GetAsync($"/api/channels/{id}")).StatusCode);
        var regenerate = await OkJsonAsync(await w["alice"].PostAsync($"/api/channels/{id}/generate",
            new StringContent("{}", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        Assert.True(regenerate.GetProperty("errors").TryGetProperty("entries", out _));
        await w.App.RunJobAsync(JobNames.RefreshChannels);
        Assert.Equal(itemIds, (await w["alice"].GetFromJsonAsync<JsonElement>($"/api/channels/{id}")).GetProperty("entries").EnumerateArray()
            .Select(e => w.Server.State.Items.Single(i => i.Name == e.GetProperty("name").GetString()).Id));
    }
}
