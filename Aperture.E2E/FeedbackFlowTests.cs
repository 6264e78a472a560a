using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Aperture.Progress;
using static Microsoft.Playwright.Assertions;

namespace Aperture.E2E;

// Issue 17 as a user meets it: a 👎 under a pick takes it off My Picks at once, and a Tune slider changes the preview.
[Collection(BrowserCollection.Name)]
public sealed class FeedbackFlowTests(BrowserFixture browser)
{
    private static readonly string[] Horror = ["Horror", "Thriller"];
    private static readonly string[] Romance = ["Romance", "Comedy"];

    private static async Task<(FakeMediaServer Server, LiveApp App, IAsyncDisposable Running)> StartAsync()
    {
        FakeUser alice = null!;
        var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "admin-pw", admin: true);
            alice = b.User("alice", "alice-pw");
            for (var i = 0; i < 8; i++)
            {
                var h = b.Movie($"Haunted {i}", 1990 + i, Horror, $"A haunted house, a demon and a ghost {i}.", tags: ["haunted", "ghost"],
                    people: [FakePerson.Director("Wes Craven")], communityRating: 5 + i % 4, tmdb: $"h{i}");
                b.Movie($"Wedding {i}", 2000 + i, Romance, $"A wedding in London and a kiss {i}.", tags: ["wedding"],
                    people: [FakePerson.Director("Richard Curtis")], communityRating: 9 - i % 4, tmdb: $"r{i}");
                if (i < 2)
                {
                    b.Played(alice, h, favorite: i == 0);
                }
            }
        });
        var app = new LiveApp();
        var running = app.Start();
        await app.ConnectAsync(server);
        foreach (var job in new[] { JobNames.SyncMovies, JobNames.SyncWatchHistory, JobNames.GenerateEmbeddings })
        {
            await app.RunJobAsync(job);
        }
        await app.WithDbAsync(db => db.Users.Where(u => u.Name == "alice").ExecuteUpdateAsync(s => s.SetProperty(u => u.PicksKinds, Aperture.Data.MediaKindSet.Movie)));
        await app.RunJobAsync(JobNames.GenerateRecommendations);
        return (server, app, running);
    }

    [Fact]
    public async Task A_thumbs_down_under_a_pick_removes_it_from_My_Picks_at_once()
    {
        var (server, app, running) = await StartAsync();
        await using var _s = server;
        await using var _r = running;
        await using var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, app, "alice", "alice-pw");

        await page.GotoAsync(app.Url + "/picks/movies");
        var first = page.Locator("ol.poster-grid > li").First;
        var id = await first.GetAttributeAsync("id");
        var name = await first.Locator(".poster-caption .name").InnerTextAsync();
        await first.GetByRole(AriaRole.Button, new() { Name = "Dislike" }).ClickAsync();

        await Expect(page.Locator($"#{id}")).ToContainTextAsync("You will not see it in your picks or channels again");
        await Expect(page.Locator($"#{id} .poster-caption")).ToHaveCountAsync(0);
        await page.ReloadAsync();
        await Expect(page.Locator("ol.poster-grid")).Not.ToContainTextAsync(name);
        await BrowserFixture.ScreenshotAsync(page, "70-feedback-removed");
    }

    [Fact]
    public async Task A_tuned_slider_changes_the_preview_before_saving()
    {
        var (server, app, running) = await StartAsync();
        await using var _s = server;
        await using var _r = running;
        await using var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, app, "alice", "alice-pw");

        await page.GotoAsync(app.Url + "/taste/movies/tune");
        var preview = page.Locator("#tune-preview ol li");
        await Expect(preview.First).ToBeVisibleAsync();
        var before = await preview.AllInnerTextsAsync();

        // Everything on quality alone: the order follows the community rating instead of the taste.
        foreach (var field in new[] { "similarity", "popularity", "collaborative", "novelty", "diversity" })
        {
            await SlideAsync(page, field, "0");
        }
        await SlideAsync(page, "rating", "1");
        await Expect(page.Locator("#tune-preview ol li").First).Not.ToHaveTextAsync(before[0]);
        await BrowserFixture.ScreenshotAsync(page, "71-tune-preview");
    }

    // A range input cannot be typed into: move it as a drag does, value then an input event.
    private static async Task SlideAsync(IPage page, string field, string value) =>
        await page.Locator($"#w-{field}").EvaluateAsync("(e, v) => { e.value = v; e.dispatchEvent(new Event('input', { bubbles: true })); }", value);
}
