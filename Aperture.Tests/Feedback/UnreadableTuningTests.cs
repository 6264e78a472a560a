using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Data;
using Aperture.Fakes;
using Aperture.Recommendations;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aperture.Tests.Feedback;

// A user's stored tuning that this release cannot read follows the stored-settings rule: a logged error naming the user and
// the kind, the text kept as it is, the defaults meanwhile, and only the user's own save replaces it.
public sealed class UnreadableTuningTests
{
    [Fact]
    public async Task Unreadable_stored_tuning_is_a_logged_error_naming_user_and_kind_keeps_its_text_and_gives_defaults_until_the_user_saves()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b => { b.User("Admin", "pw", admin: true); b.User("alice", "pw"); });
        var logs = new CapturedLogs();
        await using var app = new AppFactory().WithServices(s => s.AddSingleton<ILoggerProvider>(logs));
        await app.ConnectAsync(server);
        var alice = await app.SignedInClientAsync("alice", "pw");
        const string broken = """{"picksPerUser":"lots","genres":{"Horror":"never"}}""";
        const string readable = """{"picksPerUser":4}""";
        var aliceId = await app.WithDbAsync(async db =>
        {
            var id = await db.Users.Where(u => u.Name == "alice").Select(u => u.Id).SingleAsync();
            db.UserKindSettings.AddRange(new UserKindSettings { UserId = id, Kind = MediaKind.Movie, Tuning = broken },
                new UserKindSettings { UserId = id, Kind = MediaKind.Series, Tuning = readable });
            await db.SaveChangesAsync();
            return id;
        });
        Task<string?> StoredAsync(MediaKind kind) =>
            app.WithDbAsync(db => db.UserKindSettings.AsNoTracking().Where(s => s.UserId == aliceId && s.Kind == kind).Select(s => s.Tuning).SingleAsync());

        // The user sees the admin's settings for movies; their series tuning is untouched by the movie problem.
        var movies = await alice.GetFromJsonAsync<JsonElement>($"/api/users/{aliceId}/tuning/movies");
        Assert.True(movies.GetProperty("usesAdminWeights").GetBoolean());
        Assert.Equal(movies.GetProperty("adminPicksPerUser").GetInt32(), movies.GetProperty("picksPerUser").GetInt32());
        Assert.Empty(movies.GetProperty("genres").EnumerateObject());
        Assert.Equal(4, (await alice.GetFromJsonAsync<JsonElement>($"/api/users/{aliceId}/tuning/series")).GetProperty("picksPerUser").GetInt32());
        var error = Assert.Single(logs.Lines, l => l.Level == LogLevel.Error && l.Text.Contains("tuning", StringComparison.Ordinal));
        Assert.Contains(aliceId, error.Text, StringComparison.Ordinal);
        Assert.Contains("movie", error.Text, StringComparison.Ordinal);

        // A run reads it the same way (the admin's settings for this user) and writes nothing.
        var adjustments = await app.WithDbAsync(db => FeedbackInputs.LoadAsync(db, MediaKind.Movie, tuningEnabled: true, [aliceId], NullLogger.Instance, CancellationToken.None));
        Assert.Null(adjustments[aliceId].PicksPerUser);
        Assert.Equal(broken, await StoredAsync(MediaKind.Movie));

        // The user's own save replaces it; the old text goes to the log, not lost silently.
        Assert.Equal(HttpStatusCode.OK, (await alice.PutAsJsonAsync($"/api/users/{aliceId}/tuning/movies", new { picksPerUser = 5 })).StatusCode);
        Assert.Equal(5, UserTuning.Read(await StoredAsync(MediaKind.Movie), aliceId, MediaKind.Movie, NullLogger.Instance).PicksPerUser);
        Assert.Contains(logs.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains(broken, StringComparison.Ordinal));
        Assert.Equal(readable, await StoredAsync(MediaKind.Series));
    }
}
