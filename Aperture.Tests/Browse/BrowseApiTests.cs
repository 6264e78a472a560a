using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Data;
using Aperture.Tests.Infrastructure;
using static Aperture.Tests.Infrastructure.Get;

namespace Aperture.Tests;

// /api/movies and /api/series over one hand-made catalogue that exists as both kinds: every theory runs the
// same assertions for both, which is what "one implementation parameterised by kind" must mean.
public sealed class BrowseApiTests(CatalogWorld world) : IClassFixture<CatalogWorld>
{
    public static readonly TheoryData<string> Kinds = ["movies", "series"];

    private static async Task<string[]> NamesAsync(HttpClient client, string url) =>
        [.. (await JsonAsync(client, url)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Paging_returns_the_requested_slice_of_the_name_order_and_the_total(string kind)
    {
        var page2 = await JsonAsync(world.Alice, $"/api/{kind}?pageSize=4&page=2");
        Assert.Equal(9, page2.GetProperty("total").GetInt32());
        Assert.Equal(2, page2.GetProperty("page").GetInt32());
        Assert.Equal(4, page2.GetProperty("pageSize").GetInt32());
        Assert.Equal(["Casablanca", "Heat", "The Thing", "Untitled"],
            page2.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()));

        Assert.Equal(["Alien", "Aliens", "Amélie", "Blade Runner"], await NamesAsync(world.Alice, $"/api/{kind}?pageSize=4"));
        Assert.Equal(["Zodiac"], await NamesAsync(world.Alice, $"/api/{kind}?pageSize=4&page=3"));
        var beyond = await JsonAsync(world.Alice, $"/api/{kind}?pageSize=4&page=4");
        Assert.Empty(beyond.GetProperty("items").EnumerateArray());
        Assert.Equal(9, beyond.GetProperty("total").GetInt32());
        Assert.Equal(9, (await JsonAsync(world.Alice, $"/api/{kind}")).GetProperty("items").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Each_filter_narrows_the_list_and_the_total_counts_what_matches(string kind)
    {
        Assert.Equal(["Alien", "Aliens", "Blade Runner"], await NamesAsync(world.Alice, $"/api/{kind}?genre=science%20fiction"));
        Assert.Equal(["Alien", "The Thing"], await NamesAsync(world.Alice, $"/api/{kind}?genre=Horror"));
        Assert.Empty(await NamesAsync(world.Alice, $"/api/{kind}?genre=Western"));

        // A year range leaves out titles without a year.
        Assert.Equal(["Aliens", "Blade Runner", "Heat", "The Thing"], await NamesAsync(world.Alice, $"/api/{kind}?yearFrom=1980&yearTo=1999"));
        Assert.Equal(["Amélie", "Zodiac"], await NamesAsync(world.Alice, $"/api/{kind}?yearFrom=2000"));
        Assert.Equal(["Casablanca"], await NamesAsync(world.Alice, $"/api/{kind}?yearTo=1950"));

        // Text search: name or original title, any case.
        Assert.Equal(["Alien", "Aliens"], await NamesAsync(world.Alice, $"/api/{kind}?q=ALIEN"));
        Assert.Equal(["Amélie"], await NamesAsync(world.Alice, $"/api/{kind}?q=fabuleux"));
        Assert.Equal(["Blade Runner"], await NamesAsync(world.Alice, $"/api/{kind}?q=runner"));

        // Filters combine, and the total is of what matches, not of the page.
        var combined = await JsonAsync(world.Alice, $"/api/{kind}?genre=Drama&yearFrom=1980&pageSize=1");
        Assert.Equal(2, combined.GetProperty("total").GetInt32());
        Assert.Equal("Blade Runner", combined.GetProperty("items")[0].GetProperty("name").GetString());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Each_sort_orders_the_list_with_missing_values_last(string kind)
    {
        Assert.Equal(["Zodiac", "Untitled", "The Thing", "Heat", "Casablanca", "Blade Runner", "Amélie", "Aliens", "Alien"],
            await NamesAsync(world.Alice, $"/api/{kind}?sort=name&order=desc"));
        Assert.Equal(["Zodiac", "Amélie", "Heat", "Aliens", "Blade Runner", "The Thing", "Alien", "Casablanca", "Untitled"],
            await NamesAsync(world.Alice, $"/api/{kind}?sort=year"));
        Assert.Equal(["Casablanca", "Alien", "Blade Runner", "The Thing", "Aliens", "Heat", "Amélie", "Zodiac", "Untitled"],
            await NamesAsync(world.Alice, $"/api/{kind}?sort=year&order=asc"));
        Assert.Equal(["Casablanca", "Alien", "Aliens", "Heat", "The Thing", "Blade Runner", "Amélie", "Zodiac", "Untitled"],
            await NamesAsync(world.Alice, $"/api/{kind}?sort=rating"));
        Assert.Equal(["Amélie", "Heat", "Zodiac", "Alien", "The Thing", "Blade Runner", "Casablanca", "Aliens", "Untitled"],
            await NamesAsync(world.Alice, $"/api/{kind}?sort=added"));
        Assert.Equal(["Aliens", "Casablanca", "Blade Runner"], (await NamesAsync(world.Alice, $"/api/{kind}?sort=added&order=asc"))[..3]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Watched_and_unwatched_are_the_current_users_and_a_started_title_is_not_watched(string kind)
    {
        Assert.Equal(["Alien", "Heat"], await NamesAsync(world.Alice, $"/api/{kind}?watched=true"));
        Assert.Equal(["Zodiac"], await NamesAsync(world.Bob, $"/api/{kind}?watched=true"));
        Assert.Empty(await NamesAsync(world.Admin, $"/api/{kind}?watched=true"));
        Assert.Equal(["Aliens", "Amélie", "Blade Runner", "Casablanca", "The Thing", "Untitled", "Zodiac"],
            await NamesAsync(world.Alice, $"/api/{kind}?watched=false"));
        Assert.Equal(8, (await JsonAsync(world.Bob, $"/api/{kind}?watched=false")).GetProperty("total").GetInt32());

        var alien = (await JsonAsync(world.Alice, $"/api/{kind}?q=alien")).GetProperty("items")[0];
        Assert.True(alien.GetProperty("watched").GetBoolean());
        Assert.True(alien.GetProperty("isFavorite").GetBoolean());
        var bobsAlien = (await JsonAsync(world.Bob, $"/api/{kind}?q=alien")).GetProperty("items")[0];
        Assert.False(bobsAlien.GetProperty("watched").GetBoolean());
        Assert.False(bobsAlien.GetProperty("isFavorite").GetBoolean());
        if (kind == "series")
        {
            Assert.Equal(2, alien.GetProperty("episodeCount").GetInt32());
            Assert.Equal(1, alien.GetProperty("episodesWatched").GetInt32());
        }
        else
        {
            Assert.Equal(JsonValueKind.Null, alien.GetProperty("episodeCount").ValueKind);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Genres_lists_each_genre_once_with_its_count(string kind)
    {
        var genres = (await JsonAsync(world.Alice, $"/api/{kind}/genres")).EnumerateArray()
            .ToDictionary(g => g.GetProperty("genre").GetString()!, g => g.GetProperty("count").GetInt32());
        Assert.Equal(new Dictionary<string, int>
        {
            ["Action"] = 1, ["Comedy"] = 1, ["Crime"] = 2, ["Drama"] = 4, ["Horror"] = 2, ["Mystery"] = 1, ["Romance"] = 2, ["Science Fiction"] = 3,
        }, genres);
        Assert.Equal(["Action", "Comedy", "Crime", "Drama", "Horror", "Mystery", "Romance", "Science Fiction"],
            (await JsonAsync(world.Alice, $"/api/{kind}/genres")).EnumerateArray().Select(g => g.GetProperty("genre").GetString()));
    }

    [Fact]
    public async Task An_unknown_id_or_an_id_of_the_other_kind_is_404()
    {
        var movieId = world.Ids[MediaKind.Movie]["Alien"];
        var seriesId = world.Ids[MediaKind.Series]["Alien"];
        Assert.Equal(HttpStatusCode.OK, (await world.Alice.GetAsync($"/api/movies/{movieId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await world.Alice.GetAsync($"/api/series/{seriesId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await world.Alice.GetAsync($"/api/series/{movieId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await world.Alice.GetAsync($"/api/movies/{seriesId}")).StatusCode);
        var missing = await world.Alice.GetAsync("/api/movies/987654321");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await world.Alice.GetAsync("/api/movies/not-a-number")).StatusCode);
    }

    [Theory]
    [InlineData("page=-1", "page")]
    [InlineData("page=0", "page")]
    [InlineData("page=two", "page")]
    [InlineData("pageSize=100000", "pageSize")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("yearFrom=abc", "yearFrom")]
    [InlineData("yearTo=19x9", "yearTo")]
    [InlineData("yearFrom=2000&yearTo=1990", "yearTo")]
    [InlineData("sort=popularity", "sort")]
    [InlineData("order=sideways", "order")]
    [InlineData("watched=maybe", "watched")]
    [InlineData("genre=Drama&genre=Crime", "genre")]
    public async Task An_invalid_query_value_is_a_400_problem_naming_the_parameter(string query, string parameter)
    {
        foreach (var kind in (string[])["movies", "series"])
        {
            var response = await world.Alice.GetAsync($"/api/{kind}?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            var errors = problem.GetProperty("errors");
            Assert.True(errors.TryGetProperty(parameter, out var messages), $"{query}: {problem}");
            Assert.Contains(parameter, messages[0].GetString(), StringComparison.Ordinal);
            Assert.Contains(parameter, problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_public_address_set_by_the_admin_is_where_open_in_links_point_and_clearing_it_restores_the_server_address()
    {
        var path = $"/api/movies/{world.Ids[MediaKind.Movie]["Alien"]}";
        var bad = await world.Admin.PatchAsJsonAsync("/api/settings/media-server/config", new { publicUrl = "jellyfin.example.org" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("publicUrl", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        try
        {
            var saved = await world.Admin.PatchAsJsonAsync("/api/settings/media-server/config", new { publicUrl = "https://media.example.org/jellyfin/" });
            Assert.Equal("https://media.example.org/jellyfin", (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("publicUrl").GetString());
            Assert.Equal($"https://media.example.org/jellyfin/web/#/details?id=movies-0&serverId={world.Server.ServerId}",
                (await JsonAsync(world.Alice, path)).GetProperty("openInServer").GetProperty("url").GetString());
        }
        finally
        {
            await world.Admin.PatchAsJsonAsync("/api/settings/media-server/config", new { publicUrl = "" });
        }
        Assert.StartsWith(world.Server.BaseUrl + "/web/", (await JsonAsync(world.Alice, path)).GetProperty("openInServer").GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_movie_in_detail_has_credits_links_and_the_users_own_watch_state()
    {
        var id = world.Ids[MediaKind.Movie]["Alien"];
        var alien = await JsonAsync(world.Alice, $"/api/movies/{id}");
        Assert.Equal("movie", alien.GetProperty("kind").GetString());
        Assert.Equal("R", alien.GetProperty("officialRating").GetString());
        Assert.Equal(117, alien.GetProperty("runtimeMinutes").GetInt32());
        Assert.Equal(["In space no one can hear you scream."], alien.GetProperty("taglines").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["Ridley Scott", "Dan O'Bannon", "Sigourney Weaver", "Tom Skerritt"],
            alien.GetProperty("people").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal("Ellen Ripley", alien.GetProperty("people")[2].GetProperty("role").GetString());
        var links = alien.GetProperty("externalLinks").EnumerateArray().ToDictionary(l => l.GetProperty("provider").GetString()!, l => l.GetProperty("url").GetString());
        Assert.Equal("https://www.imdb.com/title/tt0078748/", links["IMDb"]);
        Assert.Equal("https://www.themoviedb.org/movie/348", links["TMDB"]);
        Assert.Equal("Movies", alien.GetProperty("libraryName").GetString());
        var open = alien.GetProperty("openInServer");
        Assert.Equal("Open in Jellyfin", open.GetProperty("label").GetString());
        Assert.Equal($"{world.Server.BaseUrl}/web/#/details?id=movies-0&serverId={world.Server.ServerId}", open.GetProperty("url").GetString());

        var mine = alien.GetProperty("watch");
        Assert.True(mine.GetProperty("played").GetBoolean());
        Assert.Equal(2, mine.GetProperty("playCount").GetInt32());
        Assert.True(mine.GetProperty("isFavorite").GetBoolean());
        Assert.Equal(9, mine.GetProperty("rating").GetDouble());
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 20, 0, 0, TimeSpan.Zero), mine.GetProperty("lastPlayedAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, alien.GetProperty("episodes").ValueKind);

        var bobs = (await JsonAsync(world.Bob, $"/api/movies/{id}")).GetProperty("watch");
        Assert.False(bobs.GetProperty("played").GetBoolean());
        Assert.Equal(0, bobs.GetProperty("playCount").GetInt32());
        Assert.False(bobs.GetProperty("isFavorite").GetBoolean());
    }

    [Fact]
    public async Task A_series_in_detail_groups_episodes_by_season_with_the_users_marks_and_odd_numbers_last()
    {
        var alien = await JsonAsync(world.Alice, $"/api/series/{world.Ids[MediaKind.Series]["Alien"]}");
        var watch = alien.GetProperty("watch");
        Assert.True(watch.GetProperty("played").GetBoolean());
        Assert.Equal(2, watch.GetProperty("playCount").GetInt32());
        Assert.True(watch.GetProperty("isFavorite").GetBoolean());
        var episodes = alien.GetProperty("episodes");
        Assert.Equal(2, episodes.GetProperty("episodeCount").GetInt32());
        Assert.Equal(1, episodes.GetProperty("episodesWatched").GetInt32());
        var season = episodes.GetProperty("seasons")[0];
        Assert.Equal("Season 1", season.GetProperty("label").GetString());
        Assert.Equal([true, false], season.GetProperty("episodes").EnumerateArray().Select(e => e.GetProperty("played").GetBoolean()));

        // Bob has watched nothing of it.
        var bobs = await JsonAsync(world.Bob, $"/api/series/{world.Ids[MediaKind.Series]["Alien"]}");
        Assert.Equal(0, bobs.GetProperty("episodes").GetProperty("episodesWatched").GetInt32());
        Assert.False(bobs.GetProperty("watch").GetProperty("played").GetBoolean());

        var untitled = await JsonAsync(world.Alice, $"/api/series/{world.Ids[MediaKind.Series]["Untitled"]}");
        var seasons = untitled.GetProperty("episodes").GetProperty("seasons").EnumerateArray().ToList();
        Assert.Equal(["Season 1", "Specials", "Other episodes"], seasons.Select(s => s.GetProperty("label").GetString()));
        Assert.Equal(JsonValueKind.Null, seasons[2].GetProperty("number").ValueKind);
        var lost = seasons[2].GetProperty("episodes")[0];
        Assert.Equal("Lost tape", lost.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, lost.GetProperty("episodeNumber").ValueKind);
    }
}
