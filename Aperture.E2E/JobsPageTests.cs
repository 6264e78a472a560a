using System.Text.RegularExpressions;
using Aperture.Fakes;
using Aperture.Tests.Jobs;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Aperture.E2E;

[Collection(BrowserCollection.Name)]
public sealed partial class JobsPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Run_now_shows_the_progress_bar_advancing_live_then_the_finished_run_in_the_history_without_a_reload()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b => b.User("Admin", "admin-pw", admin: true));
        var app = new LiveApp();
        app.WithTestJobs();
        await using var _ = app.Start();
        await app.ConnectAsync(server);
        await using var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(app.Url + "/login");
        await page.GetByLabel("User name").FillAsync("Admin");
        await page.GetByLabel("Password").FillAsync("admin-pw");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/admin/getting-started$"));

        await page.GotoAsync(app.Url + "/admin");
        await page.GetByRole(AriaRole.Link, new() { Name = "Jobs", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/admin/jobs$"));
        var card = page.Locator($"#job-{SlowJob.Name}");
        await Expect(card.GetByTestId("job-status")).ToHaveTextAsync("Never run");
        // Set on this page instance: still there at the end only if the page never reloaded.
        await page.EvaluateAsync("() => window.apertureMarker = 'same page'");

        await card.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Expect(card.GetByTestId("job-status")).ToHaveTextAsync("Running");
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Run now" })).ToBeDisabledAsync();
        var bar = card.Locator("progress.job-bar");
        // A value strictly between the start and the end: the bar advanced while the job ran.
        await Expect(bar).ToHaveAttributeAsync("value", new Regex(@"^([1-9]|1[01])$"), new() { Timeout = 15000 });
        await Expect(card.Locator(".progress-head .stage")).ToHaveTextAsync("Walking");
        await Expect(card.Locator(".progress-message")).ToContainTextAsync(new Regex(@"Step \d+"));
        await BrowserFixture.ScreenshotAsync(page, "10-jobs-running");

        await Expect(card.GetByTestId("job-status")).ToHaveTextAsync("Succeeded", new() { Timeout = 30000 });
        await Expect(bar).ToHaveCountAsync(0);
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Run now" })).ToBeEnabledAsync();
        Assert.Equal("same page", await page.EvaluateAsync<string>("() => window.apertureMarker"));

        await card.Locator("summary", new() { HasText = "Run history" }).ClickAsync();
        var history = card.Locator($"#history-{SlowJob.Name}");
        await Expect(history.Locator("tbody tr").First).ToContainTextAsync("Succeeded");
        await Expect(history).ToContainTextAsync("Admin");
        await Expect(history).ToContainTextAsync("12 steps");
        await history.GetByRole(AriaRole.Button, new() { Name = "Log" }).First.ClickAsync();
        await Expect(history.Locator(".run-log")).ToContainTextAsync("Walked all the steps");
        await BrowserFixture.ScreenshotAsync(page, "11-jobs-finished");
    }
}
