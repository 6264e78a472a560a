using System.Text.RegularExpressions;
using Aperture.Fakes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Aperture.E2E;

// Issue 4 as an admin does it: choose a library, run sync-movies, watch it live, then browse what it brought.
[Collection(BrowserCollection.Name)]
public sealed class SyncFlowTests(BrowserFixture browser)
{
    [Fact]
    public async Task Admin_enables_a_library_runs_sync_movies_live_and_then_browses_and_opens_a_synced_title()
    {
        string[] genres = ["Horror", "Comedy", "Drama", "Science Fiction"];
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "admin-pw", admin: true);
            var movies = b.MovieLibrary("Films", "/media/films");
            b.ShowLibrary("Kids TV", "/media/kids");
            b.Movie("Alien", 1979, ["Horror", "Science Fiction"], "The crew of the Nostromo answers a distress call.", tmdb: "348", communityRating: 8.5, library: movies);
            for (var i = 0; i < 39; i++)
            {
                b.Movie($"Film {i:00}", 1980 + i, [genres[i % genres.Length]], $"Story {i}.", library: movies);
            }
        });
        // Small pages, each a little slow, so the bar has time to be seen moving.
        server.Faults.Add(FaultRule.OnPath("/Items").Forever().Respond(Fault.Delay(TimeSpan.FromMilliseconds(150))));
        var app = new LiveApp();
        app.With("Sync:PageSize", "3");
        await using var _ = app.Start();
        await app.ConnectAsync(server);
        await using var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await SignIn.AsAsync(page, app, "Admin", "admin-pw");

        // Choose the movie library.
        await page.GotoAsync(app.Url + "/admin");
        await page.GetByRole(AriaRole.Link, new() { Name = "Libraries" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh from server" }).ClickAsync();
        var films = page.GetByRole(AriaRole.Switch, new() { Name = "Sync Films" });
        if (await films.GetAttributeAsync("aria-checked") != "true")
        {
            await films.ClickAsync();
        }
        await Expect(page.GetByRole(AriaRole.Switch, new() { Name = "Sync Films" })).ToHaveAttributeAsync("aria-checked", "true");
        var kids = page.GetByRole(AriaRole.Switch, new() { Name = "Sync Kids TV" });
        if (await kids.GetAttributeAsync("aria-checked") == "true")
        {
            await kids.ClickAsync();
        }
        await BrowserFixture.ScreenshotAsync(page, "20-libraries");

        // Run sync-movies and watch it live.
        await page.GotoAsync(app.Url + "/admin/jobs");
        var card = page.Locator("#job-sync-movies");
        await card.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await page.WaitForFunctionAsync(
            "() => { const b = document.querySelector('#job-sync-movies progress.job-bar'); return b && b.value > 0 && b.value < b.max; }",
            null, new() { Timeout = 20000 });
        await BrowserFixture.ScreenshotAsync(page, "21-sync-running");
        await Expect(card.GetByTestId("job-status")).ToHaveTextAsync("Succeeded", new() { Timeout = 60000 });
        await card.Locator("summary", new() { HasText = "Run history" }).ClickAsync();
        await Expect(card.Locator($"#history-sync-movies tbody tr").First).ToContainTextAsync("Succeeded");
        await BrowserFixture.ScreenshotAsync(page, "22-sync-finished");

        // Browse what came in and open a title.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Browse" }).ClickAsync();
        await Expect(page.Locator(".result-count")).ToContainTextAsync("40");
        await page.Locator("a.poster-card", new() { HasText = "Alien" }).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Alien", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Open in Jellyfin" })).ToHaveAttributeAsync("href", new Regex(Regex.Escape(server.BaseUrl) + "/web/#/details\\?id="));
        await BrowserFixture.ScreenshotAsync(page, "23-synced-title");
    }
}
