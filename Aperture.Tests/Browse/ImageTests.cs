using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Fakes;
using Microsoft.EntityFrameworkCore;
using Aperture.Tests.Infrastructure;

namespace Aperture.Tests;

// Posters and backdrops come through Aperture: /images/{titleId}/{primary|backdrop}.
public sealed class ImageTests
{
    private sealed record Setup(FakeMediaServer Server, AppFactory App, HttpClient Alice, FakeItem Alien, long AlienId, long BareId) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Server.DisposeAsync();
        }

        public int ImageCalls => Server.Calls.Count(c => c.Path.Contains("/Images/", StringComparison.Ordinal));
    }

    // Alien has a poster and a backdrop on the server; "Bare" has no image at all.
    private static async Task<Setup> StartAsync(FakeDialect dialect = FakeDialect.Jellyfin)
    {
        FakeItem alien = null!;
        FakeItem bare = null!;
        var server = await FakeMediaServer.StartAsync(dialect, b =>
        {
            b.User("alice", "pw");
            alien = b.Movie("Alien", 1979, with: i => i.BackdropImageTag = "b4ckdr0p7a9");
            bare = b.Movie("Bare", 2000, with: i => i.PrimaryImageTag = null);
        });
        var app = new AppFactory();
        await app.ConnectAsync(server);
        var alice = await app.SignedInClientAsync("alice", "pw");
        var ids = await FakeImport.ImportAsync(app, server);
        server.ClearCalls();
        return new Setup(server, app, alice, alien, ids[alien.Id], ids[bare.Id]);
    }

    private static async Task<byte[]> ServerBytesAsync(FakeMediaServer server, string itemId)
    {
        using var http = new HttpClient();
        return await http.GetByteArrayAsync($"{server.BaseUrl}/Items/{itemId}/Images/Primary");
    }

    [Theory]
    [InlineData(FakeDialect.Jellyfin)]
    [InlineData(FakeDialect.Emby)]
    public async Task A_poster_is_proxied_with_its_bytes_content_type_and_an_etag_from_its_tag(FakeDialect dialect)
    {
        await using var s = await StartAsync(dialect);
        var tag = s.Alien.PrimaryImageTag!;
        var original = await ServerBytesAsync(s.Server, s.Alien.Id);
        s.Server.ClearCalls();

        var response = await s.Alice.GetAsync($"/images/{s.AlienId}/primary?v={tag}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(original, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal($"\"{tag}\"", response.Headers.ETag?.Tag);
        Assert.True(response.Headers.CacheControl?.Private);
        Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl?.MaxAge);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());

        // The server was asked once, for that tag, with the key in a header and never in the URL.
        var call = Assert.Single(s.Server.Calls, c => c.Path.EndsWith($"/Items/{s.Alien.Id}/Images/Primary", StringComparison.Ordinal));
        Assert.Equal(tag, call.Query("tag"));
        Assert.Equal(s.Server.ApiKey, call.Token);
        Assert.DoesNotContain(s.Server.ApiKey, call.QueryString, StringComparison.Ordinal);

        // Without the current tag in the URL the browser must revalidate.
        var unversioned = await s.Alice.GetAsync($"/images/{s.AlienId}/primary");
        Assert.True(unversioned.Headers.CacheControl?.NoCache);

        var backdrop = await s.Alice.GetAsync($"/images/{s.AlienId}/backdrop");
        Assert.Equal(HttpStatusCode.OK, backdrop.StatusCode);
        Assert.Equal("\"b4ckdr0p7a9\"", backdrop.Headers.ETag?.Tag);
    }

    // Features hand out a TitleImage; the API's JSON writes it as the same link it always sent, and that link works.
    [Fact]
    public async Task Browse_json_links_posters_and_backdrops_as_images_routes_with_their_tag_and_the_links_serve_them()
    {
        await using var s = await StartAsync();
        var page = await s.Alice.GetFromJsonAsync<JsonElement>("/api/movies?pageSize=100");
        var cards = page.GetProperty("items").EnumerateArray().ToList();
        var alien = cards.Single(c => c.GetProperty("id").GetInt64() == s.AlienId);
        var poster = alien.GetProperty("posterUrl").GetString();
        Assert.Equal($"/images/{s.AlienId}/primary?v={Uri.EscapeDataString(s.Alien.PrimaryImageTag!)}", poster);
        Assert.Equal(JsonValueKind.Null, cards.Single(c => c.GetProperty("id").GetInt64() == s.BareId).GetProperty("posterUrl").ValueKind);

        var title = await s.Alice.GetFromJsonAsync<JsonElement>($"/api/movies/{s.AlienId}");
        Assert.Equal(poster, title.GetProperty("posterUrl").GetString());
        var backdrop = title.GetProperty("backdropUrl").GetString();
        Assert.Equal($"/images/{s.AlienId}/backdrop?v=b4ckdr0p7a9", backdrop);

        foreach (var link in new[] { poster!, backdrop! })
        {
            var response = await s.Alice.GetAsync(link);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("image/", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            // The link names the current tag, so the browser may keep it for good.
            Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl?.MaxAge);
        }
    }

    [Fact]
    public async Task A_matching_if_none_match_is_a_304_without_asking_the_server_and_a_stale_one_gets_the_image()
    {
        await using var s = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/images/{s.AlienId}/primary");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{s.Alien.PrimaryImageTag}\""));
        var response = await s.Alice.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal($"\"{s.Alien.PrimaryImageTag}\"", response.Headers.ETag?.Tag);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(0, s.ImageCalls);

        using var stale = new HttpRequestMessage(HttpMethod.Get, $"/images/{s.AlienId}/primary");
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"an-old-tag\""));
        Assert.Equal(HttpStatusCode.OK, (await s.Alice.SendAsync(stale)).StatusCode);
    }

    [Fact]
    public async Task An_image_is_kept_in_the_data_folder_and_served_from_there_even_when_the_server_is_gone()
    {
        await using var s = await StartAsync();
        var first = await (await s.Alice.GetAsync($"/images/{s.AlienId}/primary")).Content.ReadAsByteArrayAsync();
        Assert.Equal(1, s.ImageCalls);
        var cached = Directory.EnumerateFiles(Path.Combine(s.App.DataDirectory, "cache", "images"), "*", SearchOption.AllDirectories).ToList();
        Assert.Equal(first, await File.ReadAllBytesAsync(Assert.Single(cached)));

        await s.Server.DisposeAsync();
        var again = await s.Alice.GetAsync($"/images/{s.AlienId}/primary");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("image/png", again.Content.Headers.ContentType?.MediaType);
        Assert.Equal(first, await again.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task No_image_is_a_404_whether_the_title_has_no_tag_the_server_has_none_the_title_or_the_type_is_unknown()
    {
        await using var s = await StartAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await s.Alice.GetAsync($"/images/{s.BareId}/primary")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Alice.GetAsync($"/images/{s.BareId}/backdrop")).StatusCode);
        Assert.Equal(0, s.ImageCalls);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Alice.GetAsync("/images/987654/primary")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Alice.GetAsync($"/images/{s.AlienId}/logo")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Alice.GetAsync($"/images/{s.AlienId}/0")).StatusCode);

        // The database still has a tag, but the image is gone from the server: 404, and nothing cached.
        s.Alien.PrimaryImageTag = null;
        var gone = await s.Alice.GetAsync($"/images/{s.AlienId}/primary");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(1, s.ImageCalls);
        Assert.True(gone.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_gives_a_placeholder_quickly_and_is_left_alone_for_a_while()
    {
        await using var s = await StartAsync();
        // Counted as the request arrives: the fake records a hung call only once the client has hung up.
        var hang = s.Server.Faults.Add(FaultRule.OnPath("/Images/").Forever().Respond(Fault.Timeout));

        var first = await s.Alice.GetAsync($"/images/{s.AlienId}/primary");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("image/svg+xml", first.Content.Headers.ContentType?.MediaType);
        Assert.True(first.Headers.CacheControl?.NoStore);
        Assert.Null(first.Headers.ETag);
        // On a loaded machine the hung request may reach the fake just after the client gave up.
        for (var waited = 0; hang.Hits == 0 && waited < 5000; waited += 50)
        {
            await Task.Delay(50);
        }
        Assert.Equal(1, hang.Hits);

        // The next posters of the grid do not wait on the dead server again.
        var second = await s.Alice.GetAsync($"/images/{s.AlienId}/backdrop");
        Assert.Equal("image/svg+xml", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, hang.Hits);
        Assert.Empty(Directory.Exists(Path.Combine(s.App.DataDirectory, "cache", "images"))
            ? Directory.EnumerateFiles(Path.Combine(s.App.DataDirectory, "cache", "images"), "*", SearchOption.AllDirectories)
            : []);
    }

    [Fact]
    public async Task A_server_error_or_a_non_image_answer_gives_a_placeholder_and_is_not_cached()
    {
        await using var s = await StartAsync();
        s.Server.Faults.Add(FaultRule.OnPath("/Images/").OnCall(1).Respond(Fault.Status(500)));
        s.Server.Faults.Add(FaultRule.OnPath("/Images/").OnCall(2).Respond(Fault.Status(200, "<html>login</html>")));

        var error = await s.Alice.GetAsync($"/images/{s.AlienId}/primary");
        Assert.Equal("image/svg+xml", error.Content.Headers.ContentType?.MediaType);
        var html = await s.Alice.GetAsync($"/images/{s.AlienId}/primary");
        Assert.Equal("image/svg+xml", html.Content.Headers.ContentType?.MediaType);
        // One bad answer is about one image: the server is asked again, and now answers.
        var ok = await s.Alice.GetAsync($"/images/{s.AlienId}/primary");
        Assert.Equal("image/png", ok.Content.Headers.ContentType?.MediaType);
        Assert.Equal(3, s.ImageCalls);
    }

    [Fact]
    public async Task Images_are_for_signed_in_users_only()
    {
        await using var s = await StartAsync();
        var anonymous = s.App.CreateBrowserlessClient();
        var response = await anonymous.GetAsync($"/images/{s.AlienId}/primary");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login", response.Headers.Location!.AbsolutePath);
        Assert.Equal(0, s.ImageCalls);
    }

    [Fact]
    public async Task A_browser_revalidating_the_address_of_its_tag_gets_304_with_that_etag_and_immutable_caching()
    {
        await using var s = await StartAsync();
        var tag = s.Alien.PrimaryImageTag!;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/images/{s.AlienId}/primary?v={tag}");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{tag}\""));
        var response = await s.Alice.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal($"\"{tag}\"", response.Headers.ETag?.Tag);
        Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl?.MaxAge);
        Assert.Equal(0, s.ImageCalls);

        // "*" is not a tag this address names: the answer comes from the catalogue, and a title without one is a 404.
        using var any = new HttpRequestMessage(HttpMethod.Get, $"/images/{s.BareId}/primary?v=whatever");
        any.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Alice.SendAsync(any)).StatusCode);
    }

    [Fact]
    public async Task Revalidating_a_poster_without_being_signed_in_is_refused_not_answered_304()
    {
        await using var s = await StartAsync();
        var tag = s.Alien.PrimaryImageTag!;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/images/{s.AlienId}/primary?v={tag}");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{tag}\""));
        var response = await s.App.CreateBrowserlessClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login", response.Headers.Location!.AbsolutePath);
        Assert.Null(response.Headers.ETag);
    }

    [Fact]
    public async Task A_served_poster_has_last_modified_and_a_new_tag_is_served_at_once_after_the_old_one_was_cached()
    {
        await using var s = await StartAsync();
        var first = await s.Alice.GetAsync($"/images/{s.AlienId}/primary?v={s.Alien.PrimaryImageTag}");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotNull(first.Content.Headers.LastModified);
        var again = await s.Alice.GetAsync($"/images/{s.AlienId}/primary?v={s.Alien.PrimaryImageTag}");
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, s.ImageCalls);

        // The catalogue sync records a new poster: pages now name the new tag, which is fetched and served right away.
        s.Alien.PrimaryImageTag = "9e7a6c0ffee1";
        await s.App.WithDbAsync(db => db.Titles.Where(t => t.Id == s.AlienId)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.PrimaryImageTag, "9e7a6c0ffee1")));
        var renewed = await s.Alice.GetAsync($"/images/{s.AlienId}/primary?v=9e7a6c0ffee1");
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.Equal("\"9e7a6c0ffee1\"", renewed.Headers.ETag?.Tag);
        Assert.Equal(2, s.ImageCalls);
    }
}
