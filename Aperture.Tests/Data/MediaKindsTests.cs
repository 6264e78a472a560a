using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Data;
using Aperture.Tests.Infrastructure;

namespace Aperture.Tests;

public sealed class MediaKindsTests(CatalogWorld world) : IClassFixture<CatalogWorld>
{
    [Theory]
    [InlineData("movies", MediaKind.Movie)]
    [InlineData("Movie", MediaKind.Movie)]
    [InlineData(" FILMS ", MediaKind.Movie)]
    [InlineData("film", MediaKind.Movie)]
    [InlineData("series", MediaKind.Series)]
    [InlineData("Shows", MediaKind.Series)]
    [InlineData("show", MediaKind.Series)]
    [InlineData("TV", MediaKind.Series)]
    [InlineData("tvshows", MediaKind.Series)]
    public void Parse_accepts_every_documented_word_in_any_case(string text, MediaKind expected) =>
        Assert.Equal(expected, MediaKinds.Parse(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("music")]
    [InlineData("both")]
    [InlineData("moviess")]
    public void Parse_refuses_anything_else(string? text) => Assert.Null(MediaKinds.Parse(text));

    [Fact]
    public void Slug_and_word_of_every_kind_parse_back_to_it()
    {
        foreach (var kind in MediaKinds.All)
        {
            Assert.Equal(kind, MediaKinds.Parse(kind.Slug()));
            Assert.Equal(kind, MediaKinds.Parse(kind.Word()));
            Assert.Contains(kind.Slug(), MediaKinds.AcceptedList, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_set_of_kinds_switches_each_kind_on_and_off_without_touching_the_other()
    {
        var set = MediaKindSet.None.With(MediaKind.Series, true);
        Assert.True(set.Contains(MediaKind.Series));
        Assert.False(set.Contains(MediaKind.Movie));
        set = set.With(MediaKind.Movie, true).With(MediaKind.Series, false);
        Assert.Equal(MediaKindSet.Movie, set);
    }

    [Fact]
    public async Task An_unknown_kind_in_a_query_is_a_400_naming_kind_and_listing_the_accepted_words()
    {
        var alice = world.AliceUser.Id;
        foreach (var url in new[] { $"/api/recommendations/{alice}?kind=music", $"/api/users/{alice}/feedback?kind=music" })
        {
            using var response = await world.Alice.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"GET {url} gave {response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(body).RootElement;
            Assert.Contains("'kind'", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
            var message = problem.GetProperty("errors").GetProperty("kind")[0].GetString()!;
            Assert.All(MediaKinds.AcceptedWords, word => Assert.Contains(word, message, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task An_unknown_kind_in_a_path_is_a_404_whose_title_lists_the_accepted_words()
    {
        var alice = world.AliceUser.Id;
        foreach (var (client, request) in new (HttpClient, HttpRequestMessage)[]
        {
            (world.Alice, new(HttpMethod.Get, "/api/top-picks/books")),
            (world.Alice, new(HttpMethod.Get, $"/api/users/{alice}/tuning/music")),
            (world.Alice, new(HttpMethod.Get, $"/api/recommendations/{alice}/music/1/insights")),
            (world.Admin, new(HttpMethod.Patch, "/api/settings/recommendations/music") { Content = JsonContent.Create(new { picksPerUser = 3 }) }),
        })
        {
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{request.Method} {request.RequestUri} gave {response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var title = JsonDocument.Parse(body).RootElement.GetProperty("title").GetString()!;
            Assert.All(MediaKinds.AcceptedWords, word => Assert.Contains(word, title, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Any_accepted_word_in_any_case_reaches_the_same_kind()
    {
        foreach (var (word, slug) in new[] { ("SHOWS", "series"), ("tv", "series"), ("Film", "movies"), ("movie", "movies") })
        {
            var list = await world.Alice.GetFromJsonAsync<JsonElement>($"/api/top-picks/{word}");
            Assert.Equal(slug, list.GetProperty("kind").GetString());
        }
    }

    [Fact]
    public async Task Picks_are_switched_per_kind_and_an_unknown_field_is_a_400_naming_it()
    {
        var bob = world.BobUser.Id;
        var refused = await world.Admin.PutAsJsonAsync($"/api/users/{bob}", new { musicPicksEnabled = true });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("musicPicksEnabled", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await world.Admin.PutAsJsonAsync($"/api/users/{bob}", new { })).StatusCode);

        var on = await (await world.Admin.PutAsJsonAsync($"/api/users/{bob}", new { seriesPicksEnabled = true })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((false, true), (on.GetProperty("moviePicksEnabled").GetBoolean(), on.GetProperty("seriesPicksEnabled").GetBoolean()));
        var both = await (await world.Admin.PutAsJsonAsync($"/api/users/{bob}", new { moviePicksEnabled = true })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((true, true), (both.GetProperty("moviePicksEnabled").GetBoolean(), both.GetProperty("seriesPicksEnabled").GetBoolean()));
        var listed = (await world.Admin.GetFromJsonAsync<JsonElement>("/api/users")).EnumerateArray().Single(u => u.GetProperty("id").GetString() == bob);
        Assert.Equal(["movies", "series"], listed.GetProperty("picks").EnumerateArray().Select(k => k.GetString()));

        await world.Admin.PutAsJsonAsync($"/api/users/{bob}", new { moviePicksEnabled = false, seriesPicksEnabled = false });
        listed = (await world.Admin.GetFromJsonAsync<JsonElement>("/api/users")).EnumerateArray().Single(u => u.GetProperty("id").GetString() == bob);
        Assert.Empty(listed.GetProperty("picks").EnumerateArray());
    }
}
