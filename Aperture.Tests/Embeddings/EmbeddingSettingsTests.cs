using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Catalog;
using Aperture.Data;
using Aperture.Fakes;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Tests;

public sealed class EmbeddingSettingsTests
{
    [Fact]
    public async Task A_fresh_install_embeds_locally_and_switching_to_openai_needs_a_key_that_is_stored_encrypted()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _ = app;
        await using var __ = server;

        var config = await admin.GetFromJsonAsync<JsonElement>("/api/settings/embedding-model");
        Assert.Equal("local", config.GetProperty("provider").GetString());
        Assert.Equal("local", config.GetProperty("modelKey").GetString());

        var noKey = await admin.PatchAsJsonAsync("/api/settings/embedding-model", new { provider = "openai", model = "text-embedding-3-large" });
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        Assert.Contains("apiKey", await noKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var badModel = await admin.PatchAsJsonAsync("/api/settings/embedding-model", new { provider = "openai", model = "gpt-4o", apiKey = "sk-0123456789abcdef" });
        Assert.Equal(HttpStatusCode.BadRequest, badModel.StatusCode);
        Assert.Equal("local", (await admin.GetFromJsonAsync<JsonElement>("/api/settings/embedding-model")).GetProperty("provider").GetString());

        var ok = await admin.PatchAsJsonAsync("/api/settings/embedding-model", new { provider = "openai", model = "text-embedding-3-large", apiKey = "sk-0123456789abcdef" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var body = await ok.Content.ReadAsStringAsync();
        Assert.DoesNotContain("sk-0123456789abcdef", body, StringComparison.Ordinal);
        Assert.Contains("\"modelKey\":\"openai:text-embedding-3-large\"", body, StringComparison.Ordinal);
        var raw = await app.WithDbAsync(db => db.Settings.AsNoTracking().SingleAsync(s => s.Key == "openai.apiKey"));
        Assert.True(raw.IsSecret);
        Assert.DoesNotContain("sk-0123456789abcdef", raw.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-0123456789abcdef", await admin.GetStringAsync("/admin/settings/ai"), StringComparison.Ordinal);

        var alice = await app.SignedInClientAsync("alice", "pw");
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetAsync("/api/settings/embedding-model")).StatusCode);
    }

    [Fact]
    public async Task Test_reports_dimensions_of_a_compatible_server_and_a_clear_error_for_a_bad_key()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _ = app;
        await using var __ = server;
        await using var ollama = await FakeOpenAiServer.StartAsync(dimensions: 96, apiKey: "ollama-key-123");

        var test = await admin.PostAsJsonAsync("/api/settings/embedding-model/test",
            new { provider = "compatible", model = "nomic-embed-text", baseUrl = ollama.BaseUrl, apiKey = "ollama-key-123" });
        var result = await test.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.Equal(96, result.GetProperty("dimensions").GetInt32());

        test = await admin.PostAsJsonAsync("/api/settings/embedding-model/test",
            new { provider = "compatible", model = "nomic-embed-text", baseUrl = ollama.BaseUrl, apiKey = "wrong-key-123" });
        result = await test.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Contains("rejected the API key (401)", result.GetProperty("error").GetString(), StringComparison.Ordinal);

        // The page's htmx Test answers with a fragment.
        var token = await admin.AntiforgeryTokenAsync("/admin/settings/ai");
        var page = await admin.PostFormAsync("/admin/settings/ai?handler=Test&section=Embedding", token,
            [new("Embedding.Provider", "compatible"), new("Embedding.Model", "nomic-embed-text"), new("Embedding.BaseUrl", ollama.BaseUrl), new("Embedding.ApiKey", "ollama-key-123")], htmx: true);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<html", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("96 dimensions", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cost_inputs_count_the_catalogue_tokens_and_price_them_for_openai()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _ = app;
        await using var __ = server;
        await app.WithDbAsync(async db =>
        {
            db.Libraries.Add(new Library { Id = "lib", Name = "Movies", Kind = MediaKind.Movie, Enabled = true });
            for (var i = 0; i < 10; i++)
            {
                db.Titles.Add(new Title
                {
                    Kind = MediaKind.Movie, ServerItemId = $"m{i}", LibraryId = "lib", Name = $"Movie {i}", Year = 2000 + i,
                    Overview = "A detective hunts a killer through a rainy city of neon and secrets.", Genres = ["Crime", "Thriller"],
                    DateCreated = DateTimeOffset.UtcNow.AddDays(i < 4 ? -3 : -300),
                });
            }
            return await db.SaveChangesAsync();
        });

        var local = await admin.GetFromJsonAsync<JsonElement>("/api/settings/cost-inputs");
        Assert.Equal(0m, local.GetProperty("oneOffUsd").GetDecimal());

        await admin.PatchAsJsonAsync("/api/settings/embedding-model", new { provider = "openai", model = "text-embedding-3-small", apiKey = "sk-0123456789abcdef" });
        var cost = await admin.GetFromJsonAsync<JsonElement>("/api/settings/cost-inputs");
        var movies = cost.GetProperty("kinds").EnumerateArray().Single(k => k.GetProperty("kind").GetString() == "movie");
        Assert.Equal(10, movies.GetProperty("titles").GetInt32());
        Assert.Equal(4, movies.GetProperty("addedLast30Days").GetInt32());
        var tokens = movies.GetProperty("tokens").GetInt64();
        Assert.InRange(tokens, 10 * 15, 10 * 60);
        Assert.Equal(Math.Round(tokens * 0.02m / 1_000_000m, 4), cost.GetProperty("oneOffUsd").GetDecimal());
    }
}
