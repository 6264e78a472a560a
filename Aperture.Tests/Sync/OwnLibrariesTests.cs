using System.Net;
using System.Net.Http.Json;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;

namespace Aperture.Tests.Sync;

// A fresh (or second, or restored) install against a server that already holds Aperture's libraries never takes them for
// catalogue sources: not on its first sync, and not when an admin switches them on.
public sealed class OwnLibrariesTests
{
    [Fact]
    public async Task Picks_and_Top_Picks_libraries_already_on_the_server_are_never_synced_as_sources()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "pw", admin: true);
            var movies = b.MovieLibrary("Movies", "/media/movies");
            // Written by another Aperture: one by its name prefix and folder, one (renamed Top Picks) by its folder alone.
            var picks = b.MovieLibrary("AI Picks - u7", "/strm/AI Picks - u7 [0a1b2c3d]/movies");
            var top = b.MovieLibrary("Crowd Favourites", "/strm/Top Picks/movies");
            // Named like a picks library but somewhere else entirely: still Aperture's by its prefix.
            var stray = b.MovieLibrary("AI Picks - old", "/elsewhere/old");
            b.Movie("Heat", 1995, library: movies);
            b.Movie("Heat copy in picks", 1995, library: picks);
            b.Movie("Heat copy in top picks", 1995, library: top);
            b.Movie("Heat copy in stray", 1995, library: stray);
        });
        await using var app = new AppFactory().With("MEDIA_SERVER_STRM_ROOT", "/strm");
        await app.ConnectAsync(server);
        var admin = await app.SignedInClientAsync("Admin", "pw");

        var first = await app.RunJobAsync(JobNames.SyncMovies);

        Assert.Equal(["Heat"], await app.WithDbAsync(db => db.Titles.Select(t => t.Name).ToListAsync()));
        Assert.DoesNotContain(first.Logs, l => l.Text.Contains("AI Picks - u7", StringComparison.Ordinal));
        var own = await app.WithDbAsync(db => db.Libraries.Where(l => l.Name != "Movies").ToListAsync());
        Assert.Equal(3, own.Count);
        Assert.All(own, l => Assert.False(l.Enabled));

        // The admin switches them on anyway: they are still no source.
        foreach (var library in own)
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync($"/api/settings/libraries/{Uri.EscapeDataString(library.Id)}", new { enabled = true })).StatusCode);
        }
        await app.RunJobAsync(JobNames.SyncMovies, full: true);
        Assert.Equal(["Heat"], await app.WithDbAsync(db => db.Titles.Select(t => t.Name).ToListAsync()));
    }

    [Fact]
    public async Task An_output_root_set_under_Admin_Outputs_keeps_its_libraries_out_of_the_catalogue_too()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "pw", admin: true);
            var movies = b.MovieLibrary("Movies", "/media/movies");
            // Aperture's only by its folder: the root as the server sees it was saved in the UI, not in the environment.
            var top = b.MovieLibrary("Crowd Favourites", "/picks-on-server/Top Picks/movies");
            b.Movie("Heat", 1995, library: movies);
            b.Movie("Heat copy in top picks", 1995, library: top);
        });
        await using var app = new AppFactory();
        await app.ConnectAsync(server);
        await app.WithDbAsync(async db =>
        {
            db.Settings.Add(new Aperture.Data.Setting { Key = "outputs.serverRoot", Value = "/picks-on-server", UpdatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });

        await app.RunJobAsync(JobNames.SyncMovies);

        Assert.Equal(["Heat"], await app.WithDbAsync(db => db.Titles.Select(t => t.Name).ToListAsync()));
        Assert.False(await app.WithDbAsync(db => db.Libraries.Where(l => l.Name == "Crowd Favourites").Select(l => l.Enabled).SingleAsync()));
    }
}
