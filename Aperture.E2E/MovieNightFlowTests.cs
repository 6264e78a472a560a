using System.Text.RegularExpressions;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Tests.Channels;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Aperture.Progress;
using static Microsoft.Playwright.Assertions;

namespace Aperture.E2E;

// Issue 17's movie night as people use it: bob allows movie nights on his page, carol already has; alice, on a 360 px phone,
// opens Movie night from the menu, picks bob and carol, gets one list with a fit bar per person and saves it as a channel.
[Collection(BrowserCollection.Name)]
public sealed class MovieNightFlowTests(BrowserFixture browser)
{
    [Fact]
    public async Task Alice_plans_a_movie_night_for_three_on_a_phone_and_saves_it_as_a_channel()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            ChannelCatalog.NoirAndWesterns(b, "secret-pw");
            var noir = b.State.Items.Where(i => i.Name.StartsWith("Night Street", StringComparison.Ordinal)).ToList();
            var westerns = b.State.Items.Where(i => i.Name.StartsWith("Frontier", StringComparison.Ordinal)).ToList();
            b.Played(b.State.User("alice"), noir[0], lastPlayed: DateTimeOffset.UtcNow.AddDays(-3));
            b.Played(b.State.User("bob"), westerns[0], lastPlayed: DateTimeOffset.UtcNow.AddDays(-3));
            b.Played(b.State.User("carol"), noir[1], lastPlayed: DateTimeOffset.UtcNow.AddDays(-3));
        });
        var app = new LiveApp();
        await using var _ = app.Start();
        await app.ConnectAsync(server);
        foreach (var job in new[] { JobNames.SyncMovies, JobNames.SyncWatchHistory, JobNames.GenerateEmbeddings })
        {
            await app.RunJobAsync(job);
        }

        // bob allows it himself, on his Movie night page.
        await using var bobContext = await browser.Browser.NewContextAsync();
        var bob = await bobContext.NewPageAsync();
        await SignIn.AsAsync(bob, app, "bob", "secret-pw");
        await bob.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Movie night" }).ClickAsync();
        await bob.GetByRole(AriaRole.Button, new() { Name = "Allow movie night with me" }).ClickAsync();
        await Expect(bob.GetByRole(AriaRole.Button, new() { Name = "Stop allowing movie night with me" })).ToBeVisibleAsync();
        var carolId = server.State.User("carol").Id;
        await app.WithDbAsync(db => db.Users.Where(u => u.Id == carolId).ExecuteUpdateAsync(s => s.SetProperty(u => u.AllowGroupPicks, true)));

        await using var aliceContext = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 360, Height = 780 } });
        var page = await aliceContext.NewPageAsync();
        await SignIn.AsAsync(page, app, "alice", "secret-pw");
        await page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Movie night" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Movie night", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("alice")).ToBeCheckedAsync();
        await page.GetByLabel("bob").CheckAsync();
        await page.GetByLabel("carol").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Find our picks" }).ClickAsync();

        var picks = page.GetByRole(AriaRole.List, new() { Name = "Movie night picks" }).GetByRole(AriaRole.Listitem);
        await Expect(picks.First).ToBeVisibleAsync();
        var count = await picks.CountAsync();
        // Twelve films, three seen by one of them each: nine for all three, each with a fit bar per person and one line why.
        Assert.Equal(9, count);
        foreach (var name in new[] { "alice", "bob", "carol" })
        {
            await Expect(picks.First.GetByRole(AriaRole.Meter, new() { Name = $"Fit for {name}" })).ToBeVisibleAsync();
        }
        await Expect(picks.First.Locator(".why")).ToContainTextAsync(new Regex("^(For all 3 of you|Best for|A middle ground)"));
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Movie night picks" })).Not.ToContainTextAsync("Night Street 0");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Movie night picks" })).Not.ToContainTextAsync("Frontier 0");
        // Nothing wider than the phone.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
        await BrowserFixture.ScreenshotAsync(page, "50-movie-night");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Friday night");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save as channel" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/channels/\d+$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Friday night" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Titles in this channel" }).GetByRole(AriaRole.Listitem)).ToHaveCountAsync(count);
        await Expect(page.Locator("#channel-body")).ToContainTextAsync("shared with bob, carol");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Generate" })).ToHaveCountAsync(0);

        // bob finds it shared with him.
        await bob.GotoAsync(app.Url + "/channels");
        await Expect(bob.GetByRole(AriaRole.Link, new() { Name = "Friday night" })).ToBeVisibleAsync();
    }
}
