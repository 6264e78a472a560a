using Aperture.Catalog;
using Aperture.Data;
using Aperture.History;
using Aperture.Tests.Infrastructure;
using Aperture.TopPicks;

namespace Aperture.Tests.TopPicks;

// The figures on a hand-made history: one database, rows written directly, the calculator's own query.
public sealed class TopPicksCalculatorTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 6, 30, 12, 0, 0, TimeSpan.Zero);
    private readonly AppFactory app = new();
    private long nextServerId = 1000;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await app.DisposeAsync();


    private Task<int> SeedUsersAndLibrariesAsync() => app.WithDbAsync(async db =>
    {
        foreach (var name in new[] { "ann", "ben", "cat", "dan" })
        {
            db.Users.Add(new AppUser { Id = name, Name = name, CreatedAt = Now });
        }
        db.Libraries.Add(new Library { Id = "movies", Name = "Movies", Kind = MediaKind.Movie, Enabled = true, LastSeenAt = Now });
        db.Libraries.Add(new Library { Id = "off", Name = "Switched off", Kind = MediaKind.Movie, Enabled = false, LastSeenAt = Now });
        db.Libraries.Add(new Library { Id = "gone", Name = "Gone", Kind = MediaKind.Movie, Enabled = true, PresentOnServer = false, LastSeenAt = Now });
        db.Libraries.Add(new Library { Id = "shows", Name = "Shows", Kind = MediaKind.Series, Enabled = true, LastSeenAt = Now });
        return await db.SaveChangesAsync();
    });

    private Task<long> TitleAsync(string name, MediaKind kind = MediaKind.Movie, string library = "movies", int episodes = 0) => app.WithDbAsync(async db =>
    {
        var title = new Title { Kind = kind, ServerItemId = $"s{nextServerId++}", LibraryId = library, Name = name, SyncedAt = Now };
        for (var e = 1; e <= episodes; e++)
        {
            title.Episodes.Add(new Episode { ServerItemId = $"e{nextServerId++}", SeasonNumber = 1, EpisodeNumber = e, Name = $"{name} {e}", SyncedAt = Now });
        }
        db.Titles.Add(title);
        await db.SaveChangesAsync();
        return title.Id;
    });

    private Task<int> WatchAsync(string user, long titleId, int daysAgo, bool played = true, int playCount = 1, double? percent = null, int? episode = null) =>
        app.WithDbAsync(async db =>
        {
            long? episodeId = null;
            var serverItemId = db.Titles.Single(t => t.Id == titleId).ServerItemId;
            if (episode is { } number)
            {
                var e = db.Episodes.Single(x => x.SeriesId == titleId && x.EpisodeNumber == number);
                (episodeId, serverItemId) = (e.Id, e.ServerItemId);
            }
            db.WatchStates.Add(new WatchState
            {
                UserId = user, TitleId = titleId, EpisodeId = episodeId, ServerItemId = serverItemId, Played = played, PlayCount = playCount,
                PlayedPercentage = percent, LastPlayedAt = Now.AddDays(-daysAgo), SyncedAt = Now,
            });
            return await db.SaveChangesAsync();
        });

    private Task<IReadOnlyList<TopPickFigures>> ComputeAsync(MediaKind kind, KindTopPicksSettings settings) =>
        app.WithDbAsync(db => TopPicksCalculator.ComputeAsync(db, kind, settings, Now, CancellationToken.None));

    [Fact]
    public async Task Plays_outside_the_window_do_not_count_and_titles_below_the_minimum_viewers_are_left_out()
    {
        await SeedUsersAndLibrariesAsync();
        var recent = await TitleAsync("Recent");
        var old = await TitleAsync("Old");
        var mixed = await TitleAsync("Mixed");
        var lonely = await TitleAsync("Lonely");
        foreach (var user in new[] { "ann", "ben", "cat" })
        {
            await WatchAsync(user, recent, daysAgo: 3);
            await WatchAsync(user, old, daysAgo: 45);
        }
        await WatchAsync("ann", mixed, daysAgo: 10);
        await WatchAsync("ben", mixed, daysAgo: 29);
        await WatchAsync("cat", mixed, daysAgo: 31);
        await WatchAsync("dan", lonely, daysAgo: 1, playCount: 9);

        var top = await ComputeAsync(MediaKind.Movie, new KindTopPicksSettings { WindowDays = 30, MinViewers = 2 });

        Assert.Equal([recent, mixed], top.Select(t => t.TitleId));
        Assert.Equal((3, 3, 1.0), (top[0].Viewers, top[0].Plays, top[0].Completion));
        // cat's play of "Mixed" is 31 days old: two viewers remain.
        Assert.Equal(2, top[1].Viewers);

        var wider = await ComputeAsync(MediaKind.Movie, new KindTopPicksSettings { WindowDays = 60, MinViewers = 1 });
        Assert.Equal(4, wider.Count);
        Assert.Contains(wider, t => t.TitleId == old && t.Viewers == 3);
        Assert.Contains(wider, t => t.TitleId == lonely && t.Plays == 9);
    }

    [Fact]
    public async Task Weights_change_the_order_between_many_viewers_and_many_plays()
    {
        await SeedUsersAndLibrariesAsync();
        var broad = await TitleAsync("Broad");
        var binged = await TitleAsync("Binged");
        foreach (var user in new[] { "ann", "ben", "cat", "dan" })
        {
            await WatchAsync(user, broad, daysAgo: 2, played: false, percent: 50);
        }
        await WatchAsync("ann", binged, daysAgo: 2, playCount: 10);
        await WatchAsync("ben", binged, daysAgo: 2, playCount: 10);

        var byDefault = await ComputeAsync(MediaKind.Movie, new KindTopPicksSettings());
        var byPlays = await ComputeAsync(MediaKind.Movie, new KindTopPicksSettings { Weights = new TopPicksWeights(0.1, 1, 0) });
        var byViewersOnly = await ComputeAsync(MediaKind.Movie, new KindTopPicksSettings { Weights = new TopPicksWeights(1, 0, 0) });

        // Defaults: broad = 0.5·(4/4) + 0.2·(4/20) + 0.3·0.5 = 0.69; binged = 0.5·(2/4) + 0.2·(20/20) + 0.3·1 = 0.75.
        Assert.Equal([binged, broad], byDefault.Select(t => t.TitleId));
        Assert.Equal(0.69, byDefault.Single(t => t.TitleId == broad).Score, 6);
        Assert.Equal(0.75, byDefault.Single(t => t.TitleId == binged).Score, 6);
        Assert.Equal(0.5, byDefault.Single(t => t.TitleId == broad).Completion, 6);
        Assert.Equal([binged, broad], byPlays.Select(t => t.TitleId));
        Assert.Equal([broad, binged], byViewersOnly.Select(t => t.TitleId));
        Assert.Equal(1.0, byViewersOnly[0].Score, 6);
    }

    [Fact]
    public async Task Series_completion_is_the_average_share_of_episodes_watched()
    {
        await SeedUsersAndLibrariesAsync();
        var show = await TitleAsync("Show", MediaKind.Series, "shows", episodes: 4);
        // ann: all four; ben: one and a half of four; cat: the series marked played as a whole.
        for (var e = 1; e <= 4; e++)
        {
            await WatchAsync("ann", show, daysAgo: 5, episode: e);
        }
        await WatchAsync("ben", show, daysAgo: 5, episode: 1, playCount: 2);
        await WatchAsync("ben", show, daysAgo: 5, episode: 2, played: false, playCount: 0, percent: 50);
        await WatchAsync("cat", show, daysAgo: 5);

        var top = Assert.Single(await ComputeAsync(MediaKind.Series, new KindTopPicksSettings()));

        Assert.Equal(3, top.Viewers);
        Assert.Equal((1 + 1.5 / 4 + 1) / 3, top.Completion, 6);
        // Episode plays: ann 4, ben 2 + 1 (a started episode counts once), cat 1 (no episode rows).
        Assert.Equal(8, top.Plays);
        Assert.Empty(await ComputeAsync(MediaKind.Movie, new KindTopPicksSettings()));
    }

    [Fact]
    public async Task Titles_in_switched_off_or_vanished_libraries_are_excluded_and_ties_keep_a_stable_order()
    {
        await SeedUsersAndLibrariesAsync();
        var first = await TitleAsync("First");
        var second = await TitleAsync("Second");
        var off = await TitleAsync("Off", library: "off");
        var gone = await TitleAsync("Gone", library: "gone");
        foreach (var user in new[] { "ann", "ben", "cat", "dan" })
        {
            await WatchAsync(user, off, daysAgo: 1, playCount: 5);
            await WatchAsync(user, gone, daysAgo: 1, playCount: 5);
        }
        foreach (var user in new[] { "ann", "ben" })
        {
            await WatchAsync(user, second, daysAgo: 1);
            await WatchAsync(user, first, daysAgo: 1);
        }

        var top = await ComputeAsync(MediaKind.Movie, new KindTopPicksSettings { Count = 5 });

        Assert.Equal([first, second], top.Select(t => t.TitleId));
        Assert.Equal(top[0].Score, top[1].Score);
        Assert.Single(await ComputeAsync(MediaKind.Movie, new KindTopPicksSettings { Count = 1 }));
    }
}
