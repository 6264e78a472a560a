using System.Text.RegularExpressions;
using Aperture.Channels;
using Aperture.Data;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Aperture.Progress;
using static Microsoft.Playwright.Assertions;

namespace Aperture.E2E;

// Every page, user and admin, on a 360 px phone: nothing wider than the screen (grids reflow, tables scroll inside their
// own box), the menu button opens the navigation, and no page text reads "1 titles", "title(s)" or "Users ." — with a
// catalogue of movies and series, picks, a channel and job runs, so the pages show their real content, not empty states.
[Collection(BrowserCollection.Name)]
public sealed partial class NarrowScreenTests(BrowserFixture browser) : IDisposable
{
    private const int Width = 360;
    private readonly string media = Directory.CreateTempSubdirectory("aperture-e2e-media-").FullName;
    private readonly string root = Directory.CreateTempSubdirectory("aperture-e2e-out-").FullName;

    public void Dispose()
    {
        Directory.Delete(media, recursive: true);
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Every_page_fits_a_360_px_screen_opens_its_menu_and_reads_without_plural_or_spacing_slips()
    {
        FakeUser alice = null!;
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "admin-pw", admin: true);
            alice = b.User("alice", "alice-pw");
            foreach (var n in new[] { 1, 2, 10, 11 })
            {
                b.User($"u{n}", "pw");
            }
            var movies = b.MovieLibrary("Movies", media + "/movies");
            var shows = b.ShowLibrary("Shows", media + "/shows");
            for (var i = 0; i < 8; i++)
            {
                var m = b.Movie($"A Remarkably Long Film Title That Keeps Going On {i}", 1990 + i, ["Drama", "Science Fiction", "Mystery"],
                    $"A family, a secret and a very long summer {i}.", people: [FakePerson.Director("Agnès Varda")], communityRating: 7,
                    tmdb: $"m{i}", library: movies);
                var s = b.Series($"Show With Quite A Long Name {i}", 2000 + i, ["Drama", "Comedy"], $"Neighbours on a long street {i}.",
                    communityRating: 7, tmdb: $"s{i}", seasons: 1, episodesPerSeason: 3, library: shows);
                if (i < 3)
                {
                    b.Played(alice, m, favorite: i == 0);
                    b.Played(alice, s);
                }
            }
        });
        var app = new LiveApp();
        app.With("MEDIA_SERVER_STRM_ROOT", root);
        await using var _ = app.Start();
        await app.ConnectAsync(server);
        await app.RunJobAsync(JobNames.SyncMovies);
        await app.WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Name == "alice");
            user.PicksKinds = MediaKindSet.Movie | MediaKindSet.Series;
            return await db.SaveChangesAsync();
        });
        foreach (var job in new[] { JobNames.SyncSeries, JobNames.SyncWatchHistory, JobNames.SyncSeriesWatchHistory, JobNames.GenerateEmbeddings,
                     JobNames.GenerateSeriesEmbeddings, JobNames.GenerateRecommendations, JobNames.GenerateSeriesRecommendations, JobNames.RefreshTopPicks })
        {
            await app.RunJobAsync(job);
        }
        var (aliceId, pick, title) = await app.WithDbAsync(async db => (
            (await db.Users.SingleAsync(u => u.Name == "alice")).Id,
            await db.Picks.Where(p => p.Kind == MediaKind.Movie).OrderBy(p => p.Rank).Select(p => p.TitleId).FirstAsync(),
            await db.Titles.Where(t => t.Kind == MediaKind.Series).OrderBy(t => t.Id).Select(t => t.Id).FirstAsync()));
        long channelId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var channels = scope.ServiceProvider.GetRequiredService<ChannelService>();
            var (channel, errors) = await channels.CreateAsync(aliceId, new ChannelInput(Name: "Long summer evenings with the family", Kind: "both",
                Preference: "families and secrets"), default);
            Assert.True(channel is not null, string.Join("; ", errors.Values));
            await channels.GenerateAsync(channel, default);
            channelId = channel.Id;
        }

        string[] userPages =
        [
            "/picks/movies", "/picks/series", $"/picks/movies/{pick}", "/top-picks/movies", "/top-picks/series", "/taste/movies", "/taste/series",
            "/browse/movies", "/browse/series", $"/browse/series/{title}", "/channels", $"/channels/{channelId}",
        ];
        string[] adminPages =
        [
            "/admin", "/admin/getting-started", "/admin/jobs", "/admin/outputs", "/admin/users", "/admin/database", "/admin/top-picks",
            "/admin/settings/media-server", "/admin/settings/libraries", "/admin/settings/ai", "/admin/settings/recommendations",
            $"/picks/series?user={aliceId}", $"/taste/movies?user={aliceId}",
        ];

        // Every page is checked before the test fails, so one run lists every page that needs fixing.
        var problems = new List<string>();
        await using var anonymous = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = Width, Height = 800 } });
        var login = await anonymous.NewPageAsync();
        await CheckAsync(login, app.Url + "/login", "login", menu: false, problems);

        await using var aliceContext = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = Width, Height = 800 } });
        var page = await aliceContext.NewPageAsync();
        await SignIn.AsAsync(page, app, "alice", "alice-pw");
        foreach (var path in userPages)
        {
            await CheckAsync(page, app.Url + path, "user" + path, menu: true, problems);
        }

        await using var adminContext = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = Width, Height = 800 } });
        var admin = await adminContext.NewPageAsync();
        await SignIn.AsAsync(admin, app, "Admin", "admin-pw");
        foreach (var path in adminPages)
        {
            await CheckAsync(admin, app.Url + path, "admin" + path, menu: true, problems);
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static async Task CheckAsync(IPage page, string url, string name, bool menu, List<string> problems)
    {
        var response = await page.GotoAsync(url);
        Assert.True(response is { Ok: true }, $"{url}: {response?.Status}");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var shot = "50-narrow-" + Regex.Replace(name, "[^a-z0-9]+", "-").Trim('-');
        await BrowserFixture.ScreenshotAsync(page, shot);

        var (scroll, inner) = (await page.EvaluateAsync<int>("document.scrollingElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
        if (scroll > inner)
        {
            var culprits = await page.EvaluateAsync<string[]>(
                "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)" +
                ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))");
            problems.Add($"{url} is {scroll} px wide in a {inner} px window: {string.Join(", ", culprits)}");
        }

        var text = await page.EvaluateAsync<string>("document.body.innerText");
        foreach (var slip in new[] { Parenthesised(), OnePlural(), SpaceBeforePunctuation() }.Select(r => r.Match(text)).Where(m => m.Success))
        {
            problems.Add($"{url} reads '{text[Math.Max(0, slip.Index - 30)..Math.Min(text.Length, slip.Index + slip.Length + 10)]}'");
        }

        if (menu)
        {
            var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
            await Expect(nav).ToBeHiddenAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
            await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Channels" })).ToBeVisibleAsync();
            if (await page.EvaluateAsync<int>("document.scrollingElement.scrollWidth") > inner)
            {
                problems.Add($"{url}: the open menu is wider than the screen");
            }
            await BrowserFixture.ScreenshotAsync(page, shot + "-menu");
        }
    }

    [GeneratedRegex(@"\w\(s\)")]
    private static partial Regex Parenthesised();

    [GeneratedRegex(@"(?<![\d.,/])\b1 (titles|users|picks|problems|films|shows|episodes|movies|libraries|channels|days|viewers|plays|seconds|playlists)\b")]
    private static partial Regex OnePlural();

    [GeneratedRegex(@"[\p{L}\p{N})›] [.,;:!?](?=\s|$)")]
    private static partial Regex SpaceBeforePunctuation();
}
