using System.Text.Json;
using System.Text.Json.Serialization;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;

namespace Aperture.Tests.Sync;

public sealed class ServerStringsTests
{
    private static readonly JsonSerializerOptions Rows = new() { ReferenceHandler = ReferenceHandler.IgnoreCycles };

    // PostgreSQL refuses text with a NUL (22021) and fails the whole sync; SQLite would store it. Either way it is not part of
    // any name a person reads, so every string from the server arrives without it, on both databases.
    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task Nul_characters_in_any_server_string_are_dropped_at_sync_and_the_sync_succeeds(FakeServerVersion version)
    {
        FakeUser alice = null!;
        await using var server = await FakeMediaServer.StartAsync(version, b =>
        {
            b.User("Admin", "pw", admin: true);
            alice = b.User("ali\0ce", "pw");
            var movies = b.MovieLibrary("Mo\0vies");
            var alien = b.Movie("Al\0ien", 1979, genres: ["Hor\0ror", "Sci-Fi"], overview: "In space\0 no one can hear you scream.",
                people: [FakePerson.Actor("Sigourney\0 Weaver", "Rip\0ley"), FakePerson.Director("Ridley\0 Scott")],
                studios: ["Brandywine\0"], tags: ["space\0"], officialRating: "R\0", library: movies,
                with: i => { i.OriginalTitle = "Ali\0en"; i.Taglines.Add("Tag\0line"); });
            var show = b.Series("Dark\0", 2017, genres: ["Myst\0ery"], overview: "Time\0 travel.", with: i => i.Status = "End\0ed");
            b.Episode(show, 1, name: "Secr\0ets", overview: "A boy\0 vanishes.");
            b.Played(alice, alien);
        });
        await using var app = await CatalogSyncTests.ConnectedAppAsync(server);

        await app.RunJobAsync(JobNames.SyncMovies);
        await app.RunJobAsync(JobNames.SyncSeries);
        await app.RunJobAsync(JobNames.SyncWatchHistory);

        var titles = await app.WithDbAsync(db => db.Titles.AsNoTracking().OrderBy(t => t.Name).ToListAsync());
        Assert.Equal(["Alien", "Dark"], titles.Select(t => t.Name));
        Assert.Equal("In space no one can hear you scream.", titles[0].Overview);
        Assert.Equal("Secrets", Assert.Single(await app.WithDbAsync(db => db.Episodes.AsNoTracking().Select(e => e.Name).ToListAsync())));
        Assert.Equal(1, await app.WithDbAsync(db => db.WatchStates.CountAsync(w => w.UserId == alice.Id)));
        Assert.Contains("alice", await app.WithDbAsync(db => db.Users.AsNoTracking().Select(u => u.Name).ToListAsync()));
        // Every stored row of what sync wrote, whatever column holds it (genres, people, studios, paths, library names…).
        var stored = JsonSerializer.Serialize(new object[]
        {
            titles,
            await app.WithDbAsync(db => db.Episodes.AsNoTracking().ToListAsync()),
            await app.WithDbAsync(db => db.Libraries.AsNoTracking().ToListAsync()),
            await app.WithDbAsync(db => db.Users.AsNoTracking().ToListAsync()),
            await app.WithDbAsync(db => db.WatchStates.AsNoTracking().ToListAsync()),
        }, Rows);
        Assert.Contains("Sigourney Weaver", stored, StringComparison.Ordinal);
        Assert.Contains("Horror", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0000", stored, StringComparison.Ordinal);
    }
}
