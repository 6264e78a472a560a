using System.Globalization;
using System.Net.Http.Json;
using Aperture.Catalog;
using Aperture.Data;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;

namespace Aperture.Tests.Sync;

public sealed class CatalogSyncTests
{
    internal static async Task<AppFactory> ConnectedAppAsync(FakeMediaServer server, int pageSize = 2)
    {
        var app = new AppFactory()
            .With("Sync:PageSize", pageSize.ToString(CultureInfo.InvariantCulture))
            .With("Sync:ListingPageSize", (pageSize * 4).ToString(CultureInfo.InvariantCulture));
        await app.ConnectAsync(server);
        return app;
    }

    internal static IEnumerable<RecordedCall> DetailCalls(FakeMediaServer server) =>
        server.Calls.Where(c => c.Path.EndsWith("/Items", StringComparison.Ordinal) && c.Query("Fields")?.Contains("Overview", StringComparison.Ordinal) == true);

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task A_first_sync_pages_through_the_enabled_libraries_and_stores_every_field(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        FakeItem alien = null!, dark = null!, odd = null!;
        await using var server = await FakeMediaServer.StartAsync(version, b =>
        {
            b.User("Admin", "pw", admin: true);
            b.MovieLibrary("Movies");
            alien = b.Movie("Alien", 1979, genres: ["Horror", "Science Fiction"], overview: "The crew of the Nostromo answers a distress call.",
                people: [FakePerson.Director("Ridley Scott"), FakePerson.Actor("Sigourney Weaver", "Ripley"), FakePerson.Writer("Dan O'Bannon")],
                tmdb: "348", imdb: "tt0078748", communityRating: 8.2, officialRating: "R", studios: ["20th Century Fox", "Brandywine"],
                tags: ["space", "alien"], runtimeMinutes: 117, with: i =>
                {
                    i.Taglines.Add("In space no one can hear you scream.");
                    i.CriticRating = 98;
                    i.OriginalTitle = "Alien (Director's Cut)";
                    i.BackdropImageTag = "backdrop-1";
                });
            for (var n = 1; n <= 4; n++)
            {
                b.Movie($"Movie {n}", 2000 + n, genres: [$"Genre {n}", "Drama"], people: [FakePerson.Actor($"Actor {n}", $"Role {n}")],
                    communityRating: 5 + n / 10.0, runtimeMinutes: 90 + n);
            }
            b.ShowLibrary("Shows");
            dark = b.Series("Dark", 2017, genres: ["Drama", "Mystery"], tvdb: "334824", seasons: 2, episodesPerSeason: 3, status: "Ended",
                with: i => i.EndDate = new DateTimeOffset(2020, 6, 27, 0, 0, 0, TimeSpan.Zero));
            // Real scans produce these: a season without a number, an episode without one, an episode outside any season.
            odd = b.Series("Odd Show", 2021, status: "Continuing");
            b.Episode(b.Season(odd, null), null, "A special");
            b.Episode(odd, 5, "Loose episode");
            b.Library("Music", "music");
        });
        await using var app = await ConnectedAppAsync(server);

        var movies = await app.RunJobAsync(JobNames.SyncMovies);
        var series = await app.RunJobAsync(JobNames.SyncSeries);

        Assert.Equal(5, movies.Count("added"));
        Assert.Equal(2, series.Count("added"));
        Assert.Equal(8, series.Count("episodes added"));

        var libraries = await app.WithDbAsync(db => db.Libraries.AsNoTracking().OrderBy(l => l.Name).ToListAsync());
        Assert.Equal(["Movies", "Shows"], libraries.Select(l => l.Name));
        Assert.All(libraries, l => Assert.True(l.Enabled && l.PresentOnServer));
        var movieLibrary = server.State.FindLibrary("Movies")!;
        Assert.Equal(movieLibrary.ItemId, libraries[0].Id);
        Assert.Equal(movieLibrary.Guid, libraries[0].Guid);
        if (dialect == FakeDialect.Emby)
        {
            Assert.Matches("^[0-9]+$", libraries[0].Id);
            Assert.Matches("^[0-9a-f]{32}$", libraries[0].Guid!);
        }

        var stored = await app.WithDbAsync(db => db.Titles.AsNoTracking().SingleAsync(t => t.Name == "Alien"));
        Assert.Equal(MediaKind.Movie, stored.Kind);
        Assert.Equal(alien.Id, stored.ServerItemId);
        Assert.Matches(dialect == FakeDialect.Emby ? "^[0-9]+$" : "^[0-9a-f]{32}$", stored.ServerItemId);
        Assert.Equal(movieLibrary.ItemId, stored.LibraryId);
        Assert.Equal("Alien (Director's Cut)", stored.OriginalTitle);
        Assert.Equal("alien", stored.SortName);
        Assert.Equal(1979, stored.Year);
        Assert.Equal(new DateOnly(1979, 1, 1), stored.PremiereDate);
        Assert.Equal("The crew of the Nostromo answers a distress call.", stored.Overview);
        Assert.Equal(["In space no one can hear you scream."], stored.Taglines);
        Assert.Equal(["Horror", "Science Fiction"], stored.Genres);
        Assert.Equal(["space", "alien"], stored.Tags);
        Assert.Equal(["20th Century Fox", "Brandywine"], stored.Studios);
        Assert.Equal([("Ridley Scott", null, "Director"), ("Sigourney Weaver", "Ripley", "Actor"), ("Dan O'Bannon", null, "Writer")],
            stored.People.Select(p => (p.Name, p.Role, p.Type)));
        Assert.Equal(8.2, stored.CommunityRating);
        Assert.Equal(98, stored.CriticRating);
        Assert.Equal("R", stored.OfficialRating);
        Assert.Equal(117, stored.RuntimeMinutes);
        Assert.Equal(("tt0078748", "348", (string?)null), (stored.ImdbId, stored.TmdbId, stored.TvdbId));
        Assert.Equal(alien.PrimaryImageTag, stored.PrimaryImageTag);
        Assert.Equal("backdrop-1", stored.BackdropImageTag);
        Assert.Equal(alien.Path, stored.Path);
        Assert.Equal(alien.DateCreated.ToUnixTimeMilliseconds(), stored.DateCreated!.Value.ToUnixTimeMilliseconds());
        Assert.Null(stored.EpisodeCount);

        // Every row whole, not only the first of a page.
        var others = await app.WithDbAsync(db => db.Titles.AsNoTracking().Where(t => t.Name.StartsWith("Movie ")).OrderBy(t => t.Name).ToListAsync());
        Assert.Equal(4, others.Count);
        for (var n = 1; n <= 4; n++)
        {
            var m = others[n - 1];
            Assert.Equal([$"Genre {n}", "Drama"], m.Genres);
            Assert.Equal(($"Actor {n}", $"Role {n}", 5 + n / 10.0, 90 + n, 2000 + n),
                (m.People.Single().Name, m.People.Single().Role, m.CommunityRating!.Value, m.RuntimeMinutes!.Value, m.Year!.Value));
        }

        var shows = await app.WithDbAsync(db => db.Titles.AsNoTracking().Include(t => t.Episodes).Where(t => t.Kind == MediaKind.Series).OrderBy(t => t.Name).ToListAsync());
        Assert.Equal(["Dark", "Odd Show"], shows.Select(s => s.Name));
        Assert.Equal(("Ended", "334824", new DateOnly(2020, 6, 27), 6), (shows[0].Status, shows[0].TvdbId, shows[0].EndDate, shows[0].EpisodeCount));
        Assert.Equal([(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3)],
            shows[0].Episodes.OrderBy(e => e.SeasonNumber).ThenBy(e => e.EpisodeNumber).Select(e => ((int?)e.SeasonNumber ?? -1, (int?)e.EpisodeNumber ?? -1)));
        Assert.Equal(45, shows[0].Episodes[0].RuntimeMinutes);
        Assert.Equal(("Continuing", 2), (shows[1].Status, shows[1].EpisodeCount));
        var special = shows[1].Episodes.Single(e => e.Name == "A special");
        Assert.Equal(((int?)null, (int?)null), (special.SeasonNumber, special.EpisodeNumber));
        var loose = shows[1].Episodes.Single(e => e.Name == "Loose episode");
        Assert.Equal(((int?)null, (int?)5), (loose.SeasonNumber, loose.EpisodeNumber));

        // Paged: five movies two at a time, one library per request, only sort names both servers know.
        var movieDetail = DetailCalls(server).Where(c => c.Query("IncludeItemTypes") == "Movie").ToList();
        Assert.Equal(["0", "2", "4"], movieDetail.Select(c => c.Query("StartIndex")));
        Assert.All(server.Calls.Where(c => c.Query("ParentId") is not null), c => Assert.DoesNotContain(",", c.Query("ParentId")!, StringComparison.Ordinal));
        Assert.All(server.Calls.Where(c => c.Query("SortBy") is not null),
            c => Assert.All(c.Query("SortBy")!.Split(','), s => Assert.Contains(s, (string[])["SortName", "DateCreated", "DatePlayed"])));
        Assert.All(server.Calls, c => Assert.Equal(200, c.Status));
        var fields = movieDetail[0].Query("Fields")!.Split(',');
        Assert.Contains("Taglines", fields);
        Assert.DoesNotContain("Tagline", fields);
        if (dialect == FakeDialect.Emby)
        {
            // Emby 4.8 sends no metadata it is not asked for.
            Assert.Superset(new HashSet<string> { "ProductionYear", "CommunityRating", "OfficialRating", "PremiereDate", "RunTimeTicks", "EndDate", "Status" },
                fields.ToHashSet());
        }
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task A_delta_reads_only_what_the_server_saved_since_and_a_full_run_when_asked_reads_everything(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        var movies = new List<FakeItem>();
        var saved = DateTimeOffset.UtcNow.AddDays(-1);
        await using var server = await FakeMediaServer.StartAsync(version, b =>
        {
            b.User("Admin", "pw", admin: true);
            for (var n = 1; n <= 7; n++)
            {
                movies.Add(b.Movie($"Movie {n}", 1990 + n, overview: "Before.", with: i => i.DateLastSaved = saved.AddMinutes(n)));
            }
        });
        await using var app = await ConnectedAppAsync(server);
        var first = await app.RunJobAsync(JobNames.SyncMovies);
        Assert.Equal(7, first.Count("added"));
        Assert.Contains(first.Stages, s => s.StartsWith("Fetching all movies", StringComparison.Ordinal));

        server.State.Touch(movies[3], m => m.Overview = "After.");
        server.Seed(b => b.Movie("Movie 8", 2024));
        server.ClearCalls();

        var delta = await app.RunJobAsync(JobNames.SyncMovies);

        Assert.Equal((1, 1, 0), (delta.Count("added"), delta.Count("updated"), delta.Count("removed")));
        var detail = DetailCalls(server).ToList();
        Assert.NotEmpty(detail);
        Assert.All(detail, c => Assert.NotNull(c.Query("MinDateLastSaved")));
        // The two saved since the previous run started: nothing else (the server sends no DateLastSaved to compare with).
        Assert.Equal(2, delta.AdvancedByStage.Single(s => s.Key.StartsWith("Fetching movies changed", StringComparison.Ordinal)).Value);
        Assert.Equal("After.", await app.WithDbAsync(db => db.Titles.Where(t => t.ServerItemId == movies[3].Id).Select(t => t.Overview).SingleAsync()));
        Assert.Equal(8, await app.WithDbAsync(db => db.Titles.CountAsync()));

        server.ClearCalls();
        var full = await app.RunJobAsync(JobNames.SyncMovies, full: true);
        Assert.Equal((0, 0, 0), (full.Count("added"), full.Count("updated"), full.Count("removed")));
        Assert.Equal(8, full.AdvancedByStage.Single(s => s.Key.StartsWith("Fetching all movies", StringComparison.Ordinal)).Value);
        Assert.All(DetailCalls(server), c => Assert.Null(c.Query("MinDateLastSaved")));
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task A_no_change_delta_reads_no_item_page_using_the_start_of_the_previous_run_as_watermark(FakeServerVersion version)
    {
        await using var server = await FakeMediaServer.StartAsync(version, b =>
        {
            b.User("Admin", "pw", admin: true);
            for (var n = 1; n <= 5; n++)
            {
                b.Movie($"Movie {n}", 1990 + n);
            }
            b.Series("Dark", 2017, seasons: 1, episodesPerSeason: 3);
        });
        server.State.Write(_ =>
        {
            foreach (var item in server.State.Items)
            {
                item.DateLastSaved = DateTimeOffset.UtcNow.AddDays(-30);
            }
        });
        await using var app = await ConnectedAppAsync(server);
        var before = DateTimeOffset.UtcNow;
        await app.RunJobAsync(JobNames.SyncMovies);
        await app.RunJobAsync(JobNames.SyncSeries);
        Assert.DoesNotContain(server.Calls, c => c.Query("Fields")?.Contains("DateLastSaved", StringComparison.Ordinal) == true);
        server.ClearCalls();

        var movies = await app.RunJobAsync(JobNames.SyncMovies);
        var series = await app.RunJobAsync(JobNames.SyncSeries);

        var detail = DetailCalls(server).ToList();
        Assert.NotEmpty(detail);
        Assert.All(detail, c => Assert.True(DateTimeOffset.Parse(c.Query("MinDateLastSaved")!, CultureInfo.InvariantCulture) >= before.AddMinutes(-5)));
        Assert.All(detail, c => Assert.Null(c.Query("Ids")));
        Assert.All(movies.AdvancedByStage.Concat(series.AdvancedByStage).Where(s => s.Key.StartsWith("Fetching", StringComparison.Ordinal)),
            s => Assert.Equal(0L, s.Value));
    }

    [Fact]
    public async Task Jellyfin_before_10_11_gets_MinDateLastSavedForUser_which_it_honours()
    {
        FakeItem changed = null!;
        var saved = DateTimeOffset.UtcNow.AddDays(-1);
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "pw", admin: true);
            changed = b.Movie("One", 2001, with: i => i.DateLastSaved = saved.AddMinutes(1));
            b.Movie("Two", 2002, with: i => i.DateLastSaved = saved.AddMinutes(2));
            b.Movie("Three", 2003, with: i => i.DateLastSaved = saved.AddMinutes(3));
        });
        server.Version = "10.10.7";
        await using var app = await ConnectedAppAsync(server);
        await app.RunJobAsync(JobNames.SyncMovies);
        server.State.Touch(changed, m => m.Overview = "Edited.");
        server.ClearCalls();

        var delta = await app.RunJobAsync(JobNames.SyncMovies);

        Assert.Equal(1, delta.Count("updated"));
        Assert.All(DetailCalls(server), c => Assert.NotNull(c.Query("MinDateLastSavedForUser")));
        // The edited one: not the whole library, as MinDateLastSaved alone would give.
        Assert.Equal(1, delta.AdvancedByStage.Single(s => s.Key.StartsWith("Fetching movies changed", StringComparison.Ordinal)).Value);
    }

    [Fact]
    public async Task Emby_libraries_are_listed_through_the_paged_route_only()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Emby, b =>
        {
            b.User("Admin", "pw", admin: true);
            b.Movie("Alien", 1979, library: b.MovieLibrary("Films"));
        });
        await using var app = await ConnectedAppAsync(server);

        await app.RunJobAsync(JobNames.SyncMovies);

        var library = await app.WithDbAsync(db => db.Libraries.AsNoTracking().SingleAsync());
        Assert.Equal((server.State.FindLibrary("Films")!.ItemId, server.State.FindLibrary("Films")!.Guid), (library.Id, library.Guid));
        Assert.Equal(["Alien"], await app.WithDbAsync(db => db.Titles.Select(t => t.Name).ToListAsync()));
        // Emby 4.8 has no GET /Library/VirtualFolders (contracts/emby-4.8.json): only /Query lists libraries.
        Assert.Contains(server.Calls, c => c.Path == "/emby/Library/VirtualFolders/Query" && c.Status == 200);
        Assert.DoesNotContain(server.Calls, c => c.Method == "GET" && c.Path == "/emby/Library/VirtualFolders");
    }

    [Fact]
    public async Task Two_films_with_the_same_name_and_year_are_two_titles()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "pw", admin: true);
            b.Movie("Solaris", 2002, tmdb: "2103");
            b.Movie("Solaris", 2002, tmdb: "9999", overview: "A different film with the same name and year.");
        });
        await using var app = await ConnectedAppAsync(server);

        await app.RunJobAsync(JobNames.SyncMovies);

        Assert.Equal(["2103", "9999"], await app.WithDbAsync(db => db.Titles.Where(t => t.Name == "Solaris").OrderBy(t => t.TmdbId).Select(t => t.TmdbId!).ToListAsync()));
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task A_title_removed_on_the_server_disappears_with_its_episodes_and_watch_states(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        FakeItem gone = null!, kept = null!, show = null!, keptShow = null!;
        FakeUser alice = null!;
        await using var server = await FakeMediaServer.StartAsync(version, b =>
        {
            b.User("Admin", "pw", admin: true);
            alice = b.User("alice", "pw");
            gone = b.Movie("Gone Movie", 2001);
            kept = b.Movie("Kept Movie", 2002);
            for (var n = 0; n < 4; n++)
            {
                b.Movie($"Filler {n}", 2010 + n);
            }
            show = b.Series("Gone Show", 2015, seasons: 2, episodesPerSeason: 2);
            keptShow = b.Series("Kept Show", 2016, seasons: 1, episodesPerSeason: 3);
            b.Played(alice, gone, favorite: true);
            b.Played(alice, kept);
            b.Played(alice, b.State.EpisodesOf(show)[0]);
            b.Favorite(alice, show);
            b.Played(alice, b.State.EpisodesOf(keptShow)[2]);
        });
        await using var app = await ConnectedAppAsync(server);
        await RunAllAsync(app);
        Assert.Equal(5, await app.WithDbAsync(db => db.WatchStates.CountAsync()));

        var lostEpisode = server.State.EpisodesOf(keptShow)[2];
        server.State.RemoveItem(gone.Id);
        server.State.RemoveItem(show.Id);
        server.State.RemoveItem(lostEpisode.Id);

        var movies = await app.RunJobAsync(JobNames.SyncMovies);
        var series = await app.RunJobAsync(JobNames.SyncSeries);

        Assert.Equal(1, movies.Count("removed"));
        Assert.Equal(1, series.Count("removed"));
        Assert.Equal(1, series.Count("episodes removed"));
        var titles = await app.WithDbAsync(db => db.Titles.Select(t => t.Name).ToListAsync());
        Assert.DoesNotContain("Gone Movie", titles);
        Assert.DoesNotContain("Gone Show", titles);
        Assert.Contains("Kept Movie", titles);
        Assert.Equal(6, titles.Count);
        Assert.False(await app.WithDbAsync(db => db.Episodes.AnyAsync(e => e.Series.Name == "Gone Show" || e.ServerItemId == lostEpisode.Id)));
        Assert.Equal(2, await app.WithDbAsync(db => db.Titles.Where(t => t.Name == "Kept Show").Select(t => t.EpisodeCount).SingleAsync()));
        // Watch states went with their titles and episodes (cascade), the others stayed.
        Assert.Equal([kept.Id], await app.WithDbAsync(db => db.WatchStates.Select(w => w.ServerItemId).ToListAsync()));
    }

    [Fact]
    public async Task Libraries_of_movies_and_tv_are_listed_new_ones_after_the_first_sync_start_off_and_a_disabled_or_gone_library_loses_its_titles()
    {
        FakeLibrary second = null!;
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "pw", admin: true);
            var first = b.MovieLibrary("Movies");
            second = b.MovieLibrary("Documentaries");
            b.Movie("Alien", 1979, library: first);
            b.Movie("Koyaanisqatsi", 1982, library: second);
            b.Movie("Baraka", 1992, library: second);
            b.Library("Photos", "photos");
        });
        await using var app = await ConnectedAppAsync(server);
        await app.RunJobAsync(JobNames.SyncMovies);
        Assert.Equal(3, await app.WithDbAsync(db => db.Titles.CountAsync()));

        // Added on the server afterwards, with old items (saved long before the watermark).
        server.Seed(b =>
        {
            var later = b.MovieLibrary("Kids");
            b.Movie("Paddington", 2014, library: later, with: i => i.DateLastSaved = DateTimeOffset.UtcNow.AddYears(-2));
        });
        await app.RunJobAsync(JobNames.SyncMovies);
        var kids = await app.WithDbAsync(db => db.Libraries.SingleAsync(l => l.Name == "Kids"));
        Assert.False(kids.Enabled);
        Assert.False(await app.WithDbAsync(db => db.Titles.AnyAsync(t => t.Name == "Paddington")));

        await app.WithDbAsync(async db =>
        {
            await db.Libraries.Where(l => l.Name == "Kids").ExecuteUpdateAsync(s => s.SetProperty(l => l.Enabled, true));
            return 0;
        });
        await app.WithDbAsync(async db =>
        {
            await db.Libraries.Where(l => l.Id == second.ItemId).ExecuteUpdateAsync(s => s.SetProperty(l => l.Enabled, false));
            return 0;
        });
        var run = await app.RunJobAsync(JobNames.SyncMovies);

        Assert.Equal((1, 2), (run.Count("added"), run.Count("removed")));
        Assert.Equal(["Alien", "Paddington"], await app.WithDbAsync(db => db.Titles.OrderBy(t => t.Name).Select(t => t.Name).ToListAsync()));

        // Removed from the server: marked gone, its titles leave, its switch is kept for if it comes back.
        using var http = new HttpClient();
        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"{server.BaseUrl}/Library/VirtualFolders?name=Kids");
        delete.Headers.TryAddWithoutValidation("Authorization", server.AuthorizationHeader(server.ApiKey));
        Assert.True((await http.SendAsync(delete)).IsSuccessStatusCode);
        await app.RunJobAsync(JobNames.SyncMovies);
        kids = await app.WithDbAsync(db => db.Libraries.SingleAsync(l => l.Name == "Kids"));
        Assert.False(kids.PresentOnServer);
        Assert.True(kids.Enabled);
        Assert.Equal(["Alien"], await app.WithDbAsync(db => db.Titles.Select(t => t.Name).ToListAsync()));
        Assert.DoesNotContain("Photos", await app.WithDbAsync(db => db.Libraries.Select(l => l.Name).ToListAsync()));
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task Every_sync_reads_the_servers_users_before_they_sign_in(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        FakeUser carol = null!;
        await using var server = await FakeMediaServer.StartAsync(version, b =>
        {
            b.User("Admin", "pw", admin: true);
            b.User("alice", "pw");
            b.User("bob", "pw", disabled: true);
            carol = b.User("carol", "pw");
        });
        await using var app = await ConnectedAppAsync(server);

        await app.RunJobAsync(JobNames.SyncWatchHistory);

        var users = await app.WithDbAsync(db => db.Users.AsNoTracking().OrderBy(u => u.Name).ToListAsync());
        Assert.Equal(["Admin", "alice", "bob", "carol"], users.Select(u => u.Name));
        Assert.Equal([true, false, false, false], users.Select(u => u.IsAdmin));
        Assert.Equal([false, false, true, false], users.Select(u => u.IsDisabled));
        Assert.All(users, u => Assert.True(u.PresentOnServer && u.ServerSyncedAt is not null && u.LastLoginAt is null));
        Assert.All(users, u => Assert.Matches("^[0-9a-f]{32}$", u.Id));
        var firstSynced = users.ToDictionary(u => u.Name, u => u.ServerSyncedAt);

        server.State.RemoveUser(carol);
        server.State.User("alice").IsAdministrator = true;
        await app.RunJobAsync(JobNames.SyncMovies);

        users = await app.WithDbAsync(db => db.Users.AsNoTracking().OrderBy(u => u.Name).ToListAsync());
        Assert.False(users.Single(u => u.Name == "carol").PresentOnServer);
        Assert.True(users.Single(u => u.Name == "alice").IsAdmin);
        // Unchanged users (Admin, bob) are stamped as seen by this sync too, changed and gone ones with them.
        Assert.All(users, u => Assert.True(u.ServerSyncedAt > firstSynced[u.Name], $"{u.Name} synced {u.ServerSyncedAt}, before {firstSynced[u.Name]}"));
        Assert.Equal([(true, false), (true, false), (false, true)], users.Where(u => u.PresentOnServer).Select(u => (u.IsAdmin, u.IsDisabled)));

        // Signing in later finds the synced user rather than creating a second one.
        var client = await app.SignedInClientAsync("alice", "pw");
        Assert.Equal(4, await app.WithDbAsync(db => db.Users.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task Sync_jobs_started_together_on_a_fresh_install_all_complete(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        await using var server = await FakeMediaServer.StartAsync(version, b =>
        {
            b.User("Admin", "pw", admin: true);
            var users = Enumerable.Range(0, 5).Select(n => b.User($"user{n}", "pw")).ToList();
            for (var n = 0; n < 12; n++)
            {
                var movie = b.Movie($"Movie {n}", 2000 + n);
                b.Played(users[n % 5], movie);
            }
            b.Series("Show", 2010, seasons: 2, episodesPerSeason: 4);
        });
        await using var app = await ConnectedAppAsync(server, pageSize: 3);

        // Each starts with the users and libraries, all of them new: whoever loses the race reads again.
        await Task.WhenAll(
            app.RunJobAsync(JobNames.SyncMovies),
            app.RunJobAsync(JobNames.SyncSeries),
            app.RunJobAsync(JobNames.SyncSeriesWatchHistory));
        await app.RunJobAsync(JobNames.SyncWatchHistory);

        Assert.Equal(6, await app.WithDbAsync(db => db.Users.CountAsync()));
        Assert.Equal(2, await app.WithDbAsync(db => db.Libraries.CountAsync()));
        Assert.Equal(13, await app.WithDbAsync(db => db.Titles.CountAsync()));
        Assert.Equal(8, await app.WithDbAsync(db => db.Episodes.CountAsync()));
        Assert.Equal(12, await app.WithDbAsync(db => db.WatchStates.CountAsync()));
    }

    [Fact]
    public async Task After_a_purge_the_next_sync_reads_the_whole_kind_again()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "pw", admin: true);
            for (var n = 0; n < 5; n++)
            {
                b.Movie($"Movie {n}", 2000 + n, with: i => i.DateLastSaved = DateTimeOffset.UtcNow.AddDays(-3));
            }
        });
        await using var app = await ConnectedAppAsync(server);
        await app.RunJobAsync(JobNames.SyncMovies);
        // The watermarks sit where the purge looks for them.
        Assert.Equal(2, await app.WithDbAsync(db => db.Settings.CountAsync(s => s.Key.StartsWith("sync.movies."))));
        var admin = await app.SignedInClientAsync("Admin", "pw");

        var purge = await admin.PostAsJsonAsync("/api/admin/purge/movies", new { confirm = "purge movies" });
        Assert.Equal(System.Net.HttpStatusCode.OK, purge.StatusCode);
        Assert.False(await app.WithDbAsync(db => db.Settings.AnyAsync(s => s.Key.StartsWith("sync.movies."))));

        var run = await app.RunJobAsync(JobNames.SyncMovies);

        Assert.Equal(5, run.Count("added"));
        Assert.Contains(run.Stages, s => s.StartsWith("Fetching all movies", StringComparison.Ordinal));
    }

    internal static async Task RunAllAsync(AppFactory app)
    {
        await app.RunJobAsync(JobNames.SyncMovies);
        await app.RunJobAsync(JobNames.SyncSeries);
        await app.RunJobAsync(JobNames.FullSyncWatchHistory);
        await app.RunJobAsync(JobNames.FullSyncSeriesWatchHistory);
    }
}
