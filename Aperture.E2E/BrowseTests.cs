using System.Text.RegularExpressions;
using Aperture.Fakes;
using Aperture.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Aperture.E2E;

[Collection(BrowserCollection.Name)]
public sealed class BrowseTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_user_filters_movies_by_genre_without_a_reload_and_opens_a_title_with_their_watch_state_and_a_jellyfin_link()
    {
        FakeItem alien = null!;
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            var alice = b.User("alice", "alice-pw");
            b.User("Admin", "admin-pw", admin: true);
            alien = b.Movie("Alien", 1979, ["Horror", "Science Fiction"], "The crew of the Nostromo answers a distress call from a derelict ship.",
                [FakePerson.Director("Ridley Scott"), FakePerson.Actor("Sigourney Weaver", "Ellen Ripley"), FakePerson.Actor("Tom Skerritt", "Dallas")],
                tmdb: "348", imdb: "tt0078748", communityRating: 8.5, officialRating: "R", studios: ["20th Century Fox"], runtimeMinutes: 117,
                with: i =>
                {
                    i.Taglines.Add("In space no one can hear you scream.");
                    i.BackdropImageTag = "backdrop1";
                });
            b.Movie("Aliens", 1986, ["Action", "Science Fiction"], communityRating: 8.4, runtimeMinutes: 137);
            b.Movie("Blade Runner", 1982, ["Science Fiction", "Drama"], communityRating: 8.1, runtimeMinutes: 117, with: i => i.PrimaryImageTag = null);
            b.Movie("Casablanca", 1942, ["Drama", "Romance"], communityRating: 8.5, runtimeMinutes: 102);
            b.Movie("Heat", 1995, ["Crime", "Drama"], communityRating: 8.3, runtimeMinutes: 170);
            var thing = b.Movie("The Thing", 1982, ["Horror"], communityRating: 8.2, runtimeMinutes: 109, with: i => i.PrimaryImageTag = null);
            b.Movie("Zodiac", 2007, ["Crime", "Mystery"], communityRating: 7.7, runtimeMinutes: 157);
            var dark = b.Series("Dark", 2017, ["Science Fiction", "Mystery"], "A missing child sets four families on a hunt through time.",
                communityRating: 8.7, studios: ["Netflix"], seasons: 2, episodesPerSeason: 3);
            b.Played(alice, alien, playCount: 2, lastPlayed: new DateTimeOffset(2024, 3, 1, 21, 30, 0, TimeSpan.Zero), favorite: true, rating: 9);
            b.Played(alice, thing);
            b.Played(alice, b.State.EpisodesOf(dark)[0]);
        });
        await using var app = new LiveApp().Start();
        await app.ConnectAsync(server);
        var ids = await FakeImport.ImportAsync(app, server);

        await using var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, app, "alice", "alice-pw");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Browse" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/browse/movies$"));
        var cards = page.Locator(".poster-card");
        await Expect(cards).ToHaveCountAsync(7);
        await Expect(page.Locator(".result-count")).ToContainTextAsync("7 movies");
        await Expect(page.Locator(".poster-card img").First).ToHaveJSPropertyAsync("complete", true);
        await BrowserFixture.ScreenshotAsync(page, "browse-1-movies");

        // htmx swaps the grid in place: a value set on the window survives, and the address follows the filter.
        await page.EvaluateAsync("() => window.__sameDocument = true");
        await page.GetByLabel("Genre").SelectOptionAsync("Horror");
        await Expect(cards).ToHaveCountAsync(2);
        await Expect(page).ToHaveURLAsync(new Regex(@"/browse/movies\?genre=Horror$"));
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"));
        await Expect(cards.Locator(".name")).ToHaveTextAsync(["Alien", "The Thing"]);
        await Expect(cards.Filter(new() { HasText = "The Thing" }).Locator(".badge.watched")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "browse-2-horror");

        // A refresh keeps the filter.
        await page.ReloadAsync();
        await Expect(cards).ToHaveCountAsync(2);
        await Expect(page.GetByLabel("Genre")).ToHaveValueAsync("Horror");

        await cards.Filter(new() { HasText = "Alien" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/browse/movies/{ids[alien.Id]}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Alien", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator(".tagline")).ToHaveTextAsync("“In space no one can hear you scream.”");
        await Expect(page.Locator(".title-page")).ToContainTextAsync("Ridley Scott");
        await Expect(page.Locator(".title-page")).ToContainTextAsync("Ellen Ripley");
        var watch = page.Locator(".watch-state");
        await Expect(watch).ToContainTextAsync("Play count2");
        await Expect(watch).ToContainTextAsync("2024-03-01");
        await Expect(watch).ToContainTextAsync("♥ Yes");
        var open = page.GetByRole(AriaRole.Link, new() { Name = "Open in Jellyfin" });
        await Expect(open).ToHaveAttributeAsync("href", $"{server.BaseUrl}/web/#/details?id={alien.Id}&serverId={server.ServerId}");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "IMDb" })).ToHaveAttributeAsync("href", "https://www.imdb.com/title/tt0078748/");
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Poster of Alien" })).ToHaveJSPropertyAsync("naturalWidth", 1);
        Assert.DoesNotContain(server.ApiKey, await page.ContentAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "browse-3-title-movie");

        await page.GotoAsync(app.Url + "/browse/series");
        await page.Locator(".poster-card").Filter(new() { HasText = "Dark" }).ClickAsync();
        await Expect(page.Locator(".watch-state")).ToContainTextAsync("1 of 6 episodes");
        await Expect(page.Locator(".season summary")).ToHaveCountAsync(2);
        await Expect(page.Locator(".season").First.Locator("tr.played")).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page, "browse-4-title-series");

        await using var adminContext = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var admin = await adminContext.NewPageAsync();
        await SignIn.AsAsync(admin, app, "Admin", "admin-pw");
        await admin.GotoAsync(app.Url + "/admin");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Database" }).Last.ClickAsync();
        await Expect(admin.Locator("#row-counts tr[data-key=movies] td")).ToHaveTextAsync("7");
        await BrowserFixture.ScreenshotAsync(admin, "browse-5-admin-database");
    }

    [Fact]
    public async Task Browse_without_javascript_still_filters_through_the_form()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Emby, b =>
        {
            b.User("alice", "alice-pw");
            b.Movie("Alien", 1979, ["Horror"]);
            b.Movie("Heat", 1995, ["Crime"]);
        });
        await using var app = new LiveApp().Start();
        await app.ConnectAsync(server);
        await FakeImport.ImportAsync(app, server);
        await using var context = await browser.Browser.NewContextAsync(new() { JavaScriptEnabled = false });
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, app, "alice", "alice-pw");

        await page.GotoAsync(app.Url + "/browse/movies");
        await Expect(page.Locator(".poster-card")).ToHaveCountAsync(2);
        await page.GetByLabel("Genre").SelectOptionAsync("Crime");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("genre=Crime"));
        await Expect(page.Locator(".poster-card .name")).ToHaveTextAsync(["Heat"]);
        await page.Locator(".poster-card").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Open in Emby" })).ToHaveAttributeAsync("href", new Regex(@"/web/index\.html#!/item\?id=\d+&serverId="));
    }
}
