using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Aperture.Progress;

namespace Aperture.Tests.Feedback;

// Feedback and tuning over the API and the pages, on Jellyfin and Emby fakes: alice watched horror, bob romance.
public sealed class FeedbackTests
{
    private static readonly string[] HorrorGenres = ["Horror", "Thriller"];
    private static readonly string[] RomanceGenres = ["Romance", "Comedy"];

    private sealed record World(FakeMediaServer Server, AppFactory App, HttpClient Admin, HttpClient Alice, HttpClient Bob, string AliceId, string BobId)
        : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Server.DisposeAsync();
        }
    }

    private static async Task<World> StartAsync(FakeServerVersion version)
    {
        FakeUser alice = null!, bob = null!;
        var server = await FakeMediaServer.StartAsync(version, b =>
        {
            b.User("Admin", "pw", admin: true);
            alice = b.User("alice", "pw");
            bob = b.User("bob", "pw");
            b.MovieLibrary("Movies");
            var played = new DateTimeOffset(2026, 10, 1, 20, 0, 0, TimeSpan.Zero);
            for (var i = 0; i < 8; i++)
            {
                var horror = b.Movie($"Haunted {i}", 1990 + i, genres: HorrorGenres, overview: $"A haunted house, a demon and a ghost {i}.",
                    people: [FakePerson.Director("Wes Craven")], tags: ["haunted", "ghost"], communityRating: 7, tmdb: $"h{i}");
                var romance = b.Movie($"Wedding {i}", 2000 + i, genres: RomanceGenres, overview: $"A wedding in London and a kiss {i}.",
                    people: [FakePerson.Director("Richard Curtis")], tags: ["wedding", "london"], communityRating: 7, tmdb: $"r{i}");
                if (i < 2)
                {
                    b.Played(alice, horror, lastPlayed: played, favorite: i == 0);
                    b.Played(bob, romance, lastPlayed: played);
                }
            }
        });
        var app = new AppFactory();
        await app.ConnectAsync(server);
        var admin = await app.SignedInClientAsync("Admin", "pw");
        var aliceClient = await app.SignedInClientAsync("alice", "pw");
        var bobClient = await app.SignedInClientAsync("bob", "pw");
        foreach (var job in new[] { JobNames.SyncMovies, JobNames.SyncWatchHistory, JobNames.GenerateEmbeddings })
        {
            await app.RunJobAsync(job);
        }
        foreach (var id in new[] { alice.Id, bob.Id })
        {
            await JsonAsync(await admin.PutAsJsonAsync($"/api/users/{id}", new { moviePicksEnabled = true }));
        }
        await app.RunJobAsync(JobNames.GenerateRecommendations);
        return new World(server, app, admin, aliceClient, bobClient, alice.Id, bob.Id);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement;
    }

    private static async Task<List<(long Id, string Name)>> PicksAsync(World w) =>
        [.. (await JsonAsync(await w.Alice.GetAsync($"/api/recommendations/{w.AliceId}"))).GetProperty("picks").EnumerateArray()
            .Select(p => (p.GetProperty("titleId").GetInt64(), p.GetProperty("name").GetString()!))];

    private static Task<HttpResponseMessage> DeleteAsync(HttpClient client, string path) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, path) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") });

    private static async Task<long> TitleIdAsync(World w, string name) =>
        await w.App.WithDbAsync(db => Task.FromResult(db.Titles.Single(t => t.Name == name).Id));

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task A_thumbs_down_leaves_picks_and_channels_at_once_and_never_comes_back_until_undone(FakeServerVersion version)
    {
        await using var w = await StartAsync(version);
        var before = await PicksAsync(w);
        Assert.NotEmpty(before);
        var (disliked, name) = before[0];
        Assert.StartsWith("Haunted", name, StringComparison.Ordinal);

        var saved = await JsonAsync(await w.Alice.PutAsJsonAsync($"/api/users/{w.AliceId}/feedback/movies/{disliked}", new { reaction = "down", rating = 2 }));
        Assert.Equal("down", saved.GetProperty("reaction").GetString());
        Assert.True(saved.GetProperty("removed").GetBoolean());
        // The same request cycle: the very next read no longer lists it, and the stored pick is gone.
        Assert.DoesNotContain(await PicksAsync(w), p => p.Id == disliked);
        Assert.False(await w.App.WithDbAsync(db => Task.FromResult(db.Picks.Any(p => p.TitleId == disliked && p.UserId == w.AliceId))));

        // A new run and a freshly generated channel about exactly that kind of film still leave it out.
        await w.App.RunJobAsync(JobNames.GenerateRecommendations);
        Assert.DoesNotContain(await PicksAsync(w), p => p.Id == disliked);
        var channel = await JsonAsync(await w.Alice.PostAsJsonAsync("/api/channels",
            new { name = "Haunted", kind = "movies", preference = "haunted house demon ghost", size = 10 }), HttpStatusCode.Created);
        var channelId = channel.GetProperty("id").GetInt64();
        var generated = await JsonAsync(await w.Alice.PostAsync($"/api/channels/{channelId}/generate", JsonContent.Create(new { })));
        var entries = generated.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("titleId").GetInt64()).ToList();
        Assert.NotEmpty(entries);
        Assert.DoesNotContain(disliked, entries);

        // It is listed under Your feedback, and undo makes it eligible again: the next run may pick it.
        var list = await JsonAsync(await w.Alice.GetAsync($"/api/users/{w.AliceId}/feedback"));
        Assert.Contains(list.GetProperty("items").EnumerateArray(), f => f.GetProperty("titleId").GetInt64() == disliked && f.GetProperty("rating").GetInt32() == 2);
        await JsonAsync(await DeleteAsync(w.Alice, $"/api/users/{w.AliceId}/feedback/movies/{disliked}"), HttpStatusCode.NoContent);
        await w.App.RunJobAsync(JobNames.GenerateRecommendations);
        Assert.Contains(await PicksAsync(w), p => p.Id == disliked);
        await JsonAsync(await DeleteAsync(w.Alice, $"/api/users/{w.AliceId}/feedback/movies/{disliked}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task A_thumbs_up_becomes_a_server_favourite_only_with_consent_and_undo_clears_only_what_Aperture_set(FakeServerVersion version)
    {
        await using var w = await StartAsync(version);
        var liked = await TitleIdAsync(w, "Haunted 5");
        var item = w.Server.State.Items.Single(i => i.Name == "Haunted 5");
        var alice = w.Server.State.User("alice");

        await JsonAsync(await w.Alice.PutAsJsonAsync($"/api/users/{w.AliceId}/feedback/movies/{liked}", new { reaction = "up" }));
        Assert.NotEqual(true, w.Server.State.GetUserData(alice, item)?.IsFavorite);
        Assert.DoesNotContain(w.Server.Calls, c => c.Path.Contains("Favorite", StringComparison.OrdinalIgnoreCase));

        await JsonAsync(await w.Alice.PutAsJsonAsync($"/api/users/{w.AliceId}/feedback-settings", new { favoriteWriteBack = true }));
        await JsonAsync(await DeleteAsync(w.Alice, $"/api/users/{w.AliceId}/feedback/movies/{liked}"), HttpStatusCode.NoContent);
        await JsonAsync(await w.Alice.PutAsJsonAsync($"/api/users/{w.AliceId}/feedback/movies/{liked}", new { reaction = "up" }));
        Assert.True(w.Server.State.GetUserData(alice, item)!.IsFavorite);
        var call = Assert.Single(w.Server.Calls, c => c.Method == "POST" && c.Path.Contains("Favorite", StringComparison.OrdinalIgnoreCase));
        Assert.EndsWith(version == FakeServerVersion.Emby4_8 ? $"/Users/{w.AliceId}/FavoriteItems/{item.Id}" : $"/UserFavoriteItems/{item.Id}", call.Path,
            StringComparison.OrdinalIgnoreCase);

        await JsonAsync(await DeleteAsync(w.Alice, $"/api/users/{w.AliceId}/feedback/movies/{liked}"), HttpStatusCode.NoContent);
        Assert.False(w.Server.State.GetUserData(alice, item)!.IsFavorite);

        // A favourite the user set on the server themselves is never cleared by an undo here.
        var own = w.Server.State.Items.Single(i => i.Name == "Haunted 0");
        await JsonAsync(await w.Alice.PutAsJsonAsync($"/api/users/{w.AliceId}/feedback/movies/{await TitleIdAsync(w, "Haunted 0")}", new { reaction = "up" }));
        await JsonAsync(await DeleteAsync(w.Alice, $"/api/users/{w.AliceId}/feedback/movies/{await TitleIdAsync(w, "Haunted 0")}"), HttpStatusCode.NoContent);
        Assert.True(w.Server.State.GetUserData(alice, own)!.IsFavorite);
    }

    [Fact]
    public async Task Feedback_api_names_the_bad_field_and_keeps_other_users_out()
    {
        await using var w = await StartAsync(FakeServerVersion.Jellyfin10_11);
        var title = await TitleIdAsync(w, "Haunted 4");
        var path = $"/api/users/{w.AliceId}/feedback/movies/{title}";
        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { reaction = "meh" }, "reaction"),
            (new { reaction = "down", reason = "genre" }, "reason"),
            (new { reaction = "notInterested", reason = "boring" }, "reason"),
            (new { reaction = "up", rating = 11 }, "rating"),
            (new { }, "reaction"),
            (new { reaction = "up", extra = 1 }, "extra"),
        })
        {
            var error = await JsonAsync(await w.Alice.PutAsJsonAsync(path, body), HttpStatusCode.BadRequest);
            Assert.True(error.GetProperty("errors").TryGetProperty(field, out _), error.GetRawText());
        }
        Assert.Empty(await w.App.WithDbAsync(db => Task.FromResult(db.UserFeedback.ToList())));

        // bob may neither read nor change alice's feedback; an admin may; an unknown title is a 404.
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Bob.GetAsync($"/api/users/{w.AliceId}/feedback")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Bob.PutAsJsonAsync(path, new { reaction = "down" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await DeleteAsync(w.Bob, path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Bob.PutAsJsonAsync($"/api/users/{w.AliceId}/tuning/movies", new { similarity = 1 })).StatusCode);
        await JsonAsync(await w.Admin.GetAsync($"/api/users/{w.AliceId}/feedback"));
        await JsonAsync(await w.Alice.PutAsJsonAsync($"/api/users/{w.AliceId}/feedback/movies/999999", new { reaction = "up" }), HttpStatusCode.NotFound);

        // A cookie-authenticated form post without the antiforgery token changes nothing.
        var forged = await w.Alice.PostFormAsync("/feedback?handler=Set", null, [new("kind", "movies"), new("titleId", title.ToString()), new("reaction", "down")], htmx: true);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Empty(await w.App.WithDbAsync(db => Task.FromResult(db.UserFeedback.ToList())));
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task My_Picks_buttons_remove_a_pick_at_once_over_htmx_and_My_Taste_lists_it_with_undo(FakeServerVersion version)
    {
        await using var w = await StartAsync(version);
        var (first, name) = (await PicksAsync(w))[0];
        var page = await w.Alice.GetStringAsync("/picks/movies");
        Assert.Contains($"id=\"pick-{first}\"", page, StringComparison.Ordinal);
        Assert.Contains($"id=\"feedback-{first}\"", page, StringComparison.Ordinal);

        var token = await w.Alice.AntiforgeryTokenAsync("/picks/movies");
        var response = await w.Alice.PostFormAsync("/feedback?handler=Set", token,
            [new("kind", "movies"), new("titleId", first.ToString()), new("reaction", "notInterested"), new("reason", "title"), new("removeId", $"pick-{first}")], htmx: true);
        var fragment = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<html", fragment, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"<li id=\"pick-{first}\" class=\"removed\"", fragment, StringComparison.Ordinal);
        Assert.Contains("feedbackChanged", response.Headers.GetValues("HX-Trigger").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain($"id=\"pick-{first}\"", await w.Alice.GetStringAsync("/picks/movies"), StringComparison.Ordinal);

        // A value that is not one of the page's own ids never becomes markup.
        var odd = await w.Alice.PostFormAsync("/feedback?handler=Set", token,
            [new("kind", "movies"), new("titleId", first.ToString()), new("reaction", "up"), new("removeId", "x\"><script>")], htmx: true);
        Assert.DoesNotContain("<script>", await odd.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var taste = await w.Alice.GetStringAsync("/taste/movies");
        Assert.Contains("Your feedback", taste, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(name), taste, StringComparison.Ordinal);
        var undo = await w.Alice.PostFormAsync("/taste/movies?handler=Undo", await w.Alice.AntiforgeryTokenAsync("/taste/movies"), [new("titleId", first.ToString())], htmx: true);
        Assert.Contains("Undone", await undo.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await w.App.WithDbAsync(db => Task.FromResult(db.UserFeedback.ToList())));

        // The title page and the pick page carry the bar too.
        Assert.Contains($"id=\"feedback-{first}\"", await w.Alice.GetStringAsync($"/browse/movies/{first}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tuning_is_validated_with_the_slider_labels_and_the_next_run_uses_the_users_genres_and_weights()
    {
        await using var w = await StartAsync(FakeServerVersion.Jellyfin10_11);
        var bad = await JsonAsync(await w.Alice.PutAsJsonAsync($"/api/users/{w.AliceId}/tuning/movies", new { similarity = 11, picksPerUser = 0 }), HttpStatusCode.BadRequest);
        Assert.Contains("Taste match", bad.GetProperty("errors").GetProperty("similarity")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("Number of picks", bad.GetProperty("errors").GetProperty("picksPerUser")[0].GetString(), StringComparison.Ordinal);
        var badGenre = await JsonAsync(await w.Alice.PutAsJsonAsync($"/api/users/{w.AliceId}/tuning/movies", new { genres = new Dictionary<string, string> { ["Horror"] = "sometimes" } }), HttpStatusCode.BadRequest);
        Assert.True(badGenre.GetProperty("errors").TryGetProperty("genres", out _));

        Assert.Contains(await PicksAsync(w), p => p.Name.StartsWith("Haunted", StringComparison.Ordinal));
        var saved = await JsonAsync(await w.Alice.PutAsJsonAsync($"/api/users/{w.AliceId}/tuning/movies",
            new { genres = new Dictionary<string, string> { ["Horror"] = "never" }, picksPerUser = 3, collaborative = 0.5 }));
        Assert.Equal("never", saved.GetProperty("genres").GetProperty("Horror").GetString());
        Assert.Equal(0.5, saved.GetProperty("weights").GetProperty("collaborative").GetDouble());
        await w.App.RunJobAsync(JobNames.GenerateRecommendations);
        var tuned = await PicksAsync(w);
        Assert.InRange(tuned.Count, 1, 3);
        Assert.DoesNotContain(tuned, p => p.Name.StartsWith("Haunted", StringComparison.Ordinal));

        // The preview re-ranks over htmx without saving.
        var token = await w.Alice.AntiforgeryTokenAsync("/taste/movies/tune");
        var preview = await w.Alice.PostFormAsync("/taste/movies/tune?handler=Preview", token, [new("genres[Romance]", "never")], htmx: true);
        var html = await preview.Content.ReadAsStringAsync();
        Assert.Contains("id=\"tune-preview\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Wedding", html, StringComparison.Ordinal);

        // An admin switches tuning off: saving is refused and the next run uses the server's settings again.
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Alice.PutAsJsonAsync("/api/settings/tuning", new { enabled = false })).StatusCode);
        await JsonAsync(await w.Admin.PutAsJsonAsync("/api/settings/tuning", new { enabled = false }));
        await JsonAsync(await w.Alice.PutAsJsonAsync($"/api/users/{w.AliceId}/tuning/movies", new { picksPerUser = 5 }), HttpStatusCode.Conflict);
        await w.App.RunJobAsync(JobNames.GenerateRecommendations);
        Assert.Contains(await PicksAsync(w), p => p.Name.StartsWith("Haunted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_thumbs_up_and_a_less_genre_lean_are_named_in_the_evidence_and_the_explanation()
    {
        await using var w = await StartAsync(FakeServerVersion.Jellyfin10_11);
        // Haunted 1 was only watched; a 👍 makes it count like a favourite, and Tune asks for less Thriller.
        await JsonAsync(await w.Alice.PutAsJsonAsync($"/api/users/{w.AliceId}/feedback/movies/{await TitleIdAsync(w, "Haunted 1")}", new { reaction = "up" }));
        await JsonAsync(await w.Alice.PutAsJsonAsync($"/api/users/{w.AliceId}/tuning/movies", new { genres = new Dictionary<string, string> { ["Thriller"] = "less" } }));
        await w.App.RunJobAsync(JobNames.GenerateRecommendations);

        var haunted = (await PicksAsync(w)).Where(p => p.Name.StartsWith("Haunted", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(haunted);
        var insights = new List<JsonElement>();
        foreach (var (id, _) in haunted)
        {
            insights.Add(await JsonAsync(await w.Alice.GetAsync($"/api/recommendations/{w.AliceId}/movie/{id}/insights")));
        }
        Assert.Contains(insights, i => i.GetProperty("evidence").EnumerateArray()
            .Any(e => e.GetProperty("name").GetString() == "Haunted 1" && e.GetProperty("reason").GetString() == "you gave it 👍"));
        Assert.Contains(insights, i => i.GetProperty("explanation").GetString()!.Contains("Haunted 1 a thumbs up", StringComparison.Ordinal));
        Assert.All(insights, i => Assert.Contains("You asked for less thriller", i.GetProperty("explanation").GetString(), StringComparison.Ordinal));
        // A romance pick has no Thriller: nothing to say about the lean.
        var wedding = (await PicksAsync(w)).First(p => p.Name.StartsWith("Wedding", StringComparison.Ordinal));
        var plain = await JsonAsync(await w.Alice.GetAsync($"/api/recommendations/{w.AliceId}/movie/{wedding.Id}/insights"));
        Assert.DoesNotContain("You asked for", plain.GetProperty("explanation").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_channels_taste_lean_follows_the_owners_thumbs_up_and_down_and_never_brings_back_a_thumbs_down()
    {
        await using var w = await StartAsync(FakeServerVersion.Jellyfin10_11);
        // bob watched romance only: a ghost channel leaning to his taste says nothing about his taste.
        var channel = await JsonAsync(await w.Bob.PostAsJsonAsync("/api/channels",
            new { name = "Ghosts", kind = "movies", preference = "haunted house demon ghost", size = 6, useTaste = true }), HttpStatusCode.Created);
        var channelId = channel.GetProperty("id").GetInt64();
        async Task<List<(long Id, string Why)>> GenerateAsync() =>
            [.. (await JsonAsync(await w.Bob.PostAsync($"/api/channels/{channelId}/generate", JsonContent.Create(new { }))))
                .GetProperty("entries").EnumerateArray().Select(e => (e.GetProperty("titleId").GetInt64(), e.GetProperty("why").GetString()!))];
        var before = await GenerateAsync();
        Assert.DoesNotContain(before, e => e.Why.Contains("close to your taste", StringComparison.Ordinal));

        // 👎 on the channel's first entry, 👍 on three other haunted films and 👎 on the romances he watched: his taste, as
        // his picks see it, is now horror.
        var downed = before[0].Id;
        var liked = 0;
        for (var i = 0; i < 8 && liked < 3; i++)
        {
            var id = await TitleIdAsync(w, $"Haunted {i}");
            if (id != downed)
            {
                await JsonAsync(await w.Bob.PutAsJsonAsync($"/api/users/{w.BobId}/feedback/movies/{id}", new { reaction = "up" }));
                liked++;
            }
        }
        await JsonAsync(await w.Bob.PutAsJsonAsync($"/api/users/{w.BobId}/feedback/movies/{downed}", new { reaction = "down" }));
        foreach (var name in new[] { "Wedding 0", "Wedding 1" })
        {
            await JsonAsync(await w.Bob.PutAsJsonAsync($"/api/users/{w.BobId}/feedback/movies/{await TitleIdAsync(w, name)}", new { reaction = "down" }));
        }
        var after = await GenerateAsync();
        Assert.Contains(after, e => e.Why.Contains("close to your taste", StringComparison.Ordinal));
        Assert.DoesNotContain(after, e => e.Id == downed);
    }

    [Fact]
    public async Task Admin_switches_tuning_off_on_the_recommendation_settings_page_with_antiforgery_and_only_an_admin_may()
    {
        await using var w = await StartAsync(FakeServerVersion.Jellyfin10_11);
        const string page = "/admin/settings/recommendations";
        async Task<bool> EnabledAsync() => (await JsonAsync(await w.Admin.GetAsync("/api/settings/tuning"))).GetProperty("enabled").GetBoolean();
        var html = await w.Admin.GetStringAsync(page);
        Assert.Contains("Let users tune their own picks", html, StringComparison.Ordinal);
        Assert.Matches("name=\"enabled\" value=\"true\" checked", html);

        // Without the token nothing changes; a user who is not an admin changes nothing either.
        Assert.Equal(HttpStatusCode.BadRequest, (await w.Admin.PostFormAsync($"{page}?handler=Tuning", null, [new("enabled", "false")])).StatusCode);
        await w.Alice.PostFormAsync($"{page}?handler=Tuning", await w.Alice.AntiforgeryTokenAsync("/picks/movies"), [new("enabled", "false")]);
        Assert.True(await EnabledAsync());

        var token = await w.Admin.AntiforgeryTokenAsync(page);
        var off = await w.Admin.PostFormAsync($"{page}?handler=Tuning", token, [new("enabled", "false")]);
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.DoesNotMatch("name=\"enabled\" value=\"true\" checked", await off.Content.ReadAsStringAsync());
        Assert.False(await EnabledAsync());
        await JsonAsync(await w.Alice.PutAsJsonAsync($"/api/users/{w.AliceId}/tuning/movies", new { picksPerUser = 5 }), HttpStatusCode.Conflict);

        // The checked box posts "true" before the hidden "false": on again.
        await w.Admin.PostFormAsync($"{page}?handler=Tuning", token, [new("enabled", "true"), new("enabled", "false")]);
        Assert.True(await EnabledAsync());
    }

    [Fact]
    public async Task A_discovery_slider_in_the_tune_preview_brings_in_a_title_that_is_not_among_the_current_picks()
    {
        await using var w = await StartAsync(FakeServerVersion.Jellyfin10_11);
        await JsonAsync(await w.Alice.PutAsJsonAsync($"/api/users/{w.AliceId}/tuning/movies", new { picksPerUser = 3 }));
        await w.App.RunJobAsync(JobNames.GenerateRecommendations);
        var current = await PicksAsync(w);
        Assert.Equal(3, current.Count);
        Assert.All(current, p => Assert.StartsWith("Haunted", p.Name, StringComparison.Ordinal));

        // Taste match down, Discovery up: genres alice never watches (romance) come in from the wider pool, unsaved.
        var token = await w.Alice.AntiforgeryTokenAsync("/taste/movies/tune");
        var preview = await w.Alice.PostFormAsync("/taste/movies/tune?handler=Preview", token,
            [new("similarity", "0"), new("novelty", "10"), new("picksPerUser", "3")], htmx: true);
        var html = await preview.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var shown = System.Text.RegularExpressions.Regex.Matches(html, "data-title-id=\"(\\d+)\"").Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(3, shown.Count);
        Assert.Contains(shown, id => current.All(p => p.Id != id));
        Assert.Contains("Wedding", html, StringComparison.Ordinal);
        // Nothing was saved: the stored picks are the same three.
        Assert.Equal(current.Select(p => p.Id), (await PicksAsync(w)).Select(p => p.Id));
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task A_thumbs_up_the_server_refuses_to_make_a_favourite_is_kept_and_the_user_is_told(FakeServerVersion version)
    {
        await using var w = await StartAsync(version);
        await JsonAsync(await w.Alice.PutAsJsonAsync($"/api/users/{w.AliceId}/feedback-settings", new { favoriteWriteBack = true }));
        w.Server.Faults.Add(FaultRule.OnPath("Favorite").OnMethod("POST").Respond(Fault.Status(403, "Access denied")).Forever());
        var alice = w.Server.State.User("alice");

        // Over htmx, as the button sends it: the bar comes back with the 👍 on and a message saying the server did not take it.
        var title = await TitleIdAsync(w, "Haunted 5");
        var token = await w.Alice.AntiforgeryTokenAsync("/picks/movies");
        var response = await w.Alice.PostFormAsync("/feedback?handler=Set", token,
            [new("kind", "movies"), new("titleId", title.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("reaction", "up")], htmx: true);
        var fragment = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Saved here, but the media server did not take the favourite", fragment, StringComparison.Ordinal);
        Assert.Contains(w.Server.Calls, c => c.Method == "POST" && c.Path.Contains("Favorite", StringComparison.OrdinalIgnoreCase));
        Assert.NotEqual(true, w.Server.State.GetUserData(alice, w.Server.State.Items.Single(i => i.Name == "Haunted 5"))?.IsFavorite);
        var row = await w.App.WithDbAsync(db => Task.FromResult(db.UserFeedback.Single(f => f.TitleId == title)));
        Assert.Equal(Aperture.Data.FeedbackReaction.Up, row.Reaction);
        Assert.False(row.WroteFavorite);

        // The API says the same in writeBack; the 👍 counts in the taste all the same.
        var other = await TitleIdAsync(w, "Haunted 6");
        var saved = await JsonAsync(await w.Alice.PutAsJsonAsync($"/api/users/{w.AliceId}/feedback/movies/{other}", new { reaction = "up" }));
        Assert.Equal("up", saved.GetProperty("reaction").GetString());
        Assert.StartsWith("Saved here, but the media server did not take the favourite", saved.GetProperty("writeBack").GetString(), StringComparison.Ordinal);
        var listed = await JsonAsync(await w.Alice.GetAsync($"/api/users/{w.AliceId}/feedback"));
        Assert.Equal(2, listed.GetProperty("items").EnumerateArray().Count(f => f.GetProperty("reaction").GetString() == "up"));

        // Undo clears nothing on the server: Aperture never set a favourite there.
        w.Server.Faults.Clear();
        await JsonAsync(await DeleteAsync(w.Alice, $"/api/users/{w.AliceId}/feedback/movies/{title}"), HttpStatusCode.NoContent);
        Assert.DoesNotContain(w.Server.Calls, c => c.Method == "DELETE" && c.Path.Contains("Favorite", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_thumbs_down_pulls_the_taste_away_and_never_counts_for_it_even_with_dislikes_switched_off()
    {
        var now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var down = Aperture.Recommendations.FeedbackInputs.Signal(1, Aperture.Data.FeedbackReaction.Down, null, now)!;
        Assert.True(Aperture.Recommendations.TasteProfile.Weight(down, new Aperture.Recommendations.TasteOptions(), now) < 0);
        var off = new Aperture.Recommendations.TasteOptions { DislikeAtOrBelow = -1 };
        Assert.Equal(0, Aperture.Recommendations.TasteProfile.Weight(down, off, now));
        // A server rating of 0 is the server's business: with dislikes off it stays what it was (a weak watch).
        Assert.True(Aperture.Recommendations.TasteProfile.Weight(down with { FromFeedback = false }, off, now) > 0);
    }
}
