using System.Text.RegularExpressions;
using Aperture.Fakes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Aperture.E2E;

[Collection(BrowserCollection.Name)]
public sealed partial class FirstRunTests(BrowserFixture browser)
{
    [Fact]
    public async Task First_run_setup_then_admin_sees_the_server_and_a_normal_user_sees_no_admin_menu()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "admin-pw", admin: true);
            b.User("alice", "alice-pw");
        });
        server.ServerName = "Living Room Jellyfin";
        await using var app = new LiveApp().Start();
        await using var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        // A fresh install leads to setup, which asks for the code printed in the log.
        await page.GotoAsync(app.Url + "/");
        await Expect(page).ToHaveURLAsync(new Regex("/setup$"));
        var code = SetupCodeLine().Match(string.Join('\n', app.Log)).Groups[1].Value;
        Assert.NotEmpty(code);
        await BrowserFixture.ScreenshotAsync(page, "01-setup-code");
        await page.GetByLabel("Setup code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        await page.GetByLabel("Server address").FillAsync(server.BaseUrl);
        await page.GetByLabel("API key").FillAsync(server.ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Expect(page.Locator("#connection-test")).ToContainTextAsync("Connected to Living Room Jellyfin");
        await BrowserFixture.ScreenshotAsync(page, "02-setup-tested");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and continue" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/login"));
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("connected to Jellyfin (Living Room Jellyfin)");
        await page.GetByLabel("User name").FillAsync("Admin");
        await page.GetByLabel("Password").FillAsync("admin-pw");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/admin/getting-started$"));
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await nav.GetByRole(AriaRole.Link, new() { Name = "Admin" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Media server settings" }).ClickAsync();
        await Expect(page.Locator("#current-server")).ToContainTextAsync("Living Room Jellyfin");
        await Expect(page.Locator("#current-server")).ToContainTextAsync(server.Version);
        await Expect(page.GetByLabel("API key")).ToHaveAttributeAsync("placeholder", new Regex("•••• set"));
        Assert.DoesNotContain(server.ApiKey, await page.ContentAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "03-admin-media-server");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/login"));

        await page.GetByLabel("User name").FillAsync("alice");
        await page.GetByLabel("Password").FillAsync("wrong");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Invalid username or password.");

        await page.GetByLabel("Password").FillAsync("alice-pw");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/picks$"));
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Picks", Exact = true })).ToBeVisibleAsync();
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Admin" })).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "04-user-picks");

        var forbidden = await page.GotoAsync(app.Url + "/admin");
        Assert.Equal(403, forbidden!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
    }

    [GeneratedRegex(@"setup code: ([A-Z0-9]{4}-[A-Z0-9]{4})")]
    private static partial Regex SetupCodeLine();
}
