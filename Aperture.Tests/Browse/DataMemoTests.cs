using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Aperture.Data;
using Aperture.Fakes;
using Aperture.History;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Aperture.Tests.Infrastructure.Get;

namespace Aperture.Tests;

// Each user's page data kept per instance (DataMemo: the picks list, feedback, taste figures, Browse cards and title pages
// with the user's own marks, the server's media kinds) is always the user's own and shows every change on the next request.
public sealed class DataMemoTests(CatalogWorld world) : IClassFixture<CatalogWorld>
{
    private static string[] Cards(IDocument page) =>
        [.. page.QuerySelectorAll(".poster-card .name").Select(e => e.TextContent.Trim())];

    private static string[] ApiPicks(JsonElement list) =>
        [.. list.GetProperty("picks").EnumerateArray().Select(p => p.GetProperty("name").GetString()!)];

    private static string WatchedLine(IDocument taste) => taste.QuerySelector(".result-count")!.TextContent.Trim();

    private static string Recent(IDocument taste) => taste.QuerySelector("section[aria-labelledby=recent]")!.TextContent;

    private static string Token(IDocument page) =>
        JsonDocument.Parse(page.Body!.GetAttribute("hx-headers")!).RootElement.GetProperty("RequestVerificationToken").GetString()!;

    private string Alice => world.AliceUser.Id;
    private string Bob => world.BobUser.Id;
    private long Movie(string name) => world.Ids[MediaKind.Movie][name];

    [Fact]
    public async Task Two_users_get_their_own_pages_and_answers_when_both_are_kept()
    {
        await WritePicksAsync(Alice, ["Alien", "Heat"]);
        await WritePicksAsync(Bob, ["Zodiac"]);
        var aliceTaste = WatchedLine(await HtmlAsync(world.Alice, "/taste/movies"));
        var bobTaste = WatchedLine(await HtmlAsync(world.Bob, "/taste/movies"));
        Assert.NotEqual(aliceTaste, bobTaste);
        // Each read twice, alternating: the second answers come from what the first kept.
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(["Alien", "Heat"], Cards(await HtmlAsync(world.Alice, "/picks/movies")));
            Assert.Equal(["Zodiac"], Cards(await HtmlAsync(world.Bob, "/picks/movies")));
            Assert.Equal(["Alien", "Heat"], ApiPicks(await JsonAsync(world.Alice, $"/api/recommendations/{Alice}?kind=movies")));
            Assert.Equal(["Zodiac"], ApiPicks(await JsonAsync(world.Bob, $"/api/recommendations/{Bob}?kind=movies")));
            var aliceRecent = Recent(await HtmlAsync(world.Alice, "/taste/movies"));
            var bobRecent = Recent(await HtmlAsync(world.Bob, "/taste/movies"));
            Assert.Contains("Heat", aliceRecent, StringComparison.Ordinal);
            Assert.DoesNotContain("Zodiac", aliceRecent, StringComparison.Ordinal);
            Assert.Contains("Zodiac", bobRecent, StringComparison.Ordinal);
            Assert.DoesNotContain("Heat", bobRecent, StringComparison.Ordinal);
            Assert.Equal(aliceTaste, WatchedLine(await HtmlAsync(world.Alice, "/taste/movies")));
            Assert.Equal(bobTaste, WatchedLine(await HtmlAsync(world.Bob, "/taste/movies")));
            Assert.True((await JsonAsync(world.Alice, $"/api/movies/{Movie("Alien")}")).GetProperty("watch").GetProperty("played").GetBoolean());
            Assert.False((await JsonAsync(world.Bob, $"/api/movies/{Movie("Alien")}")).GetProperty("watch").GetProperty("played").GetBoolean());
        }
        // Another user's picks stay closed to a user, kept or not.
        Assert.Equal(HttpStatusCode.Forbidden, (await world.Bob.GetAsync($"/api/recommendations/{Alice}?kind=movies")).StatusCode);

        // The layout around kept data is rendered per request: each session's page carries its own antiforgery token, and a
        // second view's token is accepted for a change.
        var first = await HtmlAsync(world.Alice, "/picks/movies");
        var second = await HtmlAsync(world.Alice, "/picks/movies");
        Assert.NotEqual(Token(first), Token(second));
        Assert.NotEqual(Token(second), Token(await HtmlAsync(world.Bob, "/picks/movies")));
        using var post = new HttpRequestMessage(HttpMethod.Post, "/feedback?handler=Set")
        {
            Content = new FormUrlEncodedContent([new("kind", "movies"), new("titleId", Movie("Heat").ToString(System.Globalization.CultureInfo.InvariantCulture)), new("rating", "7")]),
        };
        post.Headers.Add("RequestVerificationToken", Token(second));
        post.Headers.Add("HX-Request", "true");
        Assert.Equal(HttpStatusCode.OK, (await world.Alice.SendAsync(post)).StatusCode);
        Assert.Equal("7", (await HtmlAsync(world.Alice, "/picks/movies")).QuerySelector($"#feedback-{Movie("Heat")} select option[selected]")!.GetAttribute("value"));
        Assert.Equal(HttpStatusCode.NoContent, (await UndoAsync(world.Alice, Alice, Movie("Heat"))).StatusCode);
    }

    [Fact]
    public async Task A_new_picks_run_shows_at_once_on_my_picks_and_the_picks_api()
    {
        await WritePicksAsync(Alice, ["Alien", "Heat"]);
        Assert.Equal(["Alien", "Heat"], ApiPicks(await JsonAsync(world.Alice, $"/api/recommendations/{Alice}?kind=movies")));
        Assert.Equal(["Alien", "Heat"], Cards(await HtmlAsync(world.Alice, "/picks/movies")));

        await WritePicksAsync(Alice, ["Blade Runner", "Alien", "Amélie"]);
        Assert.Equal(["Blade Runner", "Alien", "Amélie"], ApiPicks(await JsonAsync(world.Alice, $"/api/recommendations/{Alice}?kind=movies")));
        Assert.Equal(["Blade Runner", "Alien", "Amélie"], Cards(await HtmlAsync(world.Alice, "/picks/movies")));
    }

    [Fact]
    public async Task A_thumbs_down_leaves_my_picks_and_the_api_at_once_and_feedback_and_its_undo_show_on_my_taste_and_the_bars()
    {
        await WritePicksAsync(Bob, ["Alien", "Heat", "Amélie"]);
        Assert.Equal(["Alien", "Heat", "Amélie"], Cards(await HtmlAsync(world.Bob, "/picks/movies")));
        Assert.Null((await HtmlAsync(world.Bob, "/taste/movies")).QuerySelector("#your-feedback li"));

        var down = await world.Bob.PutAsJsonAsync($"/api/users/{Bob}/feedback/movies/{Movie("Heat")}", new { reaction = "down" });
        Assert.Equal(HttpStatusCode.OK, down.StatusCode);
        Assert.Equal(["Alien", "Amélie"], Cards(await HtmlAsync(world.Bob, "/picks/movies")));
        Assert.Equal(["Alien", "Amélie"], ApiPicks(await JsonAsync(world.Bob, $"/api/recommendations/{Bob}?kind=movies")));
        Assert.Contains("Heat", (await HtmlAsync(world.Bob, "/taste/movies")).QuerySelector("#your-feedback")!.TextContent, StringComparison.Ordinal);

        // A 👍 shows on the bar at once, and so do the undos (a 👎'd pick stays gone until the next run).
        var up = await world.Bob.PutAsJsonAsync($"/api/users/{Bob}/feedback/movies/{Movie("Alien")}", new { reaction = "up" });
        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        Assert.Equal("true", (await HtmlAsync(world.Bob, "/picks/movies")).QuerySelector($"#feedback-{Movie("Alien")} .fb.up")!.GetAttribute("aria-pressed"));
        Assert.Equal(HttpStatusCode.NoContent, (await UndoAsync(world.Bob, Bob, Movie("Heat"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await UndoAsync(world.Bob, Bob, Movie("Alien"))).StatusCode);
        Assert.Null((await HtmlAsync(world.Bob, "/taste/movies")).QuerySelector("#your-feedback li"));
        Assert.Equal("false", (await HtmlAsync(world.Bob, "/picks/movies")).QuerySelector($"#feedback-{Movie("Alien")} .fb.up")!.GetAttribute("aria-pressed"));
    }

    [Fact]
    public async Task A_settings_save_shows_at_once_picks_switched_off_by_an_admin_and_the_users_write_back_consent()
    {
        await WritePicksAsync(Alice, ["Alien"]);
        await SetPicksAsync(Alice, true);
        Assert.True((await JsonAsync(world.Alice, $"/api/recommendations/{Alice}?kind=movies")).GetProperty("enabled").GetBoolean());
        Assert.DoesNotContain("not switched on", (await HtmlAsync(world.Alice, "/picks/movies")).Body!.TextContent, StringComparison.Ordinal);
        Assert.Null((await HtmlAsync(world.Alice, "/taste/movies")).QuerySelector("input[name=favoriteWriteBack][checked]"));

        try
        {
            await SetPicksAsync(Alice, false);
            Assert.False((await JsonAsync(world.Alice, $"/api/recommendations/{Alice}?kind=movies")).GetProperty("enabled").GetBoolean());
            await WritePicksAsync(Alice, []);
            Assert.Contains("not switched on", (await HtmlAsync(world.Alice, "/picks/movies")).Body!.TextContent, StringComparison.Ordinal);

            var consent = await world.Alice.PutAsJsonAsync($"/api/users/{Alice}/feedback-settings", new { favoriteWriteBack = true });
            Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
            Assert.NotNull((await HtmlAsync(world.Alice, "/taste/movies")).QuerySelector("input[name=favoriteWriteBack][checked]"));
        }
        finally
        {
            await SetPicksAsync(Alice, true);
            await world.Alice.PutAsJsonAsync($"/api/users/{Alice}/feedback-settings", new { favoriteWriteBack = false });
        }
        Assert.True((await JsonAsync(world.Alice, $"/api/recommendations/{Alice}?kind=movies")).GetProperty("enabled").GetBoolean());
        Assert.Null((await HtmlAsync(world.Alice, "/taste/movies")).QuerySelector("input[name=favoriteWriteBack][checked]"));
    }

    [Fact]
    public async Task A_catalogue_change_shows_at_once_on_my_picks_the_title_page_and_browse()
    {
        await WritePicksAsync(Alice, ["Zodiac"]);
        Assert.Equal(["Zodiac"], Cards(await HtmlAsync(world.Alice, "/picks/movies")));
        Assert.Equal("Zodiac", (await JsonAsync(world.Alice, $"/api/movies/{Movie("Zodiac")}")).GetProperty("name").GetString());
        Assert.Contains("Zodiac", Cards(await HtmlAsync(world.Alice, "/browse/movies")));
        try
        {
            await RenameAsync(Movie("Zodiac"), "Zodiac (Director's Cut)");
            Assert.Equal(["Zodiac (Director's Cut)"], Cards(await HtmlAsync(world.Alice, "/picks/movies")));
            Assert.Equal(["Zodiac (Director's Cut)"], ApiPicks(await JsonAsync(world.Alice, $"/api/recommendations/{Alice}?kind=movies")));
            Assert.Equal("Zodiac (Director's Cut)", (await JsonAsync(world.Alice, $"/api/movies/{Movie("Zodiac")}")).GetProperty("name").GetString());
            Assert.Contains("Zodiac (Director's Cut)", Cards(await HtmlAsync(world.Alice, "/browse/movies")));
        }
        finally
        {
            await RenameAsync(Movie("Zodiac"), "Zodiac");
        }
        Assert.Equal("Zodiac", (await JsonAsync(world.Alice, $"/api/movies/{Movie("Zodiac")}")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task New_watch_history_shows_at_once_on_browse_marks_the_title_page_and_my_taste()
    {
        static bool Watched(JsonElement page, string name) =>
            page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("name").GetString() == name).GetProperty("watched").GetBoolean();
        Assert.False(Watched(await JsonAsync(world.Bob, "/api/movies"), "Heat"));
        Assert.False((await JsonAsync(world.Bob, $"/api/movies/{Movie("Heat")}")).GetProperty("watch").GetProperty("played").GetBoolean());
        var before = WatchedLine(await HtmlAsync(world.Bob, "/taste/movies"));
        Assert.DoesNotContain("Heat", Recent(await HtmlAsync(world.Bob, "/taste/movies")), StringComparison.Ordinal);
        try
        {
            await world.App.WithDbAsync(async db =>
            {
                db.WatchStates.Add(new WatchState
                {
                    UserId = Bob, TitleId = Movie("Heat"), ServerItemId = "movie-5", Played = true, PlayCount = 1,
                    LastPlayedAt = TestCatalog.Epoch.AddDays(90), SyncedAt = TestCatalog.Epoch,
                });
                return await db.SaveChangesAsync();
            });
            Assert.True(Watched(await JsonAsync(world.Bob, "/api/movies"), "Heat"));
            Assert.True((await JsonAsync(world.Bob, $"/api/movies/{Movie("Heat")}")).GetProperty("watch").GetProperty("played").GetBoolean());
            var taste = await HtmlAsync(world.Bob, "/taste/movies");
            Assert.Contains("Heat", Recent(taste), StringComparison.Ordinal);
            Assert.NotEqual(before, WatchedLine(taste));
            // Alice's own view of the same title is untouched.
            Assert.Equal(1, (await JsonAsync(world.Alice, $"/api/movies/{Movie("Heat")}")).GetProperty("watch").GetProperty("playCount").GetInt32());
        }
        finally
        {
            await world.App.WithDbAsync(db => db.WatchStates.Where(w => w.UserId == Bob && w.TitleId == Movie("Heat")).ExecuteDeleteAsync());
        }
        Assert.False(Watched(await JsonAsync(world.Bob, "/api/movies"), "Heat"));
    }

    [Fact]
    public async Task The_data_state_ignores_session_writes_and_tells_a_catalogue_write_from_a_users_picks_and_feedback()
    {
        var version = world.App.Services.GetRequiredService<CatalogVersion>();
        Task<CatalogVersion.Stamp> StampAsync() => world.App.WithDbAsync(async db => await version.CurrentAsync(db, CancellationToken.None));

        var start = await StampAsync();
        await world.App.WithDbAsync(db => db.Set<Auth.UserSession>().Where(s => s.UserId == Alice)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, x => x.LastSeenAt)));
        Assert.Equal(start, await StampAsync());

        await WritePicksAsync(Bob, ["Alien"]);
        var afterPicks = await StampAsync();
        Assert.NotEqual(start.Data, afterPicks.Data);
        Assert.Equal(start.CatalogOnly, afterPicks.CatalogOnly);

        // A 👍 is the user's data, not the catalogue's: Browse's shared pages stay kept.
        var up = await world.Bob.PutAsJsonAsync($"/api/users/{Bob}/feedback/movies/{Movie("Zodiac")}", new { reaction = "up" });
        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        var afterFeedback = await StampAsync();
        Assert.NotEqual(afterPicks.Data, afterFeedback.Data);
        Assert.Equal(afterPicks.CatalogOnly, afterFeedback.CatalogOnly);
        Assert.Equal(HttpStatusCode.NoContent, (await UndoAsync(world.Bob, Bob, Movie("Zodiac"))).StatusCode);

        await world.App.WithDbAsync(db => db.Titles.Where(t => t.Id == Movie("Alien")).ExecuteUpdateAsync(s => s.SetProperty(t => t.Name, t => t.Name)));
        var afterTitle = await StampAsync();
        Assert.NotEqual(afterPicks.Catalog, afterTitle.Catalog);
        Assert.NotEqual(afterPicks.Data, afterTitle.Data);
    }

    private static Task<HttpResponseMessage> UndoAsync(HttpClient client, string userId, long titleId) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/users/{userId}/feedback/movies/{titleId}")
        {
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
        });

    private async Task SetPicksAsync(string userId, bool on)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/users/{userId}") { Content = JsonContent.Create(new { moviePicksEnabled = on }) };
        Assert.Equal(HttpStatusCode.OK, (await world.Admin.SendAsync(request)).StatusCode);
    }

    private Task<int> RenameAsync(long titleId, string name) =>
        world.App.WithDbAsync(db => db.Titles.Where(t => t.Id == titleId).ExecuteUpdateAsync(s => s.SetProperty(t => t.Name, name)));

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
            db.Picks.Add(new Pick { RunId = run.Id, UserId = userId, Kind = MediaKind.Movie, TitleId = Movie(name), Rank = rank++, MatchPercent = 90 });
        }
        await db.SaveChangesAsync();
        return 0;
    });
}

// A writer this instance does not see (another instance sharing the database, here a command sent past EF): a 👍 or 👎 shows
// once the shared part of the data state is read again (RecheckEvery), anything else once a kept value is MaxAge old. The
// clock is moved, not waited for.
public sealed class DataMemoOtherWriterTests
{
    private sealed class MovableClock : TimeProvider
    {
        private long offsetTicks;

        public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

        public override long GetTimestamp() =>
            System.GetTimestamp() + (long)(Interlocked.Read(ref offsetTicks) * (double)System.TimestampFrequency / TimeSpan.TicksPerSecond);

        public override long TimestampFrequency => System.TimestampFrequency;
    }

    [Fact]
    public async Task Feedback_written_past_this_instance_shows_after_the_shared_recheck_and_other_changes_after_the_max_age()
    {
        FakeUser alice = null!, bob = null!;
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            alice = b.User("alice", "pw");
            bob = b.User("bob", "pw");
            b.User("Admin", "pw", admin: true);
        });
        var clock = new MovableClock();
        await using var app = new AppFactory().WithServices(s => s.AddSingleton<TimeProvider>(clock));
        await app.ConnectAsync(server);
        var client = await app.SignedInClientAsync("alice", "pw");
        await app.SignedInClientAsync("bob", "pw");
        var ids = await TestCatalog.SeedAsync(app, MediaKind.Movie, alice.Id, bob.Id);
        await app.WithDbAsync(async db =>
        {
            var run = new RecommendationRun
            {
                UserId = alice.Id, Kind = MediaKind.Movie, Status = RecommendationRunStatus.Succeeded, StartedAt = TestCatalog.Epoch, FinishedAt = TestCatalog.Epoch,
            };
            db.RecommendationRuns.Add(run);
            await db.SaveChangesAsync();
            db.Picks.Add(new Pick { RunId = run.Id, UserId = alice.Id, Kind = MediaKind.Movie, TitleId = ids["Zodiac"], Rank = 1, MatchPercent = 90 });
            db.Picks.Add(new Pick { RunId = run.Id, UserId = alice.Id, Kind = MediaKind.Movie, TitleId = ids["Amélie"], Rank = 2, MatchPercent = 80 });
            return await db.SaveChangesAsync();
        });
        async Task<string[]> PicksAsync() =>
            [.. (await client.GetFromJsonAsync<JsonElement>($"/api/recommendations/{alice.Id}?kind=movies"))
                .GetProperty("picks").EnumerateArray().Select(p => p.GetProperty("name").GetString()!)];
        Assert.Equal(["Zodiac", "Amélie"], await PicksAsync());
        Assert.Equal(["Zodiac", "Amélie"], await PicksAsync());

        // A 👎 another instance wrote: not seen by this one's writes, seen by the shared recheck.
        await RawAsync(app, """INSERT INTO user_feedback ("UserId", "Kind", "TitleId", "Reaction", "UpdatedAt", "WroteFavorite") VALUES (@u, 1, @t, 'Down', @at, FALSE)""",
            ("@u", alice.Id), ("@t", ids["Zodiac"]), ("@at", clock.GetUtcNow()));
        clock.Advance(CatalogVersion.RecheckEvery);
        Assert.Equal(["Amélie"], await PicksAsync());

        // A rename another instance wrote (the shared recheck does not cover titles written outside a job): seen at MaxAge.
        await RawAsync(app, """UPDATE titles SET "Name" = 'Amélie (restored)' WHERE "Id" = @t""", ("@t", ids["Amélie"]));
        clock.Advance(DataMemo.MaxAge);
        Assert.Equal(["Amélie (restored)"], await PicksAsync());
    }

    private static Task<int> RawAsync(AppFactory app, string sql, params (string Name, object Value)[] parameters) => app.WithDbAsync(async db =>
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        return await command.ExecuteNonQueryAsync();
    });
}
