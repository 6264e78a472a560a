using System.Net;
using System.Text.Json;
using Aperture.Tests.Infrastructure;
using static Aperture.Tests.Infrastructure.Get;

namespace Aperture.Tests;

public sealed class UsersApiTests(CatalogWorld world) : IClassFixture<CatalogWorld>
{
    [Fact]
    public async Task A_user_reads_their_own_routes_not_another_users_an_admin_reads_any_and_anonymous_none()
    {
        var alice = world.AliceUser.Id;
        var bob = world.BobUser.Id;
        foreach (var suffix in (string[])["", "/watch-history", "/stats"])
        {
            Assert.Equal(HttpStatusCode.OK, (await world.Alice.GetAsync($"/api/users/{alice}{suffix}")).StatusCode);
            var other = await world.Alice.GetAsync($"/api/users/{bob}{suffix}");
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
            Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
            // An id that does not exist is just as forbidden, so a user cannot probe which ids exist.
            Assert.Equal(HttpStatusCode.Forbidden, (await world.Alice.GetAsync($"/api/users/0000000000000000000000000000beef{suffix}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await world.Admin.GetAsync($"/api/users/{bob}{suffix}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await world.Admin.GetAsync($"/api/users/0000000000000000000000000000beef{suffix}")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await world.Anonymous.GetAsync($"/api/users/{alice}{suffix}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await world.Alice.GetAsync("/api/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await world.Anonymous.GetAsync("/api/users")).StatusCode);
        var users = await JsonAsync(world.Admin, "/api/users");
        Assert.Equal(["Admin", "alice", "bob"], users.EnumerateArray().Select(u => u.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        var me = await JsonAsync(world.Alice, $"/api/users/{alice}");
        Assert.Equal("alice", me.GetProperty("name").GetString());
        Assert.False(me.GetProperty("isAdmin").GetBoolean());
    }

    [Fact]
    public async Task Watch_history_lists_movies_and_episodes_newest_first_and_pages()
    {
        var history = await JsonAsync(world.Alice, $"/api/users/{world.AliceUser.Id}/watch-history");
        Assert.Equal(6, history.GetProperty("total").GetInt32());
        var items = history.GetProperty("items").EnumerateArray().ToList();
        // Series plays fall a day after the movie plays of the same title; the started Casablanca is history too.
        Assert.Equal(
            ["episode Casablanca", "movie Casablanca", "episode Heat", "movie Heat", "episode Alien", "movie Alien"],
            items.Select(i => $"{i.GetProperty("kind").GetString()} {i.GetProperty("titleName").GetString()}"));
        Assert.False(items[0].GetProperty("played").GetBoolean());
        Assert.Equal(40, items[0].GetProperty("playedPercentage").GetDouble());
        Assert.Equal("Pilot", items[0].GetProperty("episodeName").GetString());
        Assert.Equal(1, items[0].GetProperty("seasonNumber").GetInt32());
        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("episodeId").ValueKind);
        var dates = items.Select(i => i.GetProperty("lastPlayedAt").GetDateTimeOffset()).ToList();
        Assert.Equal(dates.OrderDescending(), dates);

        var page2 = await JsonAsync(world.Alice, $"/api/users/{world.AliceUser.Id}/watch-history?page=2&pageSize=4");
        Assert.Equal(["episode Alien", "movie Alien"], page2.GetProperty("items").EnumerateArray()
            .Select(i => $"{i.GetProperty("kind").GetString()} {i.GetProperty("titleName").GetString()}"));
        Assert.Equal(6, page2.GetProperty("total").GetInt32());

        var bobs = await JsonAsync(world.Admin, $"/api/users/{world.BobUser.Id}/watch-history");
        Assert.Equal(2, bobs.GetProperty("total").GetInt32());

        var invalid = await world.Alice.GetAsync($"/api/users/{world.AliceUser.Id}/watch-history?pageSize=100000");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("pageSize", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_count_watched_titles_episodes_favourites_hours_and_top_genres_per_kind()
    {
        var stats = await JsonAsync(world.Alice, $"/api/users/{world.AliceUser.Id}/stats");
        var movies = stats.GetProperty("movies");
        Assert.Equal(2, movies.GetProperty("watched").GetInt32());
        Assert.Equal(JsonValueKind.Null, movies.GetProperty("episodesWatched").ValueKind);
        Assert.Equal(1, movies.GetProperty("favorites").GetInt32());
        // Alien 117 min twice + Heat 170 min once; the started Casablanca does not count.
        Assert.Equal(Math.Round((117 * 2 + 170) / 60.0, 1), movies.GetProperty("hoursWatched").GetDouble());
        Assert.Equal(["Crime", "Drama", "Horror", "Science Fiction"],
            movies.GetProperty("topGenres").EnumerateArray().Select(g => g.GetProperty("genre").GetString()));

        var series = stats.GetProperty("series");
        Assert.Equal(2, series.GetProperty("watched").GetInt32());
        Assert.Equal(2, series.GetProperty("episodesWatched").GetInt32());
        Assert.Equal(1, series.GetProperty("favorites").GetInt32());
        Assert.Equal(Math.Round(TestCatalog.EpisodeRuntime * 3 / 60.0, 1), series.GetProperty("hoursWatched").GetDouble());
        Assert.Equal(Math.Round((117 * 2 + 170 + TestCatalog.EpisodeRuntime * 3) / 60.0, 1), stats.GetProperty("hoursWatched").GetDouble(), 1);

        var bob = await JsonAsync(world.Bob, $"/api/users/{world.BobUser.Id}/stats");
        Assert.Equal(1, bob.GetProperty("movies").GetProperty("watched").GetInt32());
        Assert.Equal(["Crime", "Mystery"], bob.GetProperty("movies").GetProperty("topGenres").EnumerateArray().Select(g => g.GetProperty("genre").GetString()));
        Assert.Equal(0, (await JsonAsync(world.Admin, $"/api/users/{world.AdminUser.Id}/stats")).GetProperty("movies").GetProperty("watched").GetInt32());
    }
}
