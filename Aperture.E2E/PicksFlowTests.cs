using System.Text.RegularExpressions;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Aperture.Progress;
using static Microsoft.Playwright.Assertions;

namespace Aperture.E2E;

// Issues 6 and 7 as people use them: the admin switches a user's picks on, runs the recommendation and
// output jobs, checks privacy on Admin › Outputs; the user opens My Picks, a pick, its insights and evidence.
[Collection(BrowserCollection.Name)]
public sealed class PicksFlowTests(BrowserFixture browser) : IDisposable
{
    private static readonly string[] Horror = ["Horror", "Thriller"];
    private static readonly string[] Romance = ["Romance", "Comedy"];

    private readonly string media = Directory.CreateTempSubdirectory("aperture-e2e-media-").FullName;
    private readonly string root = Directory.CreateTempSubdirectory("aperture-e2e-out-").FullName;

    public void Dispose()
    {
        Directory.Delete(media, recursive: true);
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Admin_turns_picks_on_and_writes_the_library_then_the_user_opens_a_pick_with_its_insights_and_evidence()
    {
        FakeUser alice = null!;
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "admin-pw", admin: true);
            alice = b.User("alice", "alice-pw");
            var movies = b.MovieLibrary("Movies", media + "/movies");
            for (var i = 0; i < 8; i++)
            {
                var h = b.Movie($"Haunted {i}", 1990 + i, Horror, $"A haunted house, a demon and a ghost {i}.", tags: ["haunted", "ghost"],
                    people: [FakePerson.Director("Wes Craven")], communityRating: 7, tmdb: $"h{i}", library: movies);
                b.Movie($"Wedding {i}", 2000 + i, Romance, $"A wedding in London and a kiss {i}.", tags: ["wedding"],
                    people: [FakePerson.Director("Richard Curtis")], communityRating: 7, tmdb: $"r{i}", library: movies);
                if (i < 2)
                {
                    b.Played(alice, h, favorite: i == 0);
                }
            }
        });
        foreach (var item in server.State.Items.Where(i => i.Type == FakeItemType.Movie))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(item.Path!)!);
            await File.WriteAllTextAsync(item.Path!, "video");
        }
        var app = new LiveApp();
        app.With("MEDIA_SERVER_STRM_ROOT", root);
        await using var _ = app.Start();
        await app.ConnectAsync(server);
        // The sync and embedding jobs have their own browser test; here they run directly.
        foreach (var job in new[] { JobNames.SyncMovies, JobNames.SyncWatchHistory, JobNames.GenerateEmbeddings })
        {
            await app.RunJobAsync(job);
        }

        await using var adminContext = await browser.Browser.NewContextAsync();
        var admin = await adminContext.NewPageAsync();
        await SignIn.AsAsync(admin, app, "Admin", "admin-pw");

        // Admin › Users: switch alice's movie picks on (htmx, no reload).
        await admin.GotoAsync(app.Url + "/admin/users");
        var toggle = admin.GetByRole(AriaRole.Switch, new() { Name = "Movie picks for alice" });
        await Expect(toggle).ToHaveAttributeAsync("aria-checked", "false");
        await toggle.ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Switch, new() { Name = "Movie picks for alice" })).ToHaveAttributeAsync("aria-checked", "true");
        await BrowserFixture.ScreenshotAsync(admin, "30-admin-users");

        // Admin › Jobs: generate recommendations, then write the libraries, each followed live to the end.
        await admin.GotoAsync(app.Url + "/admin/jobs");
        foreach (var job in new[] { JobNames.GenerateRecommendations, JobNames.SyncStrm })
        {
            var card = admin.Locator($"#job-{job}");
            await card.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
            await Expect(card.GetByTestId("job-status")).ToHaveTextAsync("Succeeded", new() { Timeout = 60000 });
        }

        // Admin › Outputs: alice's library with its folder, and a passing privacy check.
        await admin.GotoAsync(app.Url + "/admin/outputs");
        await Expect(admin.Locator("table").First).ToContainTextAsync("AI Picks - alice");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Check access" }).ClickAsync();
        await Expect(admin.Locator("#access-check [data-check]")).ToHaveTextAsync("Passed", new() { Timeout = 20000 });
        await BrowserFixture.ScreenshotAsync(admin, "31-admin-outputs");
        Assert.Contains(server.State.LibrariesVisibleTo(alice), l => l.Name == "AI Picks - alice");

        // alice: My Picks, ranked posters with a match badge; the first is horror, like what she watched.
        await using var userContext = await browser.Browser.NewContextAsync();
        var page = await userContext.NewPageAsync();
        await SignIn.AsAsync(page, app, "alice", "alice-pw");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My Picks", Level = 1 })).ToBeVisibleAsync();
        var cards = page.Locator("ol.poster-grid a.poster-card");
        await Expect(cards.First).ToContainTextAsync("% match");
        await Expect(cards.First.Locator(".name")).ToHaveTextAsync(new Regex("^Haunted [2-7]$"));
        await BrowserFixture.ScreenshotAsync(page, "32-my-picks");

        // Open the pick: insight bars, matched genres, the explanation and the evidence trail to her favourite.
        await cards.First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Why it was picked" })).ToBeVisibleAsync();
        await Expect(page.Locator(".insight-bars meter")).ToHaveCountAsync(6);
        await Expect(page.Locator(".explanation")).ToContainTextAsync("Haunted 0");
        var evidence = page.Locator("ul.evidence a", new() { HasText = "Haunted 0" });
        await Expect(evidence).ToContainTextAsync("favourite");
        await BrowserFixture.ScreenshotAsync(page, "33-pick-insights");
        await evidence.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Haunted 0", Level = 1 })).ToBeVisibleAsync();

        // My Taste: the synopsis, regenerated in place.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Taste" }).ClickAsync();
        await Expect(page.Locator("#synopsis .explanation")).ToContainTextAsync("Horror", new() { IgnoreCase = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Regenerate" }).ClickAsync();
        await Expect(page.Locator("#synopsis .explanation")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "34-my-taste");

        // Top Picks: the admin lowers the viewer minimum to one and refreshes; alice's two films lead the shared list.
        await admin.GotoAsync(app.Url + "/admin/top-picks");
        await BrowserFixture.ScreenshotAsync(admin, "35-admin-top-picks");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var settings = scope.ServiceProvider.GetRequiredService<Aperture.TopPicks.TopPicksSettings>();
            var movies = await settings.GetAsync(Aperture.Data.MediaKind.Movie, CancellationToken.None);
            await settings.SaveAsync(Aperture.Data.MediaKind.Movie, movies with { MinViewers = 1 }, CancellationToken.None);
        }
        await app.RunJobAsync(JobNames.RefreshTopPicks);
        await page.GotoAsync(app.Url + "/top-picks");
        await Expect(page.Locator("a.poster-card").First).ToContainTextAsync("Haunted");
        await BrowserFixture.ScreenshotAsync(page, "36-top-picks");
    }
}
