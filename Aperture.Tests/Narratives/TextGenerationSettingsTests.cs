using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aperture.Fakes;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Tests.Narratives;

public sealed class TextGenerationSettingsTests
{
    private const string Route = "/api/settings/text-generation-model";

    [Fact]
    public async Task Bad_values_are_400s_naming_the_field_and_nothing_is_saved()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _ = app;
        await using var __ = server;

        var config = await admin.GetFromJsonAsync<JsonElement>(Route);
        Assert.Equal("none", config.GetProperty("provider").GetString());
        Assert.False(config.GetProperty("apiKeySet").GetBoolean());
        Assert.Equal(10, config.GetProperty("llmPicksPerUser").GetInt32());

        (object Body, string Field)[] bad =
        [
            (new { provider = "claude" }, "provider"),
            (new { provider = "openai-compatible", model = "llama3.2" }, "baseUrl"),
            (new { provider = "openai-compatible", model = "llama3.2", baseUrl = "ftp://ollama:11434/v1" }, "baseUrl"),
            (new { provider = "openai-compatible", model = "llama3.2", baseUrl = "ollama:11434" }, "baseUrl"),
            (new { provider = "openai-compatible", model = " ", baseUrl = "http://ollama:11434/v1" }, "model"),
            (new { provider = "openai", model = "", apiKey = "sk-0123456789abcdef" }, "model"),
            (new { provider = "openai", model = "gpt-4o-mini" }, "apiKey"),
            (new { provider = "none", llmPicksPerUser = -1 }, "llmPicksPerUser"),
            (new { provider = "none", temperature = 2 }, "temperature"),
            (new { provider = 3 }, "provider"),
        ];
        foreach (var (body, field) in bad)
        {
            var response = await admin.PatchAsJsonAsync(Route, body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var _), $"{JsonSerializer.Serialize(body)} → {problem}");
        }

        // Cookie-authenticated form posts without the antiforgery token are refused.
        using var form = new FormUrlEncodedContent([new("provider", "openai")]);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PatchAsync(Route, form)).StatusCode);

        Assert.Equal("none", (await admin.GetFromJsonAsync<JsonElement>(Route)).GetProperty("provider").GetString());
        Assert.False(await app.WithDbAsync(db => db.Settings.AnyAsync(s => s.Key.StartsWith("textGeneration."))));
    }

    [Fact]
    public async Task A_compatible_servers_key_is_stored_encrypted_and_never_echoed_and_openai_shares_the_embedding_key()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _ = app;
        await using var __ = server;
        const string secret = "ollama-secret-4711";

        var ok = await admin.PatchAsJsonAsync(Route, new { provider = "openai-compatible", model = "llama3.2", baseUrl = "http://ollama:11434/v1/", apiKey = secret, llmPicksPerUser = 5 });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var body = await ok.Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
        var saved = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal(("openai-compatible", "llama3.2", "http://ollama:11434/v1", true, 5),
            (saved.GetProperty("provider").GetString(), saved.GetProperty("model").GetString(), saved.GetProperty("baseUrl").GetString(),
             saved.GetProperty("apiKeySet").GetBoolean(), saved.GetProperty("llmPicksPerUser").GetInt32()));
        var raw = await app.WithDbAsync(db => db.Settings.AsNoTracking().SingleAsync(s => s.Key == "textGeneration.compatibleApiKey"));
        Assert.True(raw.IsSecret);
        Assert.DoesNotContain(secret, raw.Value, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, await admin.GetStringAsync(Route), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, await admin.GetStringAsync("/admin/settings/ai"), StringComparison.Ordinal);

        // Clearing the key leaves the rest.
        var cleared = await admin.PatchAsJsonAsync(Route, new { clearApiKey = true });
        Assert.False((await cleared.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKeySet").GetBoolean());

        // OpenAI uses the key saved for the embedding provider (openai.apiKey) and defaults its model.
        await admin.PatchAsJsonAsync("/api/settings/embedding-model", new { provider = "openai", model = "text-embedding-3-small", apiKey = "sk-0123456789abcdef" });
        var openai = await admin.PatchAsJsonAsync(Route, new { provider = "openai" });
        Assert.Equal(HttpStatusCode.OK, openai.StatusCode);
        var config = await openai.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("gpt-4o-mini", true), (config.GetProperty("model").GetString(), config.GetProperty("apiKeySet").GetBoolean()));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PatchAsJsonAsync(Route, new { clearApiKey = true })).StatusCode);
    }

    [Fact]
    public async Task A_bodiless_test_of_saved_settings_that_are_no_longer_valid_is_a_400_problem_naming_the_field()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _ = app;
        await using var __ = server;
        // Narratives on OpenAI with the key the embeddings section saved; then that shared key is gone (an OPENAI_API_KEY no
        // longer set, a restored backup without it): what is saved for narratives can no longer work.
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync("/api/settings/embedding-model",
            new { provider = "openai", model = "text-embedding-3-small", apiKey = "sk-0123456789abcdef" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync(Route, new { provider = "openai" })).StatusCode);
        Assert.Equal(1, await app.WithDbAsync(db => db.Settings.Where(s => s.Key == "openai.apiKey").ExecuteDeleteAsync()));
        var saved = await admin.GetFromJsonAsync<JsonElement>(Route);
        Assert.Equal(("openai", false), (saved.GetProperty("provider").GetString(), saved.GetProperty("apiKeySet").GetBoolean()));

        // No body: the saved choice is what is tested (a JSON client sends its content type with an empty body).
        using var request = new HttpRequestMessage(HttpMethod.Post, Route + "/test") { Content = new ByteArrayContent([]) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var test = await admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, test.StatusCode);
        Assert.Equal("application/problem+json", test.Content.Headers.ContentType?.MediaType);
        var problem = await test.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal("Invalid value for 'apiKey'.", problem.GetProperty("title").GetString());
        Assert.Equal("OpenAI needs an API key (or set OPENAI_API_KEY).", problem.GetProperty("errors").GetProperty("apiKey")[0].GetString());
        // Testing changed nothing.
        Assert.Equal("openai", (await admin.GetFromJsonAsync<JsonElement>(Route)).GetProperty("provider").GetString());
    }

    [Fact]
    public async Task Normal_users_get_403()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _ = app;
        await using var __ = server;
        var alice = await app.SignedInClientAsync("alice", "pw");

        Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetAsync(Route)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.PatchAsJsonAsync(Route, new { provider = "none" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.PostAsJsonAsync(Route + "/test", new { provider = "none" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetAsync("/admin/settings/ai")).StatusCode);
    }

    [Fact]
    public async Task Test_asks_the_model_for_one_line_and_reports_a_bad_key_clearly()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _ = app;
        await using var __ = server;
        await using var ollama = await FakeOpenAiServer.StartAsync(apiKey: "ollama-key-123");

        var test = await admin.PostAsJsonAsync(Route + "/test", new { provider = "openai-compatible", model = "llama3.2", baseUrl = ollama.BaseUrl, apiKey = "ollama-key-123" });
        var result = await test.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.StartsWith("[llama3.2] ", result.GetProperty("reply").GetString(), StringComparison.Ordinal);
        Assert.Equal("llm:llama3.2", result.GetProperty("source").GetString());
        Assert.Equal(40, Assert.Single(ollama.ChatCalls).MaxTokens);

        test = await admin.PostAsJsonAsync(Route + "/test", new { provider = "openai-compatible", model = "llama3.2", baseUrl = ollama.BaseUrl, apiKey = "wrong-key-123" });
        result = await test.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Contains("rejected the API key (401)", result.GetProperty("error").GetString(), StringComparison.Ordinal);

        // Testing saves nothing.
        Assert.Equal("none", (await admin.GetFromJsonAsync<JsonElement>(Route)).GetProperty("provider").GetString());
    }

    [Fact]
    public async Task The_ai_page_has_a_narratives_section_whose_test_and_save_work_over_htmx_and_forms()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _ = app;
        await using var __ = server;
        await using var ollama = await FakeOpenAiServer.StartAsync(apiKey: null);

        var html = await admin.GetStringAsync("/admin/settings/ai");
        Assert.Contains("AI: narratives", html, StringComparison.Ordinal);
        Assert.Contains("name=\"Text.Provider\"", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"none\" selected=\"selected\">", html, StringComparison.Ordinal);

        var token = await admin.AntiforgeryTokenAsync("/admin/settings/ai");
        KeyValuePair<string, string>[] fields =
            [new("Text.Provider", "openai-compatible"), new("Text.Model", "llama3.2"), new("Text.BaseUrl", ollama.BaseUrl), new("Text.LlmPicksPerUser", "7")];
        // The section's buttons post where its handlers are: Test over htmx, Save as the form's action.
        var testUrl = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "hx-post=\"([^\"]*section=Text[^\"]*)\"").Groups[1].Value);
        var saveUrl = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "action=\"([^\"]*section=Text[^\"]*)\"").Groups[1].Value);
        Assert.Equal(("Test", "Save"), (QueryValue(testUrl, "handler"), QueryValue(saveUrl, "handler")));
        var test = await admin.PostFormAsync(testUrl, token, fields, htmx: true);
        var fragment = await test.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        Assert.DoesNotContain("<html", fragment, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Works (llm:llama3.2", fragment, StringComparison.Ordinal);

        var noToken = await admin.PostFormAsync("/admin/settings/ai?handler=Save&section=Text", null, fields);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);

        var invalid = await admin.PostFormAsync("/admin/settings/ai?handler=Save&section=Text", token,
            [new("Text.Provider", "openai-compatible"), new("Text.Model", "llama3.2"), new("Text.BaseUrl", "not a url")]);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("absolute http or https", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Save and Test are one handler each for both sections: a section the page does not have is not found, nothing saved.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostFormAsync("/admin/settings/ai?handler=Save&section=Nope", token, fields)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostFormAsync("/admin/settings/ai?handler=Test&section=Nope", token, fields, htmx: true)).StatusCode);
        Assert.Equal("none", (await admin.GetFromJsonAsync<JsonElement>(Route)).GetProperty("provider").GetString());

        var save = await admin.PostFormAsync(saveUrl, token, fields);
        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var config = await admin.GetFromJsonAsync<JsonElement>(Route);
        Assert.Equal(("openai-compatible", "llama3.2", 7), (config.GetProperty("provider").GetString(), config.GetProperty("model").GetString(),
            config.GetProperty("llmPicksPerUser").GetInt32()));
        Assert.Contains("<option value=\"openai-compatible\" selected=\"selected\">", await admin.GetStringAsync("/admin/settings/ai?textSaved=true"), StringComparison.Ordinal);
    }

    private static string? QueryValue(string url, string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(new Uri("http://x"), url).Query).TryGetValue(name, out var v) ? v.ToString() : null;
}
