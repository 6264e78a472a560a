using System.Text.RegularExpressions;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Tests.Channels;
using Aperture.Tests.Infrastructure;
using Microsoft.Playwright;
using Aperture.Progress;
using static Microsoft.Playwright.Assertions;

namespace Aperture.E2E;

// Issue 8 as people use it: alice makes a channel from words and one example picked with the search box, generates it,
// sees the posters and why, syncs it to Jellyfin, shares it with bob; bob reads it; alice deletes it (after confirming).
[Collection(BrowserCollection.Name)]
public sealed class ChannelsFlowTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_user_creates_a_channel_from_words_and_an_example_generates_syncs_and_shares_it()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b => ChannelCatalog.NoirAndWesterns(b, "secret-pw"));
        var app = new LiveApp();
        await using var _ = app.Start();
        await app.ConnectAsync(server);
        foreach (var job in new[] { JobNames.SyncMovies, JobNames.GenerateEmbeddings })
        {
            await app.RunJobAsync(job);
        }

        await using var aliceContext = await browser.Browser.NewContextAsync();
        var page = await aliceContext.NewPageAsync();
        await SignIn.AsAsync(page, app, "alice", "secret-pw");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Channels" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My Channels" })).ToBeVisibleAsync();

        await page.GetByLabel("Describe it in words").FillAsync("noir detective stories in the rain");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Rainy noir");
        await page.GetByLabel("Example titles").FillAsync("night street 2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add Night Street 2 as an example" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Examples" })).ToContainTextAsync("Night Street 2 (1947)");
        // (A full-page screenshot resizes the viewport for a moment: it is taken before the last field, not right before a click.)
        await BrowserFixture.ScreenshotAsync(page, "40-channel-new");
        await page.GetByLabel("Size").FillAsync("4");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create channel" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/channels/\d+$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Rainy noir" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Not generated yet.")).ToBeVisibleAsync();

        // Generate (htmx): four noir posters, each with why it is there.
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Generated 4 titles.");
        var titles = page.GetByRole(AriaRole.List, new() { Name = "Titles in this channel" }).GetByRole(AriaRole.Listitem);
        await Expect(titles).ToHaveCountAsync(4);
        foreach (var title in await titles.AllAsync())
        {
            await Expect(title).ToContainTextAsync("Night Street");
        }
        await Expect(titles.First.Locator(".why")).Not.ToBeEmptyAsync();

        // Sync: one private playlist for alice in Jellyfin, in the channel's order.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sync to media server" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Synced to the media server as 1 private playlist.");
        var playlist = Assert.Single(server.State.Items, i => i.Playlist is not null);
        Assert.Equal("Rainy noir", playlist.Name);
        Assert.False(playlist.Playlist!.IsPublic);
        Assert.Equal(server.State.User("alice").Id, playlist.Playlist.OwnerUserId);
        Assert.Equal(4, playlist.LinkedItems.Count);

        // Share with bob: the playlist is made again with a read-only share (under the API key Jellyfin changes no shares).
        await page.GetByLabel("bob").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save sharing" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Sharing saved.");
        await Expect(page.Locator("#channel-body")).ToContainTextAsync("shared with bob");
        Assert.Null(server.State.FindItem(playlist.Id));
        playlist = Assert.Single(server.State.Items, i => i.Playlist is not null);
        Assert.Equal([new FakePlaylistShare(server.State.User("bob").Id, false)], playlist.Playlist!.Shares);
        Assert.Equal(4, playlist.LinkedItems.Count);
        await BrowserFixture.ScreenshotAsync(page, "41-channel");
        var channelUrl = page.Url;

        // bob finds it under "Shared with me" and reads it, without the owner's controls.
        await using var bobContext = await browser.Browser.NewContextAsync();
        var bobPage = await bobContext.NewPageAsync();
        await SignIn.AsAsync(bobPage, app, "bob", "secret-pw");
        await bobPage.GotoAsync(app.Url + "/channels");
        await Expect(bobPage.GetByRole(AriaRole.Heading, new() { Name = "Shared with me" })).ToBeVisibleAsync();
        await bobPage.GetByRole(AriaRole.Link, new() { Name = "Rainy noir" }).ClickAsync();
        await Expect(bobPage.GetByRole(AriaRole.List, new() { Name = "Titles in this channel" }).GetByRole(AriaRole.Listitem)).ToHaveCountAsync(4);
        await Expect(bobPage.GetByText("shared with you")).ToBeVisibleAsync();
        await Expect(bobPage.GetByRole(AriaRole.Button, new() { Name = "Delete channel" })).ToHaveCountAsync(0);
        await Expect(bobPage.GetByRole(AriaRole.Button, new() { Name = "Generate" })).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(bobPage, "42-channel-shared");

        // alice deletes it: dismissing the confirmation keeps it; accepting removes the channel and its playlist.
        await page.GotoAsync(channelUrl);
        page.Dialog += DismissOnce;
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete channel" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(channelUrl);
        Assert.NotNull(server.State.FindItem(playlist.Id));
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete channel" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/channels$"));
        await Expect(page.GetByText("No channels yet.")).ToBeVisibleAsync();
        Assert.Null(server.State.FindItem(playlist.Id));

        void DismissOnce(object? sender, IDialog dialog)
        {
            page.Dialog -= DismissOnce;
            dialog.DismissAsync();
        }
    }
}
