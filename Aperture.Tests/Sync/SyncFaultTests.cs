using Aperture.Catalog;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;

namespace Aperture.Tests.Sync;

public sealed class SyncFaultTests
{
    private static readonly DateTimeOffset Saved = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static bool IsDetailPage(HttpRequest r) =>
        r.Path.Value!.EndsWith("/Items", StringComparison.Ordinal) && r.Query["Fields"].ToString().Contains("Overview", StringComparison.Ordinal);

    // Ten movies in creation order (so pages are predictable), alice has played the first.
    private static async Task<(FakeMediaServer Server, List<FakeItem> Movies, FakeUser Alice)> StartAsync(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        var movies = new List<FakeItem>();
        FakeUser alice = null!;
        var server = await FakeMediaServer.StartAsync(version, b =>
        {
            b.User("Admin", "pw", admin: true);
            alice = b.User("alice", "pw");
            for (var n = 0; n < 10; n++)
            {
                movies.Add(b.Movie($"Movie {n:00}", 1990 + n, overview: "Before.", with: i =>
                {
                    i.DateCreated = Saved.AddMinutes(n);
                    i.DateLastSaved = Saved.AddMinutes(n);
                }));
            }
            b.Played(alice, movies[0], lastPlayed: Saved);
        });
        return (server, movies, alice);
    }

    private static async Task<List<(string Id, string Name, string? Overview)>> TitlesAsync(AppFactory app) =>
        (await app.WithDbAsync(db => db.Titles.OrderBy(t => t.Name).Select(t => new { t.ServerItemId, t.Name, t.Overview }).ToListAsync()))
        .Select(t => (t.ServerItemId, t.Name, t.Overview)).ToList();

    private static Task<List<string>> MarksAsync(AppFactory app) =>
        app.WithDbAsync(db => db.Settings.Where(s => s.Key.StartsWith("sync.")).OrderBy(s => s.Key).Select(s => s.Key + "=" + s.Value).ToListAsync());

    public static TheoryData<FakeServerVersion, string, string> Faults => new()
    {
        { FakeServerVersion.Jellyfin10_11, "500", "HTTP 500" },
        { FakeServerVersion.Emby4_8, "500", "HTTP 500" },
        { FakeServerVersion.Jellyfin10_11, "timeout", "did not answer in time" },
        { FakeServerVersion.Emby4_8, "timeout", "did not answer in time" },
        { FakeServerVersion.Jellyfin10_11, "bad-json", "malformed JSON" },
        { FakeServerVersion.Emby4_8, "bad-json", "malformed JSON" },
        { FakeServerVersion.Jellyfin10_11, "reset", "reset the connection without answering" },
        { FakeServerVersion.Emby4_8, "reset", "reset the connection without answering" },
        // A 30 s stall against the test host's 2 s MediaServer:TimeoutSeconds (production: 15 s).
        { FakeServerVersion.Jellyfin10_11, "stall-30s", "did not answer in time" },
        // Cut short on every attempt: retried, then failed naming the page.
        { FakeServerVersion.Jellyfin10_11, "truncated", "was cut short 3 times in a row" },
        { FakeServerVersion.Emby4_8, "short-body", "was cut short 3 times in a row" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_server_failing_on_page_3_of_5_fails_the_job_clearly_deletes_nothing_and_a_rerun_completes(FakeServerVersion version, string fault, string cause)
    {
        var (server, movies, alice) = await StartAsync(version);
        await using var _ = server;
        await using var app = await CatalogSyncTests.ConnectedAppAsync(server);
        await app.RunJobAsync(JobNames.SyncMovies);
        await app.RunJobAsync(JobNames.FullSyncWatchHistory);
        var marks = await MarksAsync(app);

        // The server changes: one movie deleted, every other one edited, one added. The delta has ten to read: five pages.
        server.State.RemoveItem(movies[0].Id);
        foreach (var movie in movies.Skip(1))
        {
            server.State.Touch(movie, m => m.Overview = "After.");
        }
        server.Seed(b => b.Movie("Movie 10", 2024, overview: "After."));
        var rule = server.Faults.Add(FaultRule.Where(IsDetailPage).OnCall(3).Respond(fault switch
        {
            "500" => Fault.Status(500),
            "timeout" => Fault.Timeout,
            "reset" => Fault.ResetConnection,
            "stall-30s" => Fault.Delay(TimeSpan.FromSeconds(30)),
            "truncated" => Fault.TruncatedJson,
            "short-body" => Fault.ShortBody,
            _ => Fault.BadJson,
        }));
        if (fault is "truncated" or "short-body")
        {
            rule.Forever();
        }

        var error = await Assert.ThrowsAsync<SyncFailedException>(() => app.RunJobAsync(JobNames.SyncMovies));

        Assert.Contains("fetching the movies of library 'Movies' (page 3 of 5)", error.Message, StringComparison.Ordinal);
        Assert.Contains(cause, error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was deleted", error.Message, StringComparison.Ordinal);
        if (fault is "truncated" or "short-body")
        {
            // Two pages of two before it: the request that failed is named by where it starts, and asked exactly three times.
            Assert.Contains("StartIndex 4", error.Message, StringComparison.Ordinal);
            Assert.Equal(3, rule.Fired);
        }
        // Pages 1 and 2 are in, whole; the deleted movie and its history are still there; the watermark did not move.
        var titles = await TitlesAsync(app);
        Assert.Equal(10, titles.Count);
        Assert.Contains(titles, t => t.Id == movies[0].Id);
        Assert.Equal(["After.", "After.", "After.", "After.", "Before.", "Before.", "Before.", "Before.", "Before."],
            titles.Where(t => t.Id != movies[0].Id).Select(t => t.Overview));
        Assert.True(await app.WithDbAsync(db => db.WatchStates.AnyAsync(w => w.UserId == alice.Id && w.ServerItemId == movies[0].Id)));
        Assert.Equal(marks, await MarksAsync(app));

        server.Faults.Clear();
        var rerun = await app.RunJobAsync(JobNames.SyncMovies);

        Assert.Equal((1, 1), (rerun.Count("added"), rerun.Count("removed")));
        titles = await TitlesAsync(app);
        Assert.Equal(10, titles.Count);
        Assert.DoesNotContain(titles, t => t.Id == movies[0].Id);
        Assert.All(titles, t => Assert.Equal("After.", t.Overview));
        Assert.False(await app.WithDbAsync(db => db.WatchStates.AnyAsync()));
        Assert.NotEqual(marks, await MarksAsync(app));
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task Items_vanishing_between_pages_never_cost_a_title_that_is_still_on_the_server(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        var (server, movies, _) = await StartAsync(version);
        await using var __ = server;
        await using var app = await CatalogSyncTests.ConnectedAppAsync(server);

        // While the ids are listed (eight a page): the listing no longer adds up, so it is read again.
        server.Faults.VanishItem(movies[4].Id, beforeCall: 2, pathContains: "/Items");
        var first = await app.RunJobAsync(JobNames.SyncMovies);
        Assert.Contains(first.Logs, l => l.Level == JobLogLevel.Warning && l.Text.Contains("changed while being listed", StringComparison.Ordinal));
        Assert.Equal(9, (await TitlesAsync(app)).Count);

        // While the details are paged: the remaining items shift forward and the page after skips one. No server says when an
        // item was saved, so the run cannot tell which: the watermark stays and the next run reads the same window again.
        foreach (var movie in movies.Where(m => m != movies[4]))
        {
            server.State.Touch(movie, m => m.Overview = "After.");
        }
        server.Faults.Clear();
        server.Faults.Add(FaultRule.Where(IsDetailPage).OnCall(2).Respond(Fault.VanishItem(movies[0].Id)));
        var delta = await app.RunJobAsync(JobNames.SyncMovies);

        Assert.Contains(delta.Logs, l => l.Level == JobLogLevel.Warning && l.Text.Contains("changed while their details were read", StringComparison.Ordinal));
        Assert.Equal(9, (await TitlesAsync(app)).Count);

        // The vanished one was listed before it went: the next run removes it, and reads the skipped one.
        server.Faults.Clear();
        Assert.Equal(1, (await app.RunJobAsync(JobNames.SyncMovies)).Count("removed"));
        var titles = await TitlesAsync(app);
        Assert.Equal(8, titles.Count);
        Assert.All(titles, t => Assert.Equal("After.", t.Overview));
    }

    [Fact]
    public async Task A_listing_that_keeps_changing_fails_the_job_without_deleting_anything()
    {
        var (server, movies, _) = await StartAsync(FakeServerVersion.Jellyfin10_11);
        await using var __ = server;
        await using var app = await CatalogSyncTests.ConnectedAppAsync(server);
        await app.RunJobAsync(JobNames.SyncMovies);
        server.State.RemoveItem(movies[9].Id);
        var arrivals = 0;
        // Before every listing page but the first, another movie appears: the totals never agree.
        server.Faults.Add(FaultRule.Where(r =>
        {
            // A listing page: ids only, no Fields.
            if (r.Path.Value?.EndsWith("/Items", StringComparison.Ordinal) == true && string.IsNullOrEmpty(r.Query["Fields"])
                && r.Query.ContainsKey("StartIndex") && r.Query["StartIndex"] != "0")
            {
                server.Seed(b => b.Movie($"Arrival {arrivals++}", 2016));
            }
            return false;
        }));

        var error = await Assert.ThrowsAsync<SyncFailedException>(() => app.RunJobAsync(JobNames.SyncMovies));

        Assert.Contains("kept changing while they were listed", error.Message, StringComparison.Ordinal);
        Assert.Contains(await TitlesAsync(app), t => t.Id == movies[9].Id);
    }

    [Fact]
    public async Task Cancelling_mid_sync_stops_between_pages_leaves_whole_rows_and_a_rerun_completes()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "pw", admin: true);
            for (var n = 0; n < 3; n++)
            {
                b.Series($"Show {n}", 2010 + n, seasons: 2, episodesPerSeason: 3);
            }
        });
        await using var app = await CatalogSyncTests.ConnectedAppAsync(server);
        using var cts = new CancellationTokenSource();
        var progress = new RecordingProgress
        {
            OnAdvance = (stage, advanced) =>
            {
                if (stage.StartsWith("Fetching all episodes", StringComparison.Ordinal) && advanced >= 4)
                {
                    cts.Cancel();
                }
            },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => app.RunJobAsync(JobNames.SyncSeries, progress: progress, ct: cts.Token));

        Assert.Equal(3, await app.WithDbAsync(db => db.Titles.CountAsync()));
        var episodes = await app.WithDbAsync(db => db.Episodes.AsNoTracking().ToListAsync());
        Assert.Equal(4, episodes.Count);
        Assert.All(episodes, e => Assert.True(e.SeasonNumber is not null && e.EpisodeNumber is not null && e.Name.Length > 0));
        Assert.Empty(await MarksAsync(app));

        var rerun = await app.RunJobAsync(JobNames.SyncSeries);

        Assert.Equal(14, rerun.Count("episodes added"));
        Assert.Equal([6, 6, 6], await app.WithDbAsync(db => db.Titles.OrderBy(t => t.Name).Select(t => t.EpisodeCount ?? 0).ToListAsync()));
        Assert.NotEmpty(await MarksAsync(app));
    }

    [Fact]
    public async Task A_history_sync_failing_for_one_user_keeps_the_users_before_whole_and_a_rerun_completes()
    {
        FakeUser alice = null!, bob = null!;
        FakeItem alien = null!;
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Emby, b =>
        {
            b.User("Admin", "pw", admin: true);
            alice = b.User("alice", "pw");
            bob = b.User("bob", "pw");
            alien = b.Movie("Alien", 1979);
            var heat = b.Movie("Heat", 1995);
            b.Played(alice, alien, playCount: 2);
            b.Played(bob, heat);
        });
        await using var app = await CatalogSyncTests.ConnectedAppAsync(server);
        await app.RunJobAsync(JobNames.SyncMovies);
        server.Faults.Add(FaultRule.Where(r => r.Path.Value!.Contains(bob.Id, StringComparison.Ordinal)).Respond(Fault.Status(500)).Forever());

        var error = await Assert.ThrowsAsync<SyncFailedException>(() => app.RunJobAsync(JobNames.SyncWatchHistory));

        Assert.Contains("user 'bob'", error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", error.Message, StringComparison.Ordinal);
        var rows = await app.WithDbAsync(db => db.WatchStates.AsNoTracking().ToListAsync());
        Assert.Equal([(alice.Id, alien.Id, 2)], rows.Select(r => (r.UserId, r.ServerItemId, r.PlayCount)));
        Assert.False(await app.WithDbAsync(db => db.HistorySyncStates.AnyAsync(s => s.UserId == bob.Id)));

        server.Faults.Clear();
        await app.RunJobAsync(JobNames.SyncWatchHistory);

        Assert.Equal(2, await app.WithDbAsync(db => db.WatchStates.CountAsync()));
    }

    [Theory]
    [InlineData("truncated", 1)]
    [InlineData("short-body", 2)]
    public async Task A_response_cut_short_now_and_then_is_asked_again_and_the_sync_completes(string fault, int times)
    {
        var (server, movies, _) = await StartAsync(FakeServerVersion.Jellyfin10_11);
        await using var __ = server;
        await using var app = await CatalogSyncTests.ConnectedAppAsync(server);
        var rule = server.Faults.Add(FaultRule.Where(IsDetailPage).OnCall(3).Times(times)
            .Respond(fault == "truncated" ? Fault.TruncatedJson : Fault.ShortBody));

        var run = await app.RunJobAsync(JobNames.SyncMovies);

        Assert.Equal(times, rule.Fired);
        Assert.Equal(10, run.Count("added"));
        Assert.Equal(movies.Select(m => m.Name).Order(), (await TitlesAsync(app)).Select(t => t.Name));
    }

    [Fact]
    public async Task A_history_page_cut_short_every_time_fails_naming_the_user_and_the_page_and_keeps_the_rows()
    {
        FakeUser alice = null!, bob = null!;
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "pw", admin: true);
            alice = b.User("alice", "pw");
            bob = b.User("bob", "pw");
            for (var n = 0; n < 12; n++)
            {
                var movie = b.Movie($"Movie {n:00}", 1990 + n);
                b.Played(alice, movie, lastPlayed: Saved.AddDays(n));
                b.Played(bob, movie, lastPlayed: Saved.AddDays(n));
            }
        });
        await using var app = await CatalogSyncTests.ConnectedAppAsync(server);
        await app.RunJobAsync(JobNames.SyncMovies);
        await app.RunJobAsync(JobNames.FullSyncWatchHistory);
        var before = await app.WithDbAsync(db => db.WatchStates.CountAsync());
        // Bob's played list, from its third page (eight a page) on: every answer ends mid-JSON.
        var rule = server.Faults.Add(FaultRule.Where(r => r.Query["userId"] == bob.Id && r.Query["StartIndex"] == "16").Respond(Fault.TruncatedJson).Forever());
        foreach (var n in Enumerable.Range(0, 12))
        {
            server.Seed(b => b.Played(bob, b.Movie($"Extra {n:00}", 2000 + n), lastPlayed: Saved.AddDays(100 + n)));
        }

        var error = await Assert.ThrowsAsync<SyncFailedException>(() => app.RunJobAsync(JobNames.FullSyncWatchHistory));

        Assert.Contains("user 'bob'", error.Message, StringComparison.Ordinal);
        Assert.Contains("StartIndex 16", error.Message, StringComparison.Ordinal);
        Assert.Contains("cut short 3 times in a row", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, rule.Fired);
        Assert.Equal(before, await app.WithDbAsync(db => db.WatchStates.CountAsync()));
        Assert.Equal(12, await app.WithDbAsync(db => db.WatchStates.CountAsync(w => w.UserId == bob.Id)));
    }
}
