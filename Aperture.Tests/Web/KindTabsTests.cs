using System.Net;
using Aperture.Catalog;
using Aperture.Data;
using Aperture.Tests.Infrastructure;

namespace Aperture.Tests;

// Kind tabs, per-kind switches and forms appear only for the kinds the server has libraries of: a server without a TV
// library shows no Series tab, toggle or "no series synced" page; a server with both shows both.
public sealed class KindTabsTests
{
    private static async Task AddLibraryAsync(AppFactory app, string id, string name, MediaKind kind, string location) =>
        await app.WithDbAsync(async db =>
        {
            db.Libraries.Add(new Library { Id = id, Name = name, Kind = kind, Locations = [location], Enabled = true, LastSeenAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });

    // What an admin sees of the series kind on every page that has per-kind tabs, switches or forms.
    private static readonly (string Path, string SeriesMarker)[] Pages =
    [
        ("/picks/movies", "href=\"/picks/series\""),
        ("/browse/movies", "href=\"/browse/series\""),
        ("/top-picks/movies", "href=\"/top-picks/series\""),
        ("/taste/movies", "href=\"/taste/series\""),
        ("/channels", "<option value=\"series\""),
        ("/admin/users", "Series picks"),
        ("/admin/top-picks", "id=\"tp-series\""),
        ("/admin/settings/recommendations", "id=\"rec-series\""),
        ("/admin/outputs", "name=\"Form.SeriesMode\""),
    ];

    [Fact]
    public async Task A_server_with_only_movie_libraries_shows_no_series_tab_switch_or_form_anywhere()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _a = app;
        await using var _s = server;
        await AddLibraryAsync(app, "lib-movies", "Films", MediaKind.Movie, "/media/movies");
        // Aperture's own series picks library is a TV library on the server, but not one of the server's kinds.
        await AddLibraryAsync(app, "lib-own", "AI Picks - alice (Series)", MediaKind.Series, "/strm/alice-series");

        foreach (var (path, marker) in Pages)
        {
            var response = await admin.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
            var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            Assert.False(html.Contains(marker, StringComparison.Ordinal), $"{path} still offers series ({marker})");
        }

        // No tab leads to a series page, and an old link lands on movies rather than "No series have been synced yet".
        var browse = await admin.GetAsync("/browse/series");
        Assert.Equal(HttpStatusCode.Redirect, browse.StatusCode);
        Assert.Equal("/browse/movies", browse.Headers.Location!.OriginalString);
        var picks = await admin.GetAsync("/picks/series");
        Assert.Equal("/picks/movies", picks.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_server_with_movie_and_tv_libraries_shows_both_kinds_everywhere()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _a = app;
        await using var _s = server;
        await AddLibraryAsync(app, "lib-movies", "Films", MediaKind.Movie, "/media/movies");
        await AddLibraryAsync(app, "lib-tv", "TV", MediaKind.Series, "/media/tv");

        foreach (var (path, marker) in Pages)
        {
            var html = WebUtility.HtmlDecode(await admin.GetStringAsync(path));
            Assert.True(html.Contains(marker, StringComparison.Ordinal), $"{path} does not offer series ({marker})");
        }
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/browse/series")).StatusCode);
    }

    [Fact]
    public async Task A_tv_only_server_opens_my_picks_and_browse_on_series()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _a = app;
        await using var _s = server;
        await AddLibraryAsync(app, "lib-tv", "TV", MediaKind.Series, "/media/tv");

        Assert.Equal("/browse/series", (await admin.GetAsync("/browse")).Headers.Location!.OriginalString);
        var picks = WebUtility.HtmlDecode(await admin.GetStringAsync("/picks"));
        Assert.Contains("href=\"/picks/series\"", picks, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/picks/movies\"", picks, StringComparison.Ordinal);
    }
}
