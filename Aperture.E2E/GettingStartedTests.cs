using System.Text.RegularExpressions;
using Aperture.Fakes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Aperture.E2E;

// From a fresh data folder to everyone's picks in the media server, as a new self-hoster clicks through it, on a phone
// and on a desktop: setup, the Getting started checklist, Run everything, the outputs check, and the first run done.
[Collection(BrowserCollection.Name)]
public sealed partial class GettingStartedTests(BrowserFixture browser) : IDisposable
{
    private readonly string media = Directory.CreateTempSubdirectory("aperture-e2e-media-").FullName;

    public void Dispose() => Directory.Delete(media, recursive: true);

    [Theory]
    [InlineData(FakeDialect.Jellyfin, 390)]
    [InlineData(FakeDialect.Jellyfin, 1280)]
    [InlineData(FakeDialect.Emby, 390)]
    [InlineData(FakeDialect.Emby, 1280)]
    public async Task A_fresh_install_goes_from_setup_through_the_checklist_and_run_everything_to_written_picks(FakeDialect dialect, int width)
    {
        FakeUser alice = null!;
        await using var server = await FakeMediaServer.StartAsync(dialect, b =>
        {
            b.User("Admin", "admin-pw", admin: true);
            alice = b.User("alice", "alice-pw");
            var movies = b.MovieLibrary("Movies", media + "/movies");
            for (var i = 0; i < 6; i++)
            {
                var m = b.Movie($"Film {i}", 2000 + i, ["Drama"], $"A story about a family {i}.", tmdb: $"{i}", library: movies);
                if (i == 0)
                {
                    b.Played(alice, m, favorite: true);
                }
            }
        });
        foreach (var item in server.State.Items.Where(i => i.Type == FakeItemType.Movie))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(item.Path!)!);
            await File.WriteAllTextAsync(item.Path!, "video");
        }
        await using var app = new LiveApp().Start();
        await using var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = 900 } });
        var page = await context.NewPageAsync();
        var shot = $"{dialect.ToString().ToLowerInvariant()}-{width}";

        // Setup with the code from the log.
        await page.GotoAsync(app.Url + "/");
        await Expect(page).ToHaveURLAsync(new Regex("/setup$"));
        await page.GetByLabel("Setup code").FillAsync(SetupCodeLine().Match(string.Join('\n', app.Log)).Groups[1].Value);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.GetByLabel("Server address").FillAsync(server.BaseUrl);
        await page.GetByLabel("API key").FillAsync(server.ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and continue" }).ClickAsync();
        await page.GetByLabel("User name").FillAsync("Admin");
        await page.GetByLabel("Password").FillAsync("admin-pw");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // The admin lands on the checklist; the server step is done, the first run is not.
        await Expect(page).ToHaveURLAsync(new Regex("/admin/getting-started$"));
        await Expect(page.Locator("[data-step='Media server']")).ToHaveAttributeAsync("data-done", "true");
        await Expect(page.Locator("[data-step='First run']")).ToHaveAttributeAsync("data-done", "false");
        await NoHorizontalScrollAsync(page);
        await BrowserFixture.ScreenshotAsync(page, $"40-getting-started-{shot}");

        // Narrow screens: the menu button opens the navigation.
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        if (width < 760)
        {
            await Expect(nav).ToBeHiddenAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
            await BrowserFixture.ScreenshotAsync(page, $"41-menu-open-{shot}");
        }
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Admin" })).ToBeVisibleAsync();

        // Run everything once: the catalogue brings the users in.
        var card = page.Locator("#job-run-everything");
        await card.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Expect(card.GetByTestId("job-status")).ToHaveTextAsync("Succeeded", new() { Timeout = 90000 });

        // Users: switch alice's movie picks on.
        await page.Locator("[data-step='Users']").GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        var toggle = page.GetByRole(AriaRole.Switch, new() { Name = "Movie picks for alice" });
        await toggle.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Switch, new() { Name = "Movie picks for alice" })).ToHaveAttributeAsync("aria-checked", "true");
        await NoHorizontalScrollAsync(page);
        await BrowserFixture.ScreenshotAsync(page, $"42-users-{shot}");

        // Outputs: the paths are checked live against a real title and saved.
        await page.GotoAsync(app.Url + "/admin/getting-started");
        await Expect(page.Locator("[data-step='Users']")).ToHaveAttributeAsync("data-done", "true");
        await page.Locator("[data-step='Outputs check']").GetByRole(AriaRole.Link, new() { Name = "Outputs" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Check these paths" }).ClickAsync();
        await Expect(page.Locator("[data-paths-check='passed']")).ToContainTextAsync("Check passed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Saved");
        await NoHorizontalScrollAsync(page);
        await BrowserFixture.ScreenshotAsync(page, $"43-outputs-{shot}");

        // Run everything again: alice's picks become her library in the server, and the checklist is complete.
        await page.GotoAsync(app.Url + "/admin/getting-started");
        await Expect(page.Locator("[data-step='Outputs check']")).ToHaveAttributeAsync("data-done", "true");
        await Expect(page.Locator("[data-step='First run']")).ToHaveAttributeAsync("data-done", "false");
        card = page.Locator("#job-run-everything");
        await card.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        // The card comes back with the new run in it (Run now disabled), then ends live.
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Run now" })).ToBeDisabledAsync();
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Run now" })).ToBeEnabledAsync(new() { Timeout = 90000 });
        await Expect(card.GetByTestId("job-status")).ToHaveTextAsync("Succeeded");
        await page.ReloadAsync();
        await Expect(page.Locator("[data-step='First run']")).ToHaveAttributeAsync("data-done", "true");
        await BrowserFixture.ScreenshotAsync(page, $"44-done-{shot}");
        Assert.Contains(server.State.LibrariesVisibleTo(alice), l => l.Name == "AI Picks - alice");
        Assert.DoesNotContain(server.State.Libraries, l => l.Name == "Top Picks - Series");

        // The home page now leads to the picks.
        await page.GotoAsync(app.Url + "/");
        await Expect(page).ToHaveURLAsync(new Regex("/picks$"));
    }

    private static async Task NoHorizontalScrollAsync(IPage page)
    {
        var (scroll, client) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("document.documentElement.clientWidth"));
        Assert.True(scroll <= client, $"{page.Url} is {scroll} px wide in a {client} px window");
    }

    [GeneratedRegex(@"setup code: ([A-Z0-9]{4}-[A-Z0-9]{4})")]
    private static partial Regex SetupCodeLine();
}
