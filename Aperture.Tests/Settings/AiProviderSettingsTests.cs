using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Tests.Settings;

// Embeddings and narratives keep one shape of AI provider settings: the same answer, the same messages, the same key rules.
public sealed class AiProviderSettingsTests
{
    private static readonly string[] Routes = ["/api/settings/embedding-model", "/api/settings/text-generation-model"];
    private static readonly Dictionary<string, string> Compatible = new()
    {
        ["/api/settings/embedding-model"] = "compatible",
        ["/api/settings/text-generation-model"] = "openai-compatible",
    };

    [Fact]
    public async Task Both_provider_apis_answer_apiKeySet_and_give_the_same_messages_for_the_same_mistakes()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _ = app;
        await using var __ = server;

        var messages = new List<(string BaseUrl, string ApiKey, string OpenAiKey)>();
        foreach (var route in Routes)
        {
            var config = await admin.GetFromJsonAsync<JsonElement>(route);
            Assert.False(config.GetProperty("apiKeySet").GetBoolean());
            Assert.Equal("none", config.GetProperty("apiKeySource").GetString());
            Assert.False(config.TryGetProperty("hasApiKey", out var _));

            var badUrl = await ErrorsAsync(admin, route, new { provider = Compatible[route], model = "some-model", baseUrl = "ftp://ollama/v1" });
            var badKey = await ErrorsAsync(admin, route, new { provider = Compatible[route], model = "some-model", baseUrl = "http://ollama:11434/v1", apiKey = "short" });
            var noKey = await ErrorsAsync(admin, route, new { provider = "openai" });
            messages.Add((badUrl.GetProperty("baseUrl")[0].GetString()!, badKey.GetProperty("apiKey")[0].GetString()!, noKey.GetProperty("apiKey")[0].GetString()!));
        }

        Assert.Equal(messages[0], messages[1]);
        Assert.Equal("OpenAI needs an API key (or set OPENAI_API_KEY).", messages[0].OpenAiKey);
        Assert.False(await app.WithDbAsync(db => db.Settings.AnyAsync(s => s.Key.StartsWith("embeddings.") || s.Key.StartsWith("textGeneration."))));
    }

    [Fact]
    public async Task A_change_without_a_key_keeps_each_providers_stored_key_encrypted_and_unechoed()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _ = app;
        await using var __ = server;

        foreach (var route in Routes)
        {
            var secret = $"secret-{route.Length}-0123456789";
            var saved = await admin.PatchAsJsonAsync(route, new { provider = Compatible[route], model = "first-model", baseUrl = "http://ollama:11434/v1", apiKey = secret });
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

            var changed = await admin.PatchAsJsonAsync(route, new { model = "second-model" });
            var body = await changed.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
            var config = JsonSerializer.Deserialize<JsonElement>(body);
            Assert.Equal(("second-model", true, "database"),
                (config.GetProperty("model").GetString(), config.GetProperty("apiKeySet").GetBoolean(), config.GetProperty("apiKeySource").GetString()));
        }

        var keys = await app.WithDbAsync(db => db.Settings.AsNoTracking().Where(s => s.Key.EndsWith(".compatibleApiKey")).ToListAsync());
        Assert.Equal(2, keys.Count);
        Assert.All(keys, k => Assert.True(k.IsSecret && k.Value.Length > 0 && !k.Value.Contains("secret-", StringComparison.Ordinal)));
    }

    private static async Task<JsonElement> ErrorsAsync(HttpClient admin, string route, object body)
    {
        var response = await admin.PatchAsJsonAsync(route, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
    }
}
