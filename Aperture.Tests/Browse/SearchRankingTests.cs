using AngleSharp.Dom;
using Aperture.Fakes;
using Aperture.Progress;
using Aperture.Tests.Infrastructure;
using static Aperture.Tests.Infrastructure.Get;

namespace Aperture.Tests;

// A search lists the best match first (the whole name, then the name's start, then a word's start, then anywhere; the
// shorter name first within each), on the page and in the API, unless another sort is asked for. Found on MovieLens:
// "Heat" listed "Aqua Teen Hunger Force Colon Movie Film for Theaters" first, then Body Heat, City Heat… and Heat fifth.
public sealed class SearchRankingTests
{
    private static string[] Cards(IDocument page) =>
        [.. page.QuerySelectorAll(".poster-card .name").Select(e => e.TextContent.Trim())];

    private static async Task<string[]> NamesAsync(HttpClient client, string url) =>
        [.. (await JsonAsync(client, url)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!)];

    [Fact]
    public async Task A_search_lists_the_whole_name_then_its_start_then_a_word_then_anywhere_unless_another_sort_is_chosen()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "pw", admin: true);
            var movies = b.MovieLibrary("Movies");
            b.Movie("Mystery Theater", 1996, library: movies);
            b.Movie("Body Heat", 1981, library: movies);
            b.Movie("Heathers", 1989, library: movies);
            b.Movie("The Heat", 2013, library: movies);
            b.Movie("Heat", 1995, library: movies);
            b.Movie("Hitze", 1999, library: movies, with: i => i.OriginalTitle = "Heat");
            b.Movie("Alien", 1979, library: movies);
        });
        await using var app = new AppFactory();
        await app.ConnectAsync(server);
        var admin = await app.SignedInClientAsync("Admin", "pw");
        await app.RunJobAsync(JobNames.SyncMovies, full: true);

        // Heat and Hitze (originally "Heat") are the whole name; The Heat (sort name "heat") and Heathers start with it, the
        // shorter first and "heat" before "heathers" at the same length; Body Heat has it as a word; Mystery Theater only
        // inside one.
        string[] best = ["Heat", "Hitze", "The Heat", "Heathers", "Body Heat", "Mystery Theater"];
        Assert.Equal(best, await NamesAsync(admin, "/api/movies?q=HEAT"));
        Assert.Equal(best, Cards(await HtmlAsync(admin, "/browse/movies?q=heat")));
        Assert.Equal(best, await NamesAsync(admin, "/api/movies?q=heat&sort=relevance"));
        // Worst match first (names tied on match and length keep A→Z).
        Assert.Equal(["Mystery Theater", "Body Heat", "The Heat", "Heathers", "Hitze", "Heat"], await NamesAsync(admin, "/api/movies?q=heat&sort=relevance&order=desc"));

        // Another sort chosen: that order, as before (Heat and The Heat share the sort name "heat").
        var byName = await NamesAsync(admin, "/api/movies?q=heat&sort=name");
        Assert.Equal("Body Heat", byName[0]);
        Assert.Equal(["Heat", "The Heat"], byName[1..3].Order(StringComparer.Ordinal));
        Assert.Equal(["Heathers", "Hitze", "Mystery Theater"], byName[3..]);
        Assert.Equal(byName, Cards(await HtmlAsync(admin, "/browse/movies?q=heat&sort=name")));

        // Without a search there is nothing to match: the default and "relevance" are by name.
        Assert.Equal("Alien", (await NamesAsync(admin, "/api/movies"))[0]);
        Assert.Equal(await NamesAsync(admin, "/api/movies"), await NamesAsync(admin, "/api/movies?sort=relevance"));

        // The page's sort list: its default entry (empty value) stands for the best match while searching, so typing a
        // search into a form left at the default sorts by match; a chosen sort stays chosen.
        var searching = await HtmlAsync(admin, "/browse/movies?q=heat");
        Assert.Equal("", searching.QuerySelector("select[name=sort] option[selected]")!.GetAttribute("value"));
        var byNamePage = await HtmlAsync(admin, "/browse/movies?q=heat&sort=name");
        Assert.Equal("name", byNamePage.QuerySelector("select[name=sort] option[selected]")!.GetAttribute("value"));
        Assert.Equal(best, Cards(await HtmlAsync(admin, "/browse/movies?q=heat&sort=")));
    }
}
