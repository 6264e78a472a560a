using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Aperture.Progress;
using Aperture.Recommendations;

namespace Aperture.Tests.Recommendations;

// The whole pipeline as an admin runs it against a Jellyfin-speaking server: sync → embed → recommend,
// then each user reads their own picks over the API and the pages, and nobody else's.
public sealed class RecommendationPipelineTests
{
    private static readonly string[] HorrorGenres = ["Horror", "Thriller"];
    private static readonly string[] RomanceGenres = ["Romance", "Comedy"];

    private sealed record World(FakeMediaServer Server, AppFactory App, HttpClient Admin, HttpClient Alice, HttpClient Bob, string AliceId, string BobId,
        string AliceTv, string BobTv) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Server.DisposeAsync();
        }
    }

    private static async Task<World> StartAsync()
    {
        FakeUser alice = null!, bob = null!;
        FakeSession aliceTv = null!, bobTv = null!;
        var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "pw", admin: true);
            alice = b.User("alice", "pw");
            bob = b.User("bob", "pw");
            b.MovieLibrary("Movies");
            b.ShowLibrary("Shows");
            aliceTv = b.Session(alice, device: "Living Room TV");
            bobTv = b.Session(bob, device: "Bob's Phone");
            var played = new DateTimeOffset(2026, 10, 1, 20, 0, 0, TimeSpan.Zero);
            for (var i = 0; i < 6; i++)
            {
                var horror = b.Movie($"Haunted {i}", 1990 + i, genres: HorrorGenres, overview: $"A haunted house, a demon and a ghost {i}.",
                    people: [FakePerson.Director("Wes Craven")], tags: ["haunted", "ghost"], communityRating: 7, tmdb: $"h{i}");
                var romance = b.Movie($"Wedding {i}", 2000 + i, genres: RomanceGenres, overview: $"A wedding in London and a kiss {i}.",
                    people: [FakePerson.Director("Richard Curtis")], tags: ["wedding", "london"], communityRating: 7, tmdb: $"r{i}");
                var scary = b.Series($"Nightmare Show {i}", 2010 + i, genres: HorrorGenres, overview: $"A haunted town where a demon walks {i}.",
                    people: [FakePerson.Actor("Scream Queen", "Lead")], tags: ["haunted", "demon"], seasons: 1, episodesPerSeason: 2, tvdb: $"hs{i}");
                var sweet = b.Series($"Love Stories {i}", 2010 + i, genres: RomanceGenres, overview: $"Weddings and first dates in London {i}.",
                    people: [FakePerson.Actor("Rom Com Star", "Lead")], tags: ["wedding", "dating"], seasons: 1, episodesPerSeason: 2, tvdb: $"rs{i}");
                if (i < 2)
                {
                    b.Played(alice, horror, lastPlayed: played, favorite: i == 0);
                    b.Played(bob, romance, lastPlayed: played);
                    foreach (var episode in b.State.Items.Where(x => x.SeriesId == scary.Id))
                    {
                        b.Played(alice, episode, lastPlayed: played);
                    }
                    foreach (var episode in b.State.Items.Where(x => x.SeriesId == sweet.Id))
                    {
                        b.Played(bob, episode, lastPlayed: played);
                    }
                }
            }
        });
        var app = new AppFactory();
        await app.ConnectAsync(server);
        var admin = await app.SignedInClientAsync("Admin", "pw");
        var aliceClient = await app.SignedInClientAsync("alice", "pw");
        var bobClient = await app.SignedInClientAsync("bob", "pw");
        foreach (var job in new[]
        {
            JobNames.SyncMovies, JobNames.SyncSeries, JobNames.SyncWatchHistory, JobNames.SyncSeriesWatchHistory,
            JobNames.GenerateEmbeddings, JobNames.GenerateSeriesEmbeddings,
        })
        {
            await app.RunJobAsync(job);
        }
        return new World(server, app, admin, aliceClient, bobClient, alice.Id, bob.Id, aliceTv.Id, bobTv.Id);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task Sync_embed_and_recommend_gives_each_enabled_user_their_own_explained_picks_and_nobody_else_sees_them()
    {
        await using var w = await StartAsync();

        // Picks are opt-in per user and kind; only an admin switches them on.
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Alice.PutAsJsonAsync($"/api/users/{w.AliceId}", new { moviePicksEnabled = true })).StatusCode);
        foreach (var id in new[] { w.AliceId, w.BobId })
        {
            var toggled = await JsonAsync(await w.Admin.PutAsJsonAsync($"/api/users/{id}", new { moviePicksEnabled = true, seriesPicksEnabled = true }));
            Assert.True(toggled.GetProperty("moviePicksEnabled").GetBoolean());
        }
        var movies = await w.App.RunJobAsync(JobNames.GenerateRecommendations);
        var series = await w.App.RunJobAsync(JobNames.GenerateSeriesRecommendations);
        Assert.Contains(movies.Logs, l => l.Text.Contains("picks for 2 of 2 enabled users", StringComparison.Ordinal));
        Assert.Contains(series.Logs, l => l.Text.Contains("picks for 2 of 2 enabled users", StringComparison.Ordinal));

        // alice watched horror: her first movie and series picks are horror, with the titles that led to them.
        var list = await JsonAsync(await w.Alice.GetAsync($"/api/recommendations/{w.AliceId}"));
        var picks = list.GetProperty("picks").EnumerateArray().ToList();
        Assert.NotEmpty(picks);
        Assert.True(picks[0].GetProperty("name").GetString()!.StartsWith("Haunted", StringComparison.Ordinal), list.GetRawText());
        Assert.DoesNotContain(picks, p => p.GetProperty("name").GetString() is "Haunted 0" or "Haunted 1");
        var first = picks[0].GetProperty("titleId").GetInt64();
        var insights = await JsonAsync(await w.Alice.GetAsync($"/api/recommendations/{w.AliceId}/movie/{first}/insights"));
        Assert.InRange(insights.GetProperty("matchPercent").GetInt32(), 1, 100);
        Assert.True(insights.GetProperty("insights").GetProperty("tasteMatch").GetInt32() > 50);
        var evidence = insights.GetProperty("evidence").EnumerateArray().ToList();
        Assert.Contains(evidence, e => e.GetProperty("name").GetString() == "Haunted 0" && e.GetProperty("reason").GetString() == "favourite");
        Assert.Contains("Horror", insights.GetProperty("matchedGenres").EnumerateArray().Select(g => g.GetString()));

        var seriesList = await JsonAsync(await w.Alice.GetAsync($"/api/recommendations/{w.AliceId}?kind=series"));
        var firstShow = seriesList.GetProperty("picks")[0];
        Assert.StartsWith("Nightmare Show", firstShow.GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await w.Alice.GetAsync($"/api/recommendations/{w.AliceId}/series/{firstShow.GetProperty("titleId").GetInt64()}/insights")).StatusCode);
        // bob's taste is romance, from the same run.
        var bobs = await JsonAsync(await w.Bob.GetAsync($"/api/recommendations/{w.BobId}"));
        Assert.StartsWith("Wedding", bobs.GetProperty("picks")[0].GetProperty("name").GetString(), StringComparison.Ordinal);

        // Another user's picks: 403 over the API and on the pages; an admin may read anyone's.
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Bob.GetAsync($"/api/recommendations/{w.AliceId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Bob.GetAsync($"/api/recommendations/{w.AliceId}/movie/{first}/insights")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Bob.GetAsync($"/api/recommendations/{w.AliceId}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Bob.GetAsync($"/picks/movies?user={w.AliceId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Bob.GetAsync($"/picks/movies/{first}?user={w.AliceId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await w.Admin.GetAsync($"/api/recommendations/{w.AliceId}")).StatusCode);
        var adminPage = await w.Admin.GetStringAsync($"/picks/movies/{first}?user={w.AliceId}");
        Assert.Contains("Haunted 0", adminPage, StringComparison.Ordinal);

        // The page a user opens: their grid with match badges, and the pick page with bars and evidence.
        var page = await w.Alice.GetStringAsync("/picks");
        Assert.Contains(picks[0].GetProperty("name").GetString()!, page, StringComparison.Ordinal);
        Assert.Contains("% match", page, StringComparison.Ordinal);
        // A pick below the low-match line leads with why it was picked instead of its figure, in the API and on the card.
        foreach (var pick in picks)
        {
            var reason = pick.GetProperty("leadReason");
            if (pick.GetProperty("matchPercent").GetInt32() >= MatchScale.LowMatch)
            {
                Assert.Equal(JsonValueKind.Null, reason.ValueKind);
            }
            else if (reason.ValueKind != JsonValueKind.Null)
            {
                Assert.Contains($">{reason.GetProperty("text").GetString()}</span>", page, StringComparison.Ordinal);
            }
        }
        var pickPage = await w.Alice.GetStringAsync($"/picks/movies/{first}");
        Assert.Contains("Because you watched", pickPage, StringComparison.Ordinal);
        Assert.Contains("Haunted 0", pickPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await w.Alice.GetAsync($"/picks/movies/{first + 100_000}")).StatusCode);

        // Every pick is explained in words (the local writer: no text model is configured), naming what led to it.
        Assert.Contains("Haunted 0", insights.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.Equal("local", insights.GetProperty("explanationSource").GetString());

        // My Taste: a synopsis written by the run, the genre analysis, recent history; regenerate on request; private.
        var taste = await JsonAsync(await w.Alice.GetAsync($"/api/users/{w.AliceId}/taste-profile"));
        Assert.False(string.IsNullOrWhiteSpace(taste.GetProperty("synopsis").GetString()));
        Assert.Contains(taste.GetProperty("genres").EnumerateArray(), g => g.GetProperty("genre").GetString() == "Horror" && g.GetProperty("matches").GetBoolean());
        Assert.Equal(2, taste.GetProperty("recent").GetArrayLength());
        var seriesTaste = await JsonAsync(await w.Alice.GetAsync($"/api/users/{w.AliceId}/series-taste-profile"));
        Assert.Equal("series", seriesTaste.GetProperty("kind").GetString());
        var regenerated = await JsonAsync(await w.Alice.PostAsJsonAsync($"/api/users/{w.AliceId}/taste-profile/regenerate", new { }));
        Assert.True(regenerated.GetProperty("generatedAt").GetDateTimeOffset() >= taste.GetProperty("generatedAt").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Bob.GetAsync($"/api/users/{w.AliceId}/taste-profile")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Bob.PostAsJsonAsync($"/api/users/{w.AliceId}/series-taste-profile/regenerate", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Bob.GetAsync($"/taste/movies?user={w.AliceId}")).StatusCode);
        var tastePage = await w.Alice.GetStringAsync("/taste");
        Assert.Contains(taste.GetProperty("synopsis").GetString()!, System.Net.WebUtility.HtmlDecode(tastePage), StringComparison.Ordinal);

        // "Play on…": alice's own devices only; playback starts on hers, never on bob's.
        using (var sessionsRequest = new HttpRequestMessage(HttpMethod.Get, $"/picks/movies/{first}?handler=Sessions"))
        {
            sessionsRequest.Headers.Add("HX-Request", "true");
            var sessions = await (await w.Alice.SendAsync(sessionsRequest)).Content.ReadAsStringAsync();
            Assert.Contains("Play on Living Room TV", sessions, StringComparison.Ordinal);
            Assert.DoesNotContain("Bob's Phone", System.Net.WebUtility.HtmlDecode(sessions), StringComparison.Ordinal);
        }
        var token = await w.Alice.AntiforgeryTokenAsync($"/picks/movies/{first}");
        var refused = await (await w.Alice.PostFormAsync($"/picks/movies/{first}?handler=Play", token, [new("sessionId", w.BobTv)], htmx: true)).Content.ReadAsStringAsync();
        Assert.Contains("not yours", refused, StringComparison.Ordinal);
        Assert.DoesNotContain(w.Server.Calls, c => c.Path.EndsWith("/Playing", StringComparison.Ordinal));
        var played = await (await w.Alice.PostFormAsync($"/picks/movies/{first}?handler=Play", token, [new("sessionId", w.AliceTv)], htmx: true)).Content.ReadAsStringAsync();
        Assert.Contains("Playing", played, StringComparison.Ordinal);
        var call = Assert.Single(w.Server.Calls, c => c.Path.EndsWith("/Playing", StringComparison.Ordinal));
        Assert.Contains(w.AliceTv, call.Path, StringComparison.Ordinal);

        // The run history records both kinds.
        var runs = await JsonAsync(await w.Alice.GetAsync($"/api/recommendations/{w.AliceId}/history"));
        Assert.Equal(["movies", "series"], runs.EnumerateArray().Select(r => r.GetProperty("kind").GetString()!).Order().ToList());
        Assert.All(runs.EnumerateArray(), r => Assert.True(r.GetProperty("current").GetBoolean()));
    }

    [Fact]
    public async Task Recommendation_settings_are_admin_only_validated_per_field_and_used_by_the_next_run()
    {
        await using var w = await StartAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Alice.GetAsync("/api/settings/recommendations")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Alice.PatchAsJsonAsync("/api/settings/recommendations/movies", new { picksPerUser = 3 })).StatusCode);

        var bad = await w.Admin.PatchAsJsonAsync("/api/settings/recommendations/movies", new { picksPerUser = 0, diversity = 4 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await JsonAsync(new HttpResponseMessage(HttpStatusCode.OK) { Content = bad.Content })).GetProperty("errors");
        Assert.True(errors.TryGetProperty("picksPerUser", out _));
        Assert.True(errors.TryGetProperty("diversity", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await w.Admin.PatchAsync("/api/settings/recommendations/movies",
            new StringContent("{\"picksPerUser\": \"many\"}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await w.Admin.PatchAsJsonAsync("/api/settings/recommendations/music", new { picksPerUser = 3 })).StatusCode);

        var saved = await JsonAsync(await w.Admin.PatchAsJsonAsync("/api/settings/recommendations/movies", new { picksPerUser = 3, similarity = 1.0 }));
        Assert.Equal(3, saved.GetProperty("picksPerUser").GetInt32());
        var both = await JsonAsync(await w.Admin.GetAsync("/api/settings/recommendations"));
        Assert.Equal(3, both.GetProperty("movies").GetProperty("picksPerUser").GetInt32());
        Assert.Equal(50, both.GetProperty("series").GetProperty("picksPerUser").GetInt32());

        await w.Admin.PutAsJsonAsync($"/api/users/{w.AliceId}", new { moviePicksEnabled = true });
        await w.App.RunJobAsync(JobNames.GenerateRecommendations);
        var list = await JsonAsync(await w.Alice.GetAsync($"/api/recommendations/{w.AliceId}"));
        Assert.Equal(3, list.GetProperty("picks").GetArrayLength());
        // Series were not switched on for alice: no series picks, and the page says why.
        Assert.Equal(0, (await JsonAsync(await w.Alice.GetAsync($"/api/recommendations/{w.AliceId}?kind=series"))).GetProperty("picks").GetArrayLength());
        Assert.Contains("not switched on", await w.Alice.GetStringAsync("/picks/series"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await w.Alice.GetAsync($"/api/recommendations/{w.AliceId}?kind=music")).StatusCode);
    }

    [Fact]
    public async Task Recommending_before_any_embeddings_fails_with_a_message_naming_the_job_to_run()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b => b.User("Admin", "pw", admin: true));
        await using var app = new AppFactory();
        await app.ConnectAsync(server);
        var error = await Assert.ThrowsAsync<Aperture.Recommendations.RecommendationsUnavailableException>(() => app.RunJobAsync(JobNames.GenerateRecommendations));
        Assert.Contains(JobNames.GenerateEmbeddings, error.Message, StringComparison.Ordinal);
    }
}
