using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Catalog;
using Aperture.Data;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Progress;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Tests.Sync;

// A catalogue sync never empties a kind because the libraries switched on vanished from the server (another server, a
// reset one, a library re-created under a new id): it fails naming them and the server's other libraries and removes
// nothing, until the admin chooses — enabling the new library, or switching the vanished one off.
public sealed class VanishedLibrariesTests
{
    private sealed record World(FakeMediaServer Server, AppFactory App, HttpClient Admin, MediaKind Kind, FakeLibrary Library) : IAsyncDisposable
    {
        public string Job => Kind == MediaKind.Movie ? JobNames.SyncMovies : JobNames.SyncSeries;

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Server.DisposeAsync();
        }
    }

    // TitleIds: the server ids of the kind's titles, sorted and joined (a record compares it by value).
    private sealed record Holdings(int Titles, string TitleIds, int Episodes, int Picks, int Feedback, int WatchStates);

    private static readonly (string Name, int Year)[] Names = [("Alien", 1979), ("Heat", 1995), ("Zodiac", 2007)];

    // Three titles of the kind in one library, synced with alice's history; alice has a pick for each and a 👍 on one.
    private static async Task<World> StartAsync(FakeServerVersion version, MediaKind kind)
    {
        FakeLibrary library = null!;
        var server = await FakeMediaServer.StartAsync(version, b =>
        {
            b.User("Admin", "pw", admin: true);
            var alice = b.User("alice", "pw");
            var first = AddLibrary(b, kind, kind == MediaKind.Movie ? "Movies" : "Shows", out library);
            b.Played(alice, kind == MediaKind.Movie ? first : b.State.EpisodesOf(first)[0]);
        });
        var app = await CatalogSyncTests.ConnectedAppAsync(server);
        await app.RunJobAsync(kind == MediaKind.Movie ? JobNames.SyncMovies : JobNames.SyncSeries);
        await app.RunJobAsync(kind == MediaKind.Movie ? JobNames.FullSyncWatchHistory : JobNames.FullSyncSeriesWatchHistory);
        var aliceId = server.State.User("alice").Id;
        await app.WithDbAsync(async db =>
        {
            var run = new RecommendationRun { UserId = aliceId, Kind = kind, Status = RecommendationRunStatus.Succeeded, StartedAt = DateTimeOffset.UtcNow };
            db.RecommendationRuns.Add(run);
            await db.SaveChangesAsync();
            var titles = await db.Titles.Where(t => t.Kind == kind).OrderBy(t => t.Name).Select(t => t.Id).ToListAsync();
            var rank = 1;
            foreach (var id in titles)
            {
                db.Picks.Add(new Pick { RunId = run.Id, UserId = aliceId, Kind = kind, TitleId = id, Rank = rank++, MatchPercent = 90 });
            }
            db.UserFeedback.Add(new UserFeedback { UserId = aliceId, Kind = kind, TitleId = titles[0], Reaction = FeedbackReaction.Up, UpdatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        var admin = await app.SignedInClientAsync("Admin", "pw");
        var world = new World(server, app, admin, kind, library);
        var held = await HoldingsAsync(world);
        Assert.Equal((3, 3, 1, 1), (held.Titles, held.Picks, held.Feedback, held.WatchStates));
        return world;
    }

    private static FakeItem AddLibrary(FakeLibraryBuilder b, MediaKind kind, string name, out FakeLibrary library, params string[] paths)
    {
        var added = library = kind == MediaKind.Movie ? b.MovieLibrary(name, paths) : b.ShowLibrary(name, paths);
        return Names.Select(n => kind == MediaKind.Movie
            ? b.Movie(n.Name, n.Year, library: added)
            : b.Series(n.Name, n.Year, seasons: 1, episodesPerSeason: 2, library: added)).ToList()[0];
    }

    // Emby, or any server after a reset: the library made again with the same name and folder, the same films in it, every
    // id new. A library the admin never enabled sits beside it.
    private static void Recreate(World world)
    {
        world.Server.State.RemoveLibrary(world.Library);
        world.Server.Seed(b =>
        {
            AddLibrary(b, world.Kind, world.Library.Name, out _);
            var kids = world.Kind == MediaKind.Movie ? b.MovieLibrary("Kids") : b.ShowLibrary("Kids");
            if (world.Kind == MediaKind.Movie)
            {
                b.Movie("Paddington", 2014, library: kids);
            }
            else
            {
                b.Series("Bluey", 2018, seasons: 1, episodesPerSeason: 1, library: kids);
            }
        });
    }

    private static async Task<Holdings> HoldingsAsync(World world)
    {
        var ids = await world.App.WithDbAsync(db => db.Titles.Where(t => t.Kind == world.Kind).Select(t => t.ServerItemId).ToListAsync());
        return await world.App.WithDbAsync(async db => new Holdings(ids.Count, Joined(ids),
            await db.Episodes.CountAsync(),
            await db.Picks.CountAsync(),
            await db.UserFeedback.CountAsync(),
            await db.WatchStates.CountAsync()));
    }

    private static string Joined(IEnumerable<string> ids) => string.Join(",", ids.Order(StringComparer.Ordinal));

    private static async Task<HttpStatusCode> SwitchAsync(World world, string libraryId, bool enabled) =>
        (await world.Admin.PatchAsJsonAsync($"/api/settings/libraries/{Uri.EscapeDataString(libraryId)}", new { enabled })).StatusCode;

    private static async Task<JobRun> RunThroughTheJobSystemAsync(World world)
    {
        var response = await world.Admin.PostAsJsonAsync($"/api/jobs/{world.Job}/run", new { });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetInt64();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = await world.App.WithDbAsync(db => db.JobRuns.AsNoTracking().SingleAsync(r => r.Id == runId));
            if (!JobRunService.Active.Contains(run.Status))
            {
                return run;
            }
            Assert.True(DateTime.UtcNow < deadline, $"run {runId} still {run.Status} after 60 s");
            await Task.Delay(50);
        }
    }

    [Theory]
    [InlineData(FakeServerVersion.Emby4_8, MediaKind.Movie)]
    [InlineData(FakeServerVersion.Jellyfin10_11, MediaKind.Series)]
    public async Task A_sync_after_the_only_enabled_library_was_re_created_fails_naming_it_and_the_new_one_and_keeps_every_title_pick_and_watch_state(
        FakeServerVersion version, MediaKind kind)
    {
        await using var world = await StartAsync(version, kind);
        var before = await HoldingsAsync(world);
        Recreate(world);
        var name = world.Library.Name;
        var noun = kind == MediaKind.Movie ? "movie" : "TV";

        var run = await RunThroughTheJobSystemAsync(world);

        Assert.Equal(JobRunStatus.Failed, run.Status);
        Assert.NotNull(run.Error);
        Assert.StartsWith($"Every enabled {noun} library Aperture synced is gone from the media server: '{name}' (3 {kind.Noun(3)}). Nothing was removed.",
            run.Error, StringComparison.Ordinal);
        Assert.Contains($"The server's {noun} libraries not enabled: '{name}' (same name or folder), 'Kids'.", run.Error, StringComparison.Ordinal);
        Assert.Contains("enable the new one in Admin › Settings › Libraries", run.Error, StringComparison.Ordinal);
        Assert.EndsWith($"Until then all 3 {kind.Noun(3)} are kept.", run.Error, StringComparison.Ordinal);
        // Where the admin reads it: the job's history.
        var history = await world.Admin.GetFromJsonAsync<JsonElement>($"/api/jobs/{world.Job}/history");
        var entry = history.EnumerateArray().First();
        Assert.Equal(("failed", run.Error), (entry.GetProperty("status").GetString(), entry.GetProperty("error").GetString()));

        Assert.Equal(before, await HoldingsAsync(world));
        var libraries = await world.App.WithDbAsync(db => db.Libraries.AsNoTracking().Where(l => l.Kind == kind).ToListAsync());
        var old = libraries.Single(l => l.Id == world.Library.ItemId);
        Assert.Equal((true, false), (old.Enabled, old.PresentOnServer));
        Assert.All(libraries.Where(l => l != old), l => Assert.Equal((false, true), (l.Enabled, l.PresentOnServer)));
    }

    [Fact]
    public async Task Enabling_the_re_created_library_lets_the_next_sync_replace_the_old_titles_with_its_own()
    {
        await using var world = await StartAsync(FakeServerVersion.Emby4_8, MediaKind.Movie);
        Recreate(world);
        await Assert.ThrowsAsync<SyncFailedException>(() => world.App.RunJobAsync(world.Job));
        var successor = world.Server.State.Libraries.Single(l => l.Name == "Movies");
        Assert.NotEqual(world.Library.ItemId, successor.ItemId);

        Assert.Equal(HttpStatusCode.OK, await SwitchAsync(world, successor.ItemId, true));
        var run = await world.App.RunJobAsync(world.Job);

        // The admin chose: the new library's films arrive under their new ids, the old rows leave with what hung off them.
        Assert.Equal((3, 3), (run.Count("added"), run.Count("removed")));
        var now = await HoldingsAsync(world);
        Assert.Equal(Joined(world.Server.State.Items.Where(i => i.LibraryId == successor.ItemId && i.Type == FakeItemType.Movie).Select(i => i.Id)),
            now.TitleIds);
        Assert.Equal((0, 0, 0), (now.Picks, now.Feedback, now.WatchStates));
        Assert.Equal(0, (await world.App.RunJobAsync(world.Job)).Count("removed"));
    }

    [Fact]
    public async Task Titles_a_new_library_holds_under_the_same_ids_keep_their_picks_and_history_once_it_is_enabled()
    {
        await using var world = await StartAsync(FakeServerVersion.Jellyfin10_11, MediaKind.Movie);
        var before = await HoldingsAsync(world);
        // Jellyfin derives item ids from paths: a new library "Films" on the same folder holds the same items.
        FakeLibrary films = null!;
        world.Server.Seed(b => films = b.MovieLibrary("Films", world.Library.Locations[0]));
        world.Server.State.Write(_ =>
        {
            foreach (var item in world.Server.State.Items.Where(i => i.LibraryId == world.Library.ItemId))
            {
                item.LibraryId = films.ItemId;
                item.ParentId = films.ItemId;
            }
        });
        world.Server.State.RemoveLibrary(world.Library);

        var error = await Assert.ThrowsAsync<SyncFailedException>(() => world.App.RunJobAsync(world.Job));
        Assert.Contains("not enabled: 'Films' (same name or folder).", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await HoldingsAsync(world));

        Assert.Equal(HttpStatusCode.OK, await SwitchAsync(world, films.ItemId, true));
        var run = await world.App.RunJobAsync(world.Job);

        Assert.Equal((0, 0), (run.Count("added"), run.Count("removed")));
        Assert.Equal(before, await HoldingsAsync(world));
        Assert.All(await world.App.WithDbAsync(db => db.Titles.Select(t => t.LibraryId).ToListAsync()), id => Assert.Equal(films.ItemId, id));
    }

    [Fact]
    public async Task Switching_off_a_library_deleted_on_purpose_lets_the_next_sync_remove_its_titles()
    {
        await using var world = await StartAsync(FakeServerVersion.Jellyfin12_0, MediaKind.Series);
        world.Server.State.RemoveLibrary(world.Library);

        var error = await Assert.ThrowsAsync<SyncFailedException>(() => world.App.RunJobAsync(world.Job));
        Assert.Contains("The server has no other TV library.", error.Message, StringComparison.Ordinal);
        Assert.Contains("switch it off in Admin › Settings › Libraries", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, (await HoldingsAsync(world)).Titles);

        Assert.Equal(HttpStatusCode.OK, await SwitchAsync(world, world.Library.ItemId, false));
        var run = await world.App.RunJobAsync(world.Job);

        Assert.Equal(3, run.Count("removed"));
        Assert.Equal(new Holdings(0, "", 0, 0, 0, 0), await HoldingsAsync(world));
    }

    [Fact]
    public async Task The_guidance_survives_long_library_names_in_the_job_runs_error()
    {
        await using var world = await StartAsync(FakeServerVersion.Jellyfin10_11, MediaKind.Movie);
        var longName = new string('x', 250);
        await world.App.WithDbAsync(db => db.Libraries.Where(l => l.Id == world.Library.ItemId).ExecuteUpdateAsync(s => s.SetProperty(l => l.Name, longName)));
        world.Server.State.RemoveLibrary(world.Library);
        world.Server.Seed(b =>
        {
            for (var n = 0; n < 5; n++)
            {
                b.MovieLibrary($"{n} {longName}");
            }
        });

        var error = await Assert.ThrowsAsync<SyncFailedException>(() => world.App.RunJobAsync(world.Job));
        var shown = JobRunner.Describe(error);

        Assert.Equal(error.Message, shown);
        Assert.Contains($"'{new string('x', 40)}…' (3 movies)", shown, StringComparison.Ordinal);
        Assert.Contains("and 2 more.", shown, StringComparison.Ordinal);
        Assert.EndsWith("Until then all 3 movies are kept.", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_only_library_switched_off_while_still_on_the_server_loses_its_titles_as_before()
    {
        await using var world = await StartAsync(FakeServerVersion.Emby4_8, MediaKind.Movie);

        Assert.Equal(HttpStatusCode.OK, await SwitchAsync(world, world.Library.ItemId, false));
        var run = await world.App.RunJobAsync(world.Job);

        Assert.Equal(3, run.Count("removed"));
        var now = await HoldingsAsync(world);
        Assert.Equal(new Holdings(0, "", 0, 0, 0, 0), now);
    }
}
