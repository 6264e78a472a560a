using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aperture.Data;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;

namespace Aperture.Tests;

// Stored settings survive upgrades: a row written by another release (a member renamed, removed or added) still loads,
// and a row that cannot be read is never replaced by defaults behind the admin's back.
public sealed class StoredSettingsTests
{
    private static async Task PutRowAsync(AppFactory app, string key, string value) =>
        await app.WithDbAsync(async db =>
        {
            db.Settings.Add(new Setting { Key = key, Value = value, UpdatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });

    private static Task<string?> RowAsync(AppFactory app, string key) =>
        app.WithDbAsync(db => db.Settings.AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).FirstOrDefaultAsync());

    [Fact]
    public async Task Recommendation_settings_with_an_unknown_member_and_missing_members_load_and_are_not_reset()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _ = server;
        await using var __ = app;
        // "oldKnob" is a member no release has any more; everything but picksPerUser and one weight is missing.
        const string stored = """{"picksPerUser":12,"weights":{"similarity":2.5,"oldWeight":1},"oldKnob":5}""";
        await PutRowAsync(app, "recommendations.movies", stored);

        var settings = await admin.GetFromJsonAsync<JsonElement>("/api/settings/recommendations");

        var movies = settings.GetProperty("movies");
        Assert.Equal(12, movies.GetProperty("picksPerUser").GetInt32());
        Assert.Equal(2.5, movies.GetProperty("weights").GetProperty("similarity").GetDouble());
        Assert.Equal(0.1, movies.GetProperty("weights").GetProperty("rating").GetDouble());
        Assert.True(movies.GetProperty("useCollaborative").GetBoolean());
        Assert.Equal(stored, await RowAsync(app, "recommendations.movies"));
    }

    [Fact]
    public async Task Top_Picks_settings_and_its_server_items_with_unknown_members_load_and_are_not_reset()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _ = server;
        await using var __ = app;
        const string stored = """{"enabled":true,"count":7,"outputs":{"collection":true,"shelf":true},"renamedLater":"x"}""";
        await PutRowAsync(app, "topPicks.movies", stored);

        var settings = await admin.GetFromJsonAsync<JsonElement>("/api/settings/top-picks");

        var movies = settings.GetProperty("movies");
        Assert.Equal(7, movies.GetProperty("count").GetInt32());
        Assert.True(movies.GetProperty("outputs").GetProperty("collection").GetBoolean());
        Assert.True(movies.GetProperty("outputs").GetProperty("library").GetBoolean());
        Assert.Equal(30, movies.GetProperty("windowDays").GetInt32());
        Assert.Equal(stored, await RowAsync(app, "topPicks.movies"));
    }

    [Fact]
    public async Task An_unreadable_setting_keeps_its_text_fails_the_job_naming_the_key_and_a_save_sets_it_aside()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _ = server;
        await using var __ = app;
        const string stored = """{"picksPerUser":"many"}""";
        await PutRowAsync(app, "recommendations.movies", stored);
        // As if vectors existed, so that the job gets as far as its settings.
        await PutRowAsync(app, "embeddings.active.movies", "local");

        // The page and the API still answer (defaults in memory), and nothing is written back.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/settings/recommendations")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/settings/recommendations")).StatusCode);
        Assert.Equal(stored, await RowAsync(app, "recommendations.movies"));

        // The job that needs it fails clearly instead of running on defaults.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.RunJobAsync(JobNames.GenerateRecommendations));
        Assert.Contains("recommendations.movies", error.Message, StringComparison.Ordinal);
        Assert.Equal(stored, await RowAsync(app, "recommendations.movies"));

        // An admin's explicit save replaces it; the unreadable text is kept beside it, not lost.
        var saved = await admin.PatchAsJsonAsync("/api/settings/recommendations/movies", new { picksPerUser = 20 });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("\"picksPerUser\":20", await RowAsync(app, "recommendations.movies"), StringComparison.Ordinal);
        Assert.Equal(stored, await RowAsync(app, "recommendations.movies.unreadable"));
    }

    [Fact]
    public async Task Recommendation_settings_from_GET_are_accepted_unchanged_by_PATCH()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _ = server;
        await using var __ = app;
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync("/api/settings/recommendations/movies",
            new { picksPerUser = 33, weights = new { similarity = 0.7 } })).StatusCode);
        var movies = (await admin.GetFromJsonAsync<JsonElement>("/api/settings/recommendations")).GetProperty("movies");

        var response = await admin.PatchAsync("/api/settings/recommendations/movies",
            new StringContent(movies.GetRawText(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var again = (await admin.GetFromJsonAsync<JsonElement>("/api/settings/recommendations")).GetProperty("movies");
        Assert.Equal(movies.GetRawText(), again.GetRawText());
        Assert.Equal(33, again.GetProperty("picksPerUser").GetInt32());
        Assert.Equal(0.7, again.GetProperty("weights").GetProperty("similarity").GetDouble());
    }
}
