using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Aperture.Data;
using Aperture.Fakes;
using Aperture.Progress;
using Aperture.Tests.Infrastructure;
using static Aperture.Tests.Infrastructure.Get;

namespace Aperture.Tests;

// What the request path keeps per instance (Browse's result pages and genre counts, My Taste's library shares, the My Picks
// grid) is never stale after the data changes and never another user's.
public sealed class CatalogMemoTests(CatalogWorld world) : IClassFixture<CatalogWorld>
{
    private static string[] Cards(IDocument page) =>
        [.. page.QuerySelectorAll(".poster-card .name").Select(e => e.TextContent.Trim())];

    private static string[] GenreOptions(IDocument page) =>
        [.. page.QuerySelectorAll("select[name=genre] option").Where(o => o.GetAttribute("value") is { Length: > 0 }).Select(o => o.TextContent.Trim())];

    [Fact]
    public async Task After_a_sync_and_after_a_purge_the_genre_counts_and_the_search_answers_change_at_once_and_posters_stay_signed_in_only()
    {
        FakeLibrary movies = null!;
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "pw", admin: true);
            movies = b.MovieLibrary("Movies");
            b.Movie("Alien", 1979, genres: ["Horror", "Science Fiction"], library: movies);
            b.Movie("Heat", 1995, genres: ["Crime"], library: movies);
        });
        await using var app = new AppFactory();
        await app.ConnectAsync(server);
        var admin = await app.SignedInClientAsync("Admin", "pw");
        await app.RunJobAsync(JobNames.SyncMovies, full: true);

        // Read twice: the second answer is the kept one.
        for (var i = 0; i < 2; i++)
        {
            var page = await HtmlAsync(admin, "/browse/movies");
            Assert.Equal(["Crime (1)", "Horror (1)", "Science Fiction (1)"], GenreOptions(page));
            Assert.Equal(["Alien"], Cards(await HtmlAsync(admin, "/browse/movies?q=ali")));
            Assert.Equal(2, (await JsonAsync(admin, "/api/movies")).GetProperty("total").GetInt32());
        }

        server.Seed(b => b.Movie("Aliens", 1986, genres: ["Horror", "Action"], library: movies));
        await app.RunJobAsync(JobNames.SyncMovies, full: true);
        Assert.Equal(["Action (1)", "Crime (1)", "Horror (2)", "Science Fiction (1)"], GenreOptions(await HtmlAsync(admin, "/browse/movies")));
        Assert.Equal(["Alien", "Aliens"], Cards(await HtmlAsync(admin, "/browse/movies?q=ali")));
        Assert.Equal(3, (await JsonAsync(admin, "/api/movies")).GetProperty("total").GetInt32());

        // A poster served from the image cache (and known to the poster index) still turns a signed-out visitor away,
        // revalidating or not.
        var url = (await JsonAsync(admin, "/api/movies?q=alien")).GetProperty("items")[0].GetProperty("posterUrl").GetString()!;
        var own = await admin.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(url)).StatusCode);
        var anonymous = app.CreateBrowserlessClient();
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync(url)).StatusCode);
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, url);
        revalidate.Headers.TryAddWithoutValidation("If-None-Match", own.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.SendAsync(revalidate)).StatusCode);

        var purge = await admin.PostAsJsonAsync("/api/admin/purge/movies", new { confirm = "purge movies" });
        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        var empty = await HtmlAsync(admin, "/browse/movies");
        Assert.Empty(GenreOptions(empty));
        Assert.Empty(Cards(empty));
        Assert.Empty(Cards(await HtmlAsync(admin, "/browse/movies?q=ali")));
        Assert.Equal(0, (await JsonAsync(admin, "/api/movies?q=ali")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_genres_count_is_the_number_of_titles_its_filter_finds_whatever_the_case_or_repeats_in_a_list()
    {
        FakeLibrary movies = null!;
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "pw", admin: true);
            movies = b.MovieLibrary("Movies");
            b.Movie("Alien", 1979, genres: ["Horror", "Science Fiction"], library: movies);
            b.Movie("Heat", 1995, genres: ["Crime", "crime"], library: movies);
            b.Movie("Aliens", 1986, genres: ["horror", "Action", "Action"], library: movies);
        });
        await using var app = new AppFactory();
        await app.ConnectAsync(server);
        var admin = await app.SignedInClientAsync("Admin", "pw");
        await app.RunJobAsync(JobNames.SyncMovies, full: true);

        var genres = (await JsonAsync(admin, "/api/movies/genres")).EnumerateArray()
            .Select(g => (g.GetProperty("genre").GetString(), g.GetProperty("count").GetInt32())).ToList();
        Assert.Equal([("Action", 1), ("Crime", 1), ("Horror", 2), ("Science Fiction", 1)], genres);
        foreach (var (genre, count) in genres)
        {
            Assert.Equal(count, (await JsonAsync(admin, $"/api/movies?genre={Uri.EscapeDataString(genre!)}")).GetProperty("total").GetInt32());
        }
    }

    [Theory]
    [InlineData("movies")]
    [InlineData("series")]
    public async Task A_kept_browse_page_carries_each_users_own_watched_and_favourite_marks(string kind)
    {
        // The same query by Alice, then Bob, then Alice again: one kept page, three users' own marks.
        static Dictionary<string, bool> Watched(JsonElement page) =>
            page.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!, i => i.GetProperty("watched").GetBoolean());
        var alice = Watched(await JsonAsync(world.Alice, $"/api/{kind}"));
        var bob = Watched(await JsonAsync(world.Bob, $"/api/{kind}"));
        Assert.True(alice["Alien"]);
        Assert.False(alice["Zodiac"]);
        Assert.False(bob["Alien"]);
        Assert.True(bob["Zodiac"]);
        Assert.Equal(alice, Watched(await JsonAsync(world.Alice, $"/api/{kind}")));

        var aliceCards = await HtmlAsync(world.Alice, $"/browse/{kind}");
        var bobCards = await HtmlAsync(world.Bob, $"/browse/{kind}");
        Assert.NotEqual(aliceCards.QuerySelector("#browse-results")!.InnerHtml, bobCards.QuerySelector("#browse-results")!.InnerHtml);
    }

    [Fact]
    public async Task My_picks_shows_a_new_runs_list_at_once_and_never_another_users_kept_grid()
    {
        var ids = world.Ids[MediaKind.Movie];
        await WritePicksAsync(world.AliceUser.Id, ["Alien", "Heat"]);
        await WritePicksAsync(world.BobUser.Id, ["Zodiac"]);

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(["Alien", "Heat"], Cards(await HtmlAsync(world.Alice, "/picks/movies")));
            Assert.Equal(["Zodiac"], Cards(await HtmlAsync(world.Bob, "/picks/movies")));
        }
        // Bob's grid is not Alice's even when both hold the same titles.
        await WritePicksAsync(world.BobUser.Id, ["Alien", "Heat"]);
        var bobs = await HtmlAsync(world.Bob, "/picks/movies");
        Assert.Equal(["Alien", "Heat"], Cards(bobs));
        Assert.Contains("Picks for bob", (await HtmlAsync(world.Admin, $"/picks/movies?user={world.BobUser.Id}")).QuerySelector("h1")!.TextContent,
            StringComparison.Ordinal);

        // A new run replaces the list.
        await WritePicksAsync(world.AliceUser.Id, ["Zodiac", "Alien"]);
        Assert.Equal(["Zodiac", "Alien"], Cards(await HtmlAsync(world.Alice, "/picks/movies")));
        // And a 👍 shows on the bar at once.
        var thumbs = await world.Alice.PutAsJsonAsync($"/api/users/{world.AliceUser.Id}/feedback/movies/{ids["Zodiac"]}", new { reaction = "up" });
        Assert.Equal(HttpStatusCode.OK, thumbs.StatusCode);
        var after = await HtmlAsync(world.Alice, "/picks/movies");
        Assert.Equal("true", after.QuerySelector($"#feedback-{ids["Zodiac"]} .fb.up")!.GetAttribute("aria-pressed"));
    }

    // What a picks run leaves behind for one user: a finished run and its ranked picks, replacing the previous ones.
    private Task<int> WritePicksAsync(string userId, string[] names) => world.App.WithDbAsync(async db =>
    {
        db.Picks.RemoveRange(db.Picks.Where(p => p.UserId == userId && p.Kind == MediaKind.Movie));
        var run = new RecommendationRun
        {
            UserId = userId, Kind = MediaKind.Movie, Status = RecommendationRunStatus.Succeeded, StartedAt = TestCatalog.Epoch, FinishedAt = TestCatalog.Epoch,
        };
        db.RecommendationRuns.Add(run);
        await db.SaveChangesAsync();
        var rank = 1;
        foreach (var name in names)
        {
            db.Picks.Add(new Pick { RunId = run.Id, UserId = userId, Kind = MediaKind.Movie, TitleId = world.Ids[MediaKind.Movie][name], Rank = rank++, MatchPercent = 90 });
        }
        await db.SaveChangesAsync();
        return 0;
    });
}
