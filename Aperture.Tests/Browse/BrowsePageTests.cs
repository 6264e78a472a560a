using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Aperture.Data;
using Aperture.Fakes;
using Aperture.Tests.Infrastructure;

namespace Aperture.Tests;

// The Browse pages as a browser (with and without htmx) sees them.
public sealed class BrowsePageTests(CatalogWorld world) : IClassFixture<CatalogWorld>
{
    private static async Task<IDocument> HtmlAsync(HttpClient client, string url, bool htmx = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (htmx)
        {
            request.Headers.Add("HX-Request", "true");
        }
        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} gave {response.StatusCode}");
        return new HtmlParser().ParseDocument(body);
    }

    private static string[] Cards(IDocument page) =>
        [.. page.QuerySelectorAll(".poster-card .name").Select(e => e.TextContent.Trim())];

    [Fact]
    public async Task Browse_leads_to_movies_and_an_unknown_kind_is_not_found()
    {
        var browse = await world.Alice.GetAsync("/browse");
        Assert.Equal(HttpStatusCode.Redirect, browse.StatusCode);
        Assert.Equal("/browse/movies", browse.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await world.Alice.GetAsync("/browse/music")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await world.Alice.GetAsync("/browse/movies/987654")).StatusCode);
        // A series id under movies is not a movie.
        Assert.Equal(HttpStatusCode.NotFound, (await world.Alice.GetAsync($"/browse/movies/{world.Ids[MediaKind.Series]["Alien"]}")).StatusCode);
    }

    [Theory]
    [InlineData("movies")]
    [InlineData("series")]
    public async Task Without_javascript_the_address_alone_renders_the_filtered_grid_and_the_form_shows_the_filters(string kind)
    {
        var page = await HtmlAsync(world.Alice, $"/browse/{kind}?genre=Horror&sort=year&order=asc");
        Assert.NotNull(page.QuerySelector("html"));
        Assert.Equal(["Alien", "The Thing"], Cards(page));
        Assert.Equal("Horror", page.QuerySelector("select[name=genre] option[selected]")?.GetAttribute("value"));
        Assert.Equal("year", page.QuerySelector("select[name=sort] option[selected]")?.GetAttribute("value"));
        Assert.Equal("asc", page.QuerySelector("select[name=order] option[selected]")?.GetAttribute("value"));
        var form = page.QuerySelector("form.filters")!;
        Assert.Equal("get", form.GetAttribute("method"));
        Assert.Equal($"/browse/{kind}", form.GetAttribute("action"));
        Assert.Equal("Horror (2)", page.QuerySelector("select[name=genre] option[value=Horror]")!.TextContent);
        Assert.Equal($"/browse/{kind}/{world.Ids[kind == "movies" ? MediaKind.Movie : MediaKind.Series]["Alien"]}",
            page.QuerySelector(".poster-card")!.GetAttribute("href"));
    }

    [Fact]
    public async Task An_htmx_filter_request_gets_only_the_results_fragment_and_the_canonical_address_to_push()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/browse/movies?q=&genre=Crime&yearFrom=&yearTo=&watched=&sort=name&order=");
        request.Headers.Add("HX-Request", "true");
        var response = await world.Alice.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<html", body, StringComparison.OrdinalIgnoreCase);
        var fragment = new HtmlParser().ParseDocument(body);
        Assert.Equal("browse-results", Assert.Single(fragment.Body!.Children).Id);
        Assert.Equal("/browse/movies?genre=Crime", response.Headers.GetValues("HX-Push-Url").Single());
        Assert.Contains("HX-Request", response.Headers.Vary);
        Assert.Equal(["Heat", "Zodiac"], Cards(fragment));
    }

    [Fact]
    public async Task The_pager_links_keep_the_filters_and_work_with_and_without_htmx()
    {
        var page = await HtmlAsync(world.Alice, "/browse/series?pageSize=4&watched=false");
        Assert.Equal(["Aliens", "Amélie", "Blade Runner", "Casablanca"], Cards(page));
        Assert.Contains("7 series", page.QuerySelector(".result-count")!.TextContent, StringComparison.Ordinal);
        var next = page.QuerySelector(".pager a[rel=next]")!;
        Assert.Equal("/browse/series?watched=false&pageSize=4&page=2", next.GetAttribute("href"));
        Assert.Equal(next.GetAttribute("href"), next.GetAttribute("hx-get"));
        Assert.Equal("#browse-results", next.GetAttribute("hx-target"));

        var second = await HtmlAsync(world.Alice, next.GetAttribute("href")!, htmx: true);
        Assert.Equal(["The Thing", "Untitled", "Zodiac"], Cards(second));
        Assert.Equal("2", second.QuerySelector(".pager .current")!.TextContent);
    }

    [Fact]
    public async Task Watched_marks_and_the_watched_filter_follow_the_signed_in_user()
    {
        Assert.Equal(["Alien", "Heat"], Cards(await HtmlAsync(world.Alice, "/browse/movies?watched=true")));
        Assert.Equal(["Zodiac"], Cards(await HtmlAsync(world.Bob, "/browse/movies?watched=true")));
        var alices = await HtmlAsync(world.Alice, "/browse/series?q=alien");
        var alien = alices.QuerySelectorAll(".poster-card").First(c => c.QuerySelector(".name")!.TextContent.Trim() == "Alien");
        Assert.Equal("1/2", alien.QuerySelector(".badge.watched")!.TextContent.Trim());
        Assert.NotNull(alien.QuerySelector(".badge.favorite"));
        var bobs = await HtmlAsync(world.Bob, "/browse/series?q=alien");
        Assert.Empty(bobs.QuerySelectorAll(".badge.watched"));
    }

    [Fact]
    public async Task A_bad_filter_value_is_named_on_the_page_the_typed_value_stays_and_the_rest_still_applies()
    {
        var page = await HtmlAsync(world.Alice, "/browse/movies?yearFrom=abc&genre=Horror");
        var error = page.QuerySelector("[role=alert] [data-parameter=yearFrom]");
        Assert.NotNull(error);
        Assert.Contains("yearFrom", error.TextContent, StringComparison.Ordinal);
        Assert.Equal("abc", page.QuerySelector("input[name=yearFrom]")!.GetAttribute("value"));
        Assert.Equal(["Alien", "The Thing"], Cards(page));
    }

    [Fact]
    public async Task A_movie_page_shows_details_credits_links_the_users_watch_state_and_opens_in_jellyfin()
    {
        var id = world.Ids[MediaKind.Movie]["Alien"];
        var page = await HtmlAsync(world.Alice, $"/browse/movies/{id}");
        Assert.Equal("Alien", page.QuerySelector("h1")!.TextContent);
        var text = page.Body!.TextContent;
        Assert.Contains("In space no one can hear you scream.", text, StringComparison.Ordinal);
        Assert.Contains("The crew of the Nostromo answers a distress call.", text, StringComparison.Ordinal);
        Assert.Contains("1 h 57 min", text, StringComparison.Ordinal);
        Assert.Contains("20th Century Fox", text, StringComparison.Ordinal);
        Assert.Contains("Ridley Scott", text, StringComparison.Ordinal);
        Assert.Contains("Ellen Ripley", text, StringComparison.Ordinal);
        var open = page.QuerySelectorAll("a").Single(a => a.TextContent.Trim() == "Open in Jellyfin");
        Assert.Equal($"{world.Server.BaseUrl}/web/#/details?id=movies-0&serverId={world.Server.ServerId}", open.GetAttribute("href"));
        Assert.Equal("https://www.imdb.com/title/tt0078748/", page.QuerySelectorAll("a").Single(a => a.TextContent.Trim() == "IMDb").GetAttribute("href"));
        Assert.Equal("https://www.themoviedb.org/movie/348", page.QuerySelectorAll("a").Single(a => a.TextContent.Trim() == "TMDB").GetAttribute("href"));

        var watch = Facts(page.QuerySelector(".watch-state")!);
        Assert.Equal("Yes", watch["Watched"]);
        Assert.Equal("2", watch["Play count"]);
        Assert.Equal("2024-03-01 20:00 UTC", watch["Last played"]);
        Assert.Equal("♥ Yes", watch["Favourite"]);
        Assert.Equal("9", watch["Your rating"]);

        var bobs = Facts((await HtmlAsync(world.Bob, $"/browse/movies/{id}")).QuerySelector(".watch-state")!);
        Assert.Equal("No", bobs["Watched"]);
        Assert.Equal("Never", bobs["Last played"]);
        Assert.Equal("In progress (40%)", Facts((await HtmlAsync(world.Alice, $"/browse/movies/{world.Ids[MediaKind.Movie]["Casablanca"]}")).QuerySelector(".watch-state")!)["Watched"]);
    }

    [Fact]
    public async Task A_series_page_lists_seasons_with_the_users_marks_and_places_unnumbered_episodes_sensibly()
    {
        var alien = await HtmlAsync(world.Alice, $"/browse/series/{world.Ids[MediaKind.Series]["Alien"]}");
        Assert.Equal("1 of 2 episodes", Facts(alien.QuerySelector(".watch-state")!)["Watched"]);
        var rows = alien.QuerySelectorAll(".season tbody tr").ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains("played", rows[0].ClassList);
        Assert.DoesNotContain("played", rows[1].ClassList);

        var untitled = await HtmlAsync(world.Alice, $"/browse/series/{world.Ids[MediaKind.Series]["Untitled"]}");
        Assert.Equal(["Season 1", "Specials", "Other episodes"],
            untitled.QuerySelectorAll(".season summary span:first-child").Select(s => s.TextContent.Trim()));
        var lost = untitled.QuerySelectorAll(".season")[^1].QuerySelector("tbody tr")!;
        Assert.Equal("–", lost.QuerySelector("td.num")!.TextContent.Trim());
        Assert.Contains("Lost tape", lost.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_key_is_in_no_page_json_image_or_redirect()
    {
        var key = world.Server.ApiKey;
        var movie = world.Ids[MediaKind.Movie]["Alien"];
        var series = world.Ids[MediaKind.Series]["Alien"];
        foreach (var url in (string[])["/browse", "/browse/movies", "/browse/series?genre=Drama", $"/browse/movies/{movie}", $"/browse/series/{series}",
            "/api/movies", $"/api/movies/{movie}", $"/api/series/{series}", "/api/series/genres", $"/images/{movie}/primary",
            $"/api/users/{world.AliceUser.Id}/watch-history", "/admin/database", "/api/admin/purge/stats"])
        {
            foreach (var client in new[] { world.Alice, world.Admin })
            {
                var response = await client.GetAsync(url);
                var all = string.Join('\n', response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(",", h.Value)}"))
                    + await response.Content.ReadAsStringAsync();
                Assert.DoesNotContain(key, all, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task An_empty_catalogue_says_how_it_gets_filled()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Emby, b =>
        {
            b.User("alice", "pw");
            b.User("Admin", "pw", admin: true);
        });
        await using var app = new AppFactory();
        await app.ConnectAsync(server);
        var alice = await app.SignedInClientAsync("alice", "pw");
        foreach (var kind in (string[])["movies", "series"])
        {
            var page = await HtmlAsync(alice, $"/browse/{kind}");
            Assert.Contains("An admin syncs libraries under", page.QuerySelector(".empty")!.TextContent, StringComparison.Ordinal);
            Assert.Null(page.QuerySelector("form.filters"));
            Assert.Empty(page.QuerySelectorAll(".poster-card"));
        }
        var admin = await app.SignedInClientAsync("Admin", "pw");
        Assert.NotNull((await HtmlAsync(admin, "/browse/movies")).QuerySelector(".empty a[href='/admin/jobs']"));
    }

    [Fact]
    public async Task Filters_that_match_nothing_offer_to_clear_them()
    {
        var page = await HtmlAsync(world.Alice, "/browse/movies?genre=Western");
        Assert.Contains("No movies match these filters.", page.QuerySelector(".empty")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("/browse/movies", page.QuerySelectorAll(".empty a").Single().GetAttribute("href"));
        Assert.NotNull(page.QuerySelector("form.filters"));
    }

    private static Dictionary<string, string> Facts(IElement list) =>
        list.QuerySelectorAll("dt").ToDictionary(dt => dt.TextContent.Trim(), dt => dt.NextElementSibling!.TextContent.Trim());
}
