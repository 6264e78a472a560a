using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Auth;
using Aperture.Catalog;
using Aperture.Data;
using Aperture.Fakes;
using Aperture.History;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;

namespace Aperture.Tests.Sync;

public sealed class HistorySyncTests
{
    private static readonly DateTimeOffset T0 = new(2024, 3, 1, 20, 0, 0, TimeSpan.Zero);

    private sealed record World(FakeMediaServer Server, FakeUser Alice, FakeUser Bob, FakeUser Carol,
        FakeItem Alien, FakeItem Heat, FakeItem Ronin, FakeItem Show, IReadOnlyList<FakeItem> Episodes, FakeItem HomeVideo);

    private static async Task<World> StartAsync(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        World? world = null;
        var server = await FakeMediaServer.StartAsync(version, b =>
        {
            b.User("Admin", "pw", admin: true);
            var alice = b.User("alice", "pw");
            var bob = b.User("bob", "pw");
            var carol = b.User("carol", "pw", disabled: true);
            var alien = b.Movie("Alien", 1979, runtimeMinutes: 117);
            var heat = b.Movie("Heat", 1995, runtimeMinutes: 170);
            var ronin = b.Movie("Ronin", 1998, runtimeMinutes: 122);
            var show = b.Series("Dark", 2017, seasons: 1, episodesPerSeason: 3);
            var episodes = b.State.EpisodesOf(show);
            var home = b.Movie("Birthday", 2020, library: b.Library("Home videos", "homevideos"));

            b.Played(alice, alien, playCount: 3, lastPlayed: T0, favorite: true, rating: 8);
            b.InProgress(alice, heat, 42.5, T0.AddDays(1));
            b.Favorite(alice, ronin);
            b.Played(alice, episodes[0], playCount: 2, lastPlayed: T0.AddDays(2));
            b.InProgress(alice, episodes[1], 10, T0.AddDays(3));
            b.Favorite(alice, show);
            b.State.SetUserData(alice, show, d => d.Rating = 9);
            b.Played(alice, home, lastPlayed: T0.AddDays(4));
            b.Played(bob, heat, lastPlayed: T0.AddDays(5));
            b.Played(carol, alien, lastPlayed: T0.AddDays(6));
            world = new World(null!, alice, bob, carol, alien, heat, ronin, show, episodes, home);
        });
        return world! with { Server = server };
    }

    private static async Task<Dictionary<(string User, string Item), Aperture.Data.WatchState>> RowsAsync(AppFactory app) =>
        await app.WithDbAsync(db => db.WatchStates.AsNoTracking().ToDictionaryAsync(w => (w.UserId, w.ServerItemId)));

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task A_user_deleted_between_the_user_list_and_their_history_is_skipped_with_a_warning_naming_them(FakeServerVersion version)
    {
        var w = await StartAsync(version);
        await using var server = w.Server;
        await using var app = await CatalogSyncTests.ConnectedAppAsync(server);
        await app.RunJobAsync(JobNames.SyncMovies);
        await app.RunJobAsync(JobNames.FullSyncWatchHistory);
        Assert.True((await RowsAsync(app)).ContainsKey((w.Bob.Id, w.Heat.Id)));
        w.Server.State.SetUserData(w.Alice, w.Ronin, d => d.Rating = 7);

        // Bob is deleted in the dashboard after the users were listed, just before his history is read: 404 from then on.
        var bobsHistory = server.Faults.Add(FaultRule.Where(r => (r.Path.Value ?? "").Contains("/Items", StringComparison.OrdinalIgnoreCase)
                && (string.Equals(r.Query["userId"].ToString(), w.Bob.Id, StringComparison.OrdinalIgnoreCase)
                    || (r.Path.Value ?? "").Contains(w.Bob.Id, StringComparison.OrdinalIgnoreCase)))
            .OnCall(1).Respond(Fault.VanishUser(w.Bob.Id)));
        var run = await app.RunJobAsync(JobNames.FullSyncWatchHistory);

        Assert.Equal(1, bobsHistory.Fired);
        Assert.Contains(run.Logs, l => l.Level == JobLogLevel.Warning && l.Text.Contains("'bob' was deleted on the media server", StringComparison.Ordinal));
        Assert.Equal(1, run.Count("users gone"));
        var rows = await RowsAsync(app);
        // Everyone else is synced as usual; bob's stored history stays, as for any user deleted on the server.
        Assert.Equal(7, rows[(w.Alice.Id, w.Ronin.Id)].Rating);
        Assert.True(rows.ContainsKey((w.Bob.Id, w.Heat.Id)));
        var bob = await app.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == LoginService.NormalizeId(w.Bob.Id)));
        Assert.False(bob.PresentOnServer);

        // Another 404 for a user still on the server is no such case: the run fails and names it.
        server.Faults.Clear();
        server.Faults.Add(FaultRule.Where(r => (r.Path.Value ?? "").Contains("/Items", StringComparison.OrdinalIgnoreCase)
                && (string.Equals(r.Query["userId"].ToString(), w.Alice.Id, StringComparison.OrdinalIgnoreCase)
                    || (r.Path.Value ?? "").Contains(w.Alice.Id, StringComparison.OrdinalIgnoreCase)))
            .OnCall(1).Respond(Fault.Status(404)));
        var failed = await Assert.ThrowsAsync<SyncFailedException>(() => app.RunJobAsync(JobNames.SyncWatchHistory));
        Assert.Contains("'alice'", failed.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task A_full_sync_stores_every_users_plays_favourites_ratings_and_progress_for_movies_and_episodes(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        var w = await StartAsync(version);
        await using var server = w.Server;
        await using var app = await CatalogSyncTests.ConnectedAppAsync(server);
        await app.RunJobAsync(JobNames.SyncMovies);
        await app.RunJobAsync(JobNames.SyncSeries);

        var movies = await app.RunJobAsync(JobNames.FullSyncWatchHistory);
        var series = await app.RunJobAsync(JobNames.FullSyncSeriesWatchHistory);

        var rows = await RowsAsync(app);
        var titles = await app.WithDbAsync(db => db.Titles.AsNoTracking().ToDictionaryAsync(t => t.ServerItemId, t => t.Id));
        var episodes = await app.WithDbAsync(db => db.Episodes.AsNoTracking().ToDictionaryAsync(e => e.ServerItemId, e => e.Id));

        var alien = rows[(w.Alice.Id, w.Alien.Id)];
        Assert.Equal((true, 3, T0, true, (double?)8, (double?)null), (alien.Played, alien.PlayCount, alien.LastPlayedAt, alien.IsFavorite, alien.Rating, alien.PlayedPercentage));
        Assert.Equal((titles[w.Alien.Id], (long?)null), (alien.TitleId, alien.EpisodeId));
        var heat = rows[(w.Alice.Id, w.Heat.Id)];
        Assert.Equal((false, (double?)42.5, (DateTimeOffset?)T0.AddDays(1), false), (heat.Played, heat.PlayedPercentage, heat.LastPlayedAt, heat.IsFavorite));
        var ronin = rows[(w.Alice.Id, w.Ronin.Id)];
        Assert.Equal((false, 0, true), (ronin.Played, ronin.PlayCount, ronin.IsFavorite));

        // Episode rows point at their series and their episode; the series' own favourite and rating sit on the series.
        var first = rows[(w.Alice.Id, w.Episodes[0].Id)];
        Assert.Equal((titles[w.Show.Id], (long?)episodes[w.Episodes[0].Id], true, 2, (DateTimeOffset?)T0.AddDays(2)),
            (first.TitleId, first.EpisodeId, first.Played, first.PlayCount, first.LastPlayedAt));
        var second = rows[(w.Alice.Id, w.Episodes[1].Id)];
        Assert.Equal((false, (double?)10), (second.Played, second.PlayedPercentage));
        var show = rows[(w.Alice.Id, w.Show.Id)];
        Assert.Equal((titles[w.Show.Id], (long?)null, true, (double?)9, false), (show.TitleId, show.EpisodeId, show.IsFavorite, show.Rating, show.Played));
        Assert.False(rows.ContainsKey((w.Alice.Id, w.Episodes[2].Id)));

        Assert.True(rows[(w.Bob.Id, w.Heat.Id)].Played);
        // A disabled user is not read at all; a video outside the synced catalogue is skipped and counted.
        Assert.DoesNotContain(rows.Keys, k => k.User == w.Carol.Id);
        Assert.DoesNotContain(server.Calls, c => c.Path.Contains(w.Carol.Id, StringComparison.Ordinal) || c.Query("userId") == w.Carol.Id);
        Assert.DoesNotContain(rows.Keys, k => k.Item == w.HomeVideo.Id);
        Assert.Equal(1, movies.Count("skipped"));
        Assert.Equal(6, rows.Count(r => r.Key.User == w.Alice.Id));
        Assert.Equal((4, 3), (movies.Count("added"), series.Count("added")));

        var states = await app.WithDbAsync(db => db.HistorySyncStates.AsNoTracking().ToListAsync());
        Assert.Equal(6, states.Count); // Admin, alice and bob, for both kinds
        Assert.All(states, s => Assert.NotNull(s.LastFullSyncAt));
        Assert.Equal(T0.AddDays(4), states.Single(s => s.UserId == w.Alice.Id && s.Kind == MediaKind.Movie).Watermark);
        Assert.Equal(T0.AddDays(2), states.Single(s => s.UserId == w.Alice.Id && s.Kind == MediaKind.Series).Watermark);

        // Read with the admin key on each user's behalf.
        var history = server.Calls.Where(c => c.Query("IsPlayed") == "true").ToList();
        Assert.NotEmpty(history);
        Assert.All(history, c => Assert.Equal(server.ApiKey, c.Token));
        Assert.All(history, c => Assert.True(c.Query("userId") is not null || c.Path.Contains("/Users/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Emby_reports_play_count_0_unless_asked_for_UserDataPlayCount_which_the_sync_asks_for()
    {
        var w = await StartAsync(FakeServerVersion.Emby4_8);
        await using var server = w.Server;
        await using var app = await CatalogSyncTests.ConnectedAppAsync(server);
        await app.RunJobAsync(JobNames.SyncMovies);

        await app.RunJobAsync(JobNames.FullSyncWatchHistory);

        var alien = (await RowsAsync(app))[(w.Alice.Id, w.Alien.Id)];
        Assert.Equal((3, (DateTimeOffset?)T0), (alien.PlayCount, alien.LastPlayedAt));
        var played = server.Calls.Where(c => c.Query("IsPlayed") == "true").ToList();
        Assert.NotEmpty(played);
        Assert.All(played, c => Assert.Superset(new HashSet<string> { "UserDataPlayCount", "UserDataLastPlayedDate" }, c.Query("Fields")!.Split(',').ToHashSet()));

        // The same query without those fields, as a naive client sends it: Emby says 0 plays and no date.
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"{server.BaseUrl}/emby/Users/{w.Alice.Id}/Items?IsPlayed=true&Recursive=true&IncludeItemTypes=Movie&Ids={w.Alien.Id}");
        request.Headers.Add("X-Emby-Token", server.ApiKey);
        var page = await (await http.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
        var userData = page.GetProperty("Items")[0].GetProperty("UserData");
        Assert.Equal(0, userData.GetProperty("PlayCount").GetInt32());
        Assert.False(userData.TryGetProperty("LastPlayedDate", out _));
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task A_delta_reads_new_plays_down_to_the_watermark_in_a_handful_of_requests_per_user(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        var w = await StartAsync(version);
        await using var server = w.Server;
        await using var app = await CatalogSyncTests.ConnectedAppAsync(server);
        await CatalogSyncTests.RunAllAsync(app);
        // Older history the watermark has already passed: a delta must not page through it.
        server.Seed(b =>
        {
            for (var n = 0; n < 30; n++)
            {
                b.Played(w.Alice, b.Movie($"Old {n}", 1950 + n), lastPlayed: T0.AddYears(-2).AddDays(n));
            }
        });
        await app.RunJobAsync(JobNames.SyncMovies);
        await app.RunJobAsync(JobNames.FullSyncWatchHistory);

        server.Seed(b => b.Played(w.Alice, w.Ronin, playCount: 1, lastPlayed: T0.AddDays(30), favorite: true));
        server.Seed(b => b.Played(w.Bob, w.Alien, lastPlayed: T0.AddDays(31)));
        server.ClearCalls();

        var delta = await app.RunJobAsync(JobNames.SyncWatchHistory);

        Assert.Equal((1, 1), (delta.Count("added"), delta.Count("updated")));
        var rows = await RowsAsync(app);
        Assert.Equal((true, (DateTimeOffset?)T0.AddDays(30), true), (rows[(w.Alice.Id, w.Ronin.Id)].Played, rows[(w.Alice.Id, w.Ronin.Id)].LastPlayedAt, rows[(w.Alice.Id, w.Ronin.Id)].IsFavorite));
        Assert.True(rows[(w.Bob.Id, w.Alien.Id)].Played);
        var items = server.Calls.Where(c => c.Path.EndsWith("/Items", StringComparison.Ordinal)).ToList();
        foreach (var user in (FakeUser[])[w.Alice, w.Bob])
        {
            var mine = items.Where(c => c.Query("userId") == user.Id || c.Path.Contains(user.Id, StringComparison.Ordinal)).ToList();
            Assert.InRange(mine.Count, 1, 3);
            Assert.Single(mine, c => c.Query("IsPlayed") == "true");
        }
        Assert.Equal(T0.AddDays(30), await app.WithDbAsync(db => db.HistorySyncStates.Where(s => s.UserId == w.Alice.Id && s.Kind == MediaKind.Movie).Select(s => s.Watermark).SingleAsync()));
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task Un_favourites_and_un_plays_are_cleared_by_the_full_reconcile_which_a_delta_cannot_see(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        var w = await StartAsync(version);
        await using var server = w.Server;
        await using var app = await CatalogSyncTests.ConnectedAppAsync(server);
        await CatalogSyncTests.RunAllAsync(app);

        server.Seed(b =>
        {
            b.Favorite(w.Alice, w.Ronin, favorite: false);
            b.Favorite(w.Alice, w.Alien, favorite: false);
            b.Favorite(w.Alice, w.Show, favorite: false);
            b.State.SetUserData(w.Bob, w.Heat, d => (d.Played, d.PlayCount, d.LastPlayedDate) = (false, 0, null));
        });

        await app.RunJobAsync(JobNames.SyncWatchHistory);
        await app.RunJobAsync(JobNames.SyncSeriesWatchHistory);
        var rows = await RowsAsync(app);
        Assert.True(rows[(w.Alice.Id, w.Ronin.Id)].IsFavorite);
        Assert.True(rows[(w.Bob.Id, w.Heat.Id)].Played);

        var movies = await app.RunJobAsync(JobNames.FullSyncWatchHistory);
        var series = await app.RunJobAsync(JobNames.FullSyncSeriesWatchHistory);

        rows = await RowsAsync(app);
        Assert.False(rows.ContainsKey((w.Alice.Id, w.Ronin.Id)));
        Assert.False(rows.ContainsKey((w.Bob.Id, w.Heat.Id)));
        Assert.Equal((true, false), (rows[(w.Alice.Id, w.Alien.Id)].Played, rows[(w.Alice.Id, w.Alien.Id)].IsFavorite));
        // The series keeps its rating without the favourite.
        Assert.Equal((false, (double?)9), (rows[(w.Alice.Id, w.Show.Id)].IsFavorite, rows[(w.Alice.Id, w.Show.Id)].Rating));
        Assert.Equal((2, 1), (movies.Count("removed"), movies.Count("updated")));
        Assert.Equal(1, series.Count("updated"));
        Assert.False(await app.WithDbAsync(db => db.WatchStates.AnyAsync(s => s.UserId == w.Alice.Id && s.IsFavorite && s.Title.Kind == MediaKind.Movie)));
    }
}
