using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Aperture.Progress;

namespace Aperture.Tests.TopPicks;

// refresh-top-picks against the fake Jellyfin and the fake Emby: synced history in, the shared library, collection and
// playlist out, in each server's wire format; the settings API and the pages around it.
public sealed class TopPicksJobTests : IDisposable
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("aperture-toppicks-");

    public void Dispose() => root.Delete(recursive: true);

    private sealed record World(FakeMediaServer Server, AppFactory App, HttpClient Admin, HttpClient Alice) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Server.DisposeAsync();
        }
    }

    // Three users; "Popular" watched by all three, "Liked" by two, "Solo" by one (below the minimum of 2). bob sees an explicit
    // list of libraries, so he must be given the shared library; the others see all libraries.
    private async Task<World> StartAsync(FakeServerVersion version, bool sync = true, string? outputRoot = null)
    {
        var dialect = version.Dialect();
        var recent = DateTimeOffset.UtcNow.AddDays(-2);
        var server = await FakeMediaServer.StartAsync(version, b =>
        {
            var admin = b.User("Admin", "pw", admin: true);
            var alice = b.User("alice", "pw");
            var bob = b.User("bob", "pw");
            var movies = b.MovieLibrary("Movies");
            b.ShowLibrary("Shows");
            bob.EnableAllFolders = false;
            bob.EnabledFolders = [dialect == FakeDialect.Emby ? movies.Guid! : movies.ItemId];
            var popular = b.Movie("Popular", 2001, tmdb: "1");
            var liked = b.Movie("Liked", 2002, tmdb: "2");
            var solo = b.Movie("Solo", 2003, tmdb: "3");
            b.Movie("Unseen", 2004, tmdb: "4");
            foreach (var user in new[] { admin, alice, bob })
            {
                b.Played(user, popular, lastPlayed: recent);
            }
            b.Played(alice, liked, playCount: 3, lastPlayed: recent);
            b.Played(bob, liked, lastPlayed: recent);
            b.Played(alice, solo, playCount: 5, lastPlayed: recent);
        });
        var app = new AppFactory().With("MEDIA_SERVER_STRM_ROOT", outputRoot ?? root.FullName).With("STRM_USE_STREAMING_URL", "true");
        await app.ConnectAsync(server);
        var adminClient = await app.SignedInClientAsync("Admin", "pw");
        var aliceClient = await app.SignedInClientAsync("alice", "pw");
        if (sync)
        {
            foreach (var job in new[] { JobNames.SyncMovies, JobNames.SyncSeries, JobNames.SyncWatchHistory, JobNames.SyncSeriesWatchHistory })
            {
                await app.RunJobAsync(job);
            }
        }
        return new World(server, app, adminClient, aliceClient);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task The_job_ranks_the_history_writes_the_shared_library_and_makes_it_visible_to_every_user(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        await using var w = await StartAsync(version);

        var progress = await w.App.RunJobAsync(JobNames.RefreshTopPicks);

        Assert.Contains(progress.Logs, l => l.Text.StartsWith("2 movies Top Picks over the last 30 days", StringComparison.Ordinal));
        Assert.DoesNotContain(progress.Logs, l => l.Level == JobLogLevel.Error);
        var list = await JsonAsync(await w.Alice.GetAsync("/api/top-picks/movies"));
        var picks = list.GetProperty("picks").EnumerateArray().ToList();
        Assert.Equal(["Popular", "Liked"], picks.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(3, picks[0].GetProperty("viewers").GetInt32());
        Assert.Equal(4, picks[1].GetProperty("plays").GetInt32());

        // Files: one folder per title under {root}/Top Picks/movies, STRM pointing at the server's stream.
        var folder = Path.Combine(root.FullName, "Top Picks", "movies");
        var titles = Directory.GetDirectories(folder).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(2, titles.Count);
        Assert.StartsWith("Liked (2002)", titles[0], StringComparison.Ordinal);
        var strm = Directory.GetFiles(folder, "*.strm", SearchOption.AllDirectories);
        Assert.Equal(2, strm.Length);
        Assert.Contains("/Videos/", await File.ReadAllTextAsync(strm[0]), StringComparison.Ordinal);

        // The server library over that folder, refreshed, and bob (explicit list) now sees it; the others saw all already.
        var library = w.Server.State.FindLibrary("Top Picks - Movies");
        Assert.NotNull(library);
        Assert.Equal([folder], library.Locations);
        Assert.Equal("movies", library.CollectionType);
        Assert.Contains(w.Server.Calls, c => c.Method == "POST" && c.Path.EndsWith($"/Items/{library.ItemId}/Refresh", StringComparison.Ordinal));
        foreach (var user in new[] { "Admin", "alice", "bob" })
        {
            Assert.Contains(w.Server.State.LibrariesVisibleTo(w.Server.State.User(user)), l => l.Name == "Top Picks - Movies");
        }
        Assert.Contains(w.Server.State.LibrariesVisibleTo(w.Server.State.User("bob")), l => l.Name == "Movies");
        // No series history: no empty "Top Picks - Series" library in everyone's home screen.
        Assert.Null(w.Server.State.FindLibrary("Top Picks - Series"));
        Assert.Contains(progress.Logs, l => l.Text == "No series Top Picks library: the list is empty (no title has enough viewers in the window).");

        // What the per-user access pass must list as shared.
        await using (var scope = w.App.Services.CreateAsyncScope())
        {
            Assert.Equal(["Top Picks - Movies", "Top Picks - Series"],
                await scope.ServiceProvider.GetRequiredService<Aperture.TopPicks.TopPicksSettings>().SharedLibraryNamesAsync(CancellationToken.None));
        }

        // A second run with nothing new changes nothing on disk and creates no second library.
        await w.App.RunJobAsync(JobNames.RefreshTopPicks);
        Assert.Single(w.Server.State.Libraries, l => l.Name.StartsWith("Top Picks - Movies", StringComparison.Ordinal));

        // Renamed: the next run leaves one library over the folder, under the new name; the old one is gone from the server.
        var topFolder = w.Server.State.FindLibrary("Top Picks - Movies")!.Locations.Single();
        Assert.Equal(HttpStatusCode.OK, (await w.Admin.PatchAsJsonAsync("/api/settings/top-picks/movies", new { libraryName = "Crowd Favourites" })).StatusCode);
        await w.App.RunJobAsync(JobNames.RefreshTopPicks);
        Assert.Null(w.Server.State.FindLibrary("Top Picks - Movies"));
        Assert.Equal("Crowd Favourites", Assert.Single(w.Server.State.Libraries, l => l.Locations.Contains(topFolder)).Name);
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task Collection_and_playlist_are_created_when_enabled_replaced_on_the_next_run_and_removed_when_switched_off(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        await using var w = await StartAsync(version);
        await JsonAsync(await w.Admin.PatchAsJsonAsync("/api/settings/top-picks/movies",
            new { outputs = new { library = false, collection = true, playlist = true } }));

        await w.App.RunJobAsync(JobNames.RefreshTopPicks);

        var state = w.Server.State;
        string[] Members(string name, FakeItemType type) =>
            [.. state.Items.Single(i => i.Type == type && i.Name == name).LinkedItems.Select(e => state.FindItem(e.ItemId)!.Name)];
        Assert.Equal(["Popular", "Liked"], Members("Top Picks - Movies", FakeItemType.BoxSet));
        Assert.Equal(["Popular", "Liked"], Members("Top Picks - Movies", FakeItemType.Playlist));
        var playlist = state.Items.Single(i => i.Type == FakeItemType.Playlist);
        Assert.Equal(state.User("Admin").Id, playlist.Playlist!.OwnerUserId);
        if (dialect == FakeDialect.Jellyfin)
        {
            Assert.True(playlist.Playlist.IsPublic);
        }
        Assert.Null(state.FindLibrary("Top Picks - Movies"));
        Assert.False(Directory.Exists(Path.Combine(root.FullName, "Top Picks", "movies")));

        // Fewer picks: the same collection holds the new list, and a new playlist replaces the old one.
        await JsonAsync(await w.Admin.PatchAsJsonAsync("/api/settings/top-picks/movies", new { count = 1 }));
        await w.App.RunJobAsync(JobNames.RefreshTopPicks);
        Assert.Equal(["Popular"], Members("Top Picks - Movies", FakeItemType.BoxSet));
        Assert.Equal(["Popular"], Members("Top Picks - Movies", FakeItemType.Playlist));
        Assert.Single(state.Items, i => i.Type == FakeItemType.BoxSet);
        Assert.Single(state.Items, i => i.Type == FakeItemType.Playlist);

        await JsonAsync(await w.Admin.PatchAsJsonAsync("/api/settings/top-picks/movies", new { outputs = new { collection = false, playlist = false } }));
        await w.App.RunJobAsync(JobNames.RefreshTopPicks);
        Assert.DoesNotContain(state.Items, i => i.Type is FakeItemType.BoxSet or FakeItemType.Playlist);
    }

    [Fact]
    public async Task Without_a_writable_root_the_list_is_still_computed_and_the_job_says_why_nothing_was_written()
    {
        // The root is a file: nothing can be created under it.
        var file = Path.Combine(root.FullName, "not-a-folder");
        await File.WriteAllTextAsync(file, "");
        await using var w = await StartAsync(FakeServerVersion.Jellyfin10_11, outputRoot: file);

        var progress = await w.App.RunJobAsync(JobNames.RefreshTopPicks);

        Assert.Contains(progress.Logs, l => l.Level == JobLogLevel.Warning && l.Text.Contains("is not writable", StringComparison.Ordinal));
        Assert.Null(w.Server.State.FindLibrary("Top Picks - Movies"));
        var list = await JsonAsync(await w.Alice.GetAsync("/api/top-picks/movies"));
        Assert.Equal(2, list.GetProperty("picks").GetArrayLength());
    }

    [Fact]
    public async Task The_settings_api_validates_each_field_answers_404_for_an_unknown_kind_and_is_for_admins_only()
    {
        await using var w = await StartAsync(FakeServerVersion.Jellyfin10_11, sync: false);

        var all = await JsonAsync(await w.Admin.GetAsync("/api/settings/top-picks"));
        var movies = all.GetProperty("movies");
        Assert.Equal(30, movies.GetProperty("windowDays").GetInt32());
        Assert.Equal(0.5, movies.GetProperty("weights").GetProperty("uniqueViewers").GetDouble());
        Assert.Equal(2, movies.GetProperty("minViewers").GetInt32());
        Assert.Equal(20, movies.GetProperty("count").GetInt32());
        Assert.True(movies.GetProperty("outputs").GetProperty("library").GetBoolean());
        Assert.False(movies.GetProperty("outputs").GetProperty("playlist").GetBoolean());

        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { windowDays = 0 }, "windowDays"),
            (new { count = 501 }, "count"),
            (new { minViewers = 0 }, "minViewers"),
            (new { weights = new { playCount = -1 } }, "weights.playCount"),
            (new { weights = new { uniqueViewers = 0, playCount = 0, completion = 0 } }, "weights.uniqueViewers"),
            (new { libraryName = "Top Picks - Series" }, "libraryName"),
            (new { libraryName = "AI Picks - everyone" }, "libraryName"),
            (new { libraryName = "../../etc" }, "libraryName"),
            (new { libraryName = "/etc/passwd" }, "libraryName"),
            (new { libraryName = "Top\r\nPicks" }, "libraryName"),
            (new { libraryName = "Top \u202Egnp.Picks" }, "libraryName"),
            (new { libraryName = "Top Picks." }, "libraryName"),
            (new { libraryName = "Top: Picks" }, "libraryName"),
            (new { surprise = true }, "surprise"),
        })
        {
            var response = await w.Admin.PatchAsJsonAsync("/api/settings/top-picks/movies", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field}: {problem.GetRawText()}");
        }
        // Nothing invalid was saved.
        Assert.Equal(30, (await JsonAsync(await w.Admin.GetAsync("/api/settings/top-picks/movies"))).GetProperty("windowDays").GetInt32());

        var saved = await JsonAsync(await w.Admin.PatchAsJsonAsync("/api/settings/top-picks/series",
            new { windowDays = 7, weights = new { completion = 1 }, libraryName = "Binge Board" }));
        Assert.Equal(7, saved.GetProperty("windowDays").GetInt32());
        Assert.Equal(1, saved.GetProperty("weights").GetProperty("completion").GetDouble());
        Assert.Equal(0.5, saved.GetProperty("weights").GetProperty("uniqueViewers").GetDouble());
        Assert.Equal("Binge Board", (await JsonAsync(await w.Admin.GetAsync("/api/settings/top-picks/series"))).GetProperty("libraryName").GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await w.Admin.PatchAsJsonAsync("/api/settings/top-picks/books", new { count = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await w.Admin.GetAsync("/api/settings/top-picks/books")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Alice.GetAsync("/api/settings/top-picks")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Alice.PatchAsJsonAsync("/api/settings/top-picks/movies", new { count = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Alice.GetAsync("/admin/top-picks")).StatusCode);
    }

    [Fact]
    public async Task The_pages_show_the_current_top_picks_with_their_figures_and_the_admin_form_saves_or_names_the_bad_field()
    {
        await using var w = await StartAsync(FakeServerVersion.Jellyfin10_11);
        await w.App.RunJobAsync(JobNames.RefreshTopPicks);

        var page = await w.Alice.GetStringAsync("/top-picks/movies");
        Assert.Contains("Popular", page, StringComparison.Ordinal);
        Assert.Contains("3 viewers", page, StringComparison.Ordinal);
        Assert.Contains("poster-grid", page, StringComparison.Ordinal);
        Assert.DoesNotContain(">Solo<", page, StringComparison.Ordinal);
        Assert.Contains("No series Top Picks yet", await w.Alice.GetStringAsync("/top-picks/series"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await w.Alice.GetAsync("/top-picks/books")).StatusCode);

        var admin = await w.Admin.GetStringAsync("/admin/top-picks");
        Assert.Contains("Current movies Top Picks", admin, StringComparison.Ordinal);
        Assert.Contains("Liked", admin, StringComparison.Ordinal);
        Assert.Contains("(2002)", admin, StringComparison.Ordinal);
        Assert.Contains("<td>4</td>", admin, StringComparison.Ordinal);

        var token = await w.Admin.AntiforgeryTokenAsync("/admin/top-picks");
        var bad = await w.Admin.PostAsync("/admin/top-picks", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["kind"] = "movies", ["input.WindowDays"] = "0", ["input.Count"] = "abc",
        }));
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("windowDays must be between 1 and 3650.", badHtml, StringComparison.Ordinal);
        Assert.Contains("count must be a number.", badHtml, StringComparison.Ordinal);

        var good = await w.Admin.PostAsync("/admin/top-picks", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["kind"] = "movies", ["input.WindowDays"] = "14", ["input.Weights.Completion"] = "0.6",
            ["input.Outputs.Playlist"] = "true",
        }));
        Assert.Contains("Saved", await good.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var saved = await JsonAsync(await w.Admin.GetAsync("/api/settings/top-picks/movies"));
        Assert.Equal(14, saved.GetProperty("windowDays").GetInt32());
        Assert.Equal(0.6, saved.GetProperty("weights").GetProperty("completion").GetDouble());
        Assert.True(saved.GetProperty("outputs").GetProperty("playlist").GetBoolean());

        // Without the antiforgery token the form is refused.
        var forged = await w.Admin.PostAsync("/admin/top-picks", new FormUrlEncodedContent(new Dictionary<string, string> { ["kind"] = "movies" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }
}
