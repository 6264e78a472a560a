using Aperture.Data;
using Aperture.Fakes;
using Aperture.Narratives;
using Aperture.Tests.Infrastructure;

namespace Aperture.Tests.Narratives;

// The service against a fake speaking OpenAI's /v1/chat/completions.
public sealed class NarrativeServiceTests
{
    private static async Task UseModelAsync(AppFactory app, FakeOpenAiServer server, string model = "llama3.2", int perUser = 10, string? key = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TextGenerationSettings>().SaveAsync(
            new TextGenerationConfigInput(TextGenerationProviders.Compatible, model, server.BaseUrl, key ?? server.ApiKey, LlmPicksPerUser: perUser),
            CancellationToken.None);
    }

    private static async Task<T> WithServiceAsync<T>(AppFactory app, Func<NarrativeService, Task<T>> use)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<NarrativeService>());
    }

    [Fact]
    public async Task Without_a_text_model_every_narrative_is_written_locally()
    {
        await using var app = new AppFactory();
        var picks = new[] { NarrativeStories.CloseMatch(), NarrativeStories.Discovery() };

        var explained = await WithServiceAsync(app, s => s.ExplainPicksAsync(picks, CancellationToken.None));
        var taste = await WithServiceAsync(app, s => s.DescribeTasteAsync(NarrativeStories.Taste(), CancellationToken.None));

        Assert.Equal(picks.Select(LocalNarrativeWriter.ExplainPick), explained);
        Assert.Equal(LocalNarrativeWriter.DescribeTaste(NarrativeStories.Taste()), taste);
    }

    [Fact]
    public async Task A_configured_model_writes_the_top_picks_from_the_facts_and_the_rest_are_local()
    {
        await using var ollama = await FakeOpenAiServer.StartAsync();
        await using var app = new AppFactory();
        await UseModelAsync(app, ollama, perUser: 2);
        var picks = Enumerable.Range(0, 5).Select(i => NarrativeStories.CloseMatch($"Pick {i}")).ToList();

        var explained = await WithServiceAsync(app, s => s.ExplainPicksAsync(picks, CancellationToken.None));

        Assert.Equal(["llm:llama3.2", "llm:llama3.2", "local", "local", "local"], explained.Select(n => n.Source));
        Assert.Equal(FakeOpenAiServer.Reply("llama3.2", "Recommended film: Pick 0 (2007)"), explained[0].Text);
        Assert.Equal(LocalNarrativeWriter.ExplainPick(picks[4]), explained[4]);
        var calls = ollama.ChatCalls;
        Assert.Equal(2, calls.Count);
        var call = calls.Single(c => c.User.StartsWith("Recommended film: Pick 1", StringComparison.Ordinal));
        Assert.Equal("llama3.2", call.Model);
        Assert.NotEqual(true, call.Stream);
        Assert.Equal($"Bearer {ollama.ApiKey}", call.Authorization);
        Assert.Contains("Use only the facts given", call.Messages[0].Content, StringComparison.Ordinal);
        Assert.Equal("system", call.Messages[0].Role);
        Assert.Contains("Genres it shares with what the viewer watches: Science Fiction, Thriller", call.User, StringComparison.Ordinal);
        Assert.Contains("- Alien (1979): they rated it highly", call.User, StringComparison.Ordinal);
        Assert.Contains("Overview: A crew travels to reignite the dying sun.", call.User, StringComparison.Ordinal);

        var taste = await WithServiceAsync(app, s => s.DescribeTasteAsync(NarrativeStories.Taste(MediaKind.Series), CancellationToken.None));
        Assert.Equal(new Narrative("[llama3.2] Viewer: alice", "llm:llama3.2"), taste);
        var tasteCall = ollama.ChatCalls[^1];
        Assert.Contains("Shows with watched episodes: 212", tasteCall.User, StringComparison.Ordinal);
        Assert.Contains("Drama 52%", tasteCall.User, StringComparison.Ordinal);
        Assert.Contains("taste in shows", tasteCall.Messages[0].Content, StringComparison.Ordinal);
    }

    private static readonly string[] Faults = ["401", "429", "500", "timeout", "bad-json", "empty", "wrong-key", "unreachable"];

    [Fact]
    public async Task Every_kind_of_model_failure_falls_back_to_the_local_writer()
    {
        await using var ollama = await FakeOpenAiServer.StartAsync();
        await using var app = new AppFactory()
            .With("Narratives:PauseAfterFailureSeconds", "0")
            .With("Narratives:MaxRetries", "0")
            .With("Narratives:TimeoutSeconds", "1");
        var pick = NarrativeStories.CloseMatch();
        var local = LocalNarrativeWriter.ExplainPick(pick);

        foreach (var fault in Faults)
        {
            await UseModelAsync(app, ollama, key: fault == "wrong-key" ? "sk-wrong-key-000" : null);
            switch (fault)
            {
                case "401": ollama.Enqueue(OpenAiFault.Http(401)); break;
                case "429": ollama.Enqueue(OpenAiFault.Http(429, retryAfterSeconds: 1)); break;
                case "500": ollama.Enqueue(OpenAiFault.Http(500)); break;
                case "timeout": ollama.Enqueue(OpenAiFault.Timeout); break;
                case "bad-json": ollama.Enqueue(OpenAiFault.BadJson); break;
                case "empty": ollama.Enqueue(OpenAiFault.EmptyReply); break;
            }
            if (fault == "unreachable")
            {
                await using var scope = app.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<TextGenerationSettings>().SaveAsync(
                    new TextGenerationConfigInput(TextGenerationProviders.Compatible, "llama3.2", "http://127.0.0.1:9/v1", null), CancellationToken.None);
            }
            var calls = ollama.ChatCalls.Count;

            var narrative = await WithServiceAsync(app, s => s.ExplainPickAsync(pick, CancellationToken.None));
            var many = await WithServiceAsync(app, s => s.ExplainPicksAsync([pick], CancellationToken.None));

            Assert.True(local == narrative, $"{fault}: {narrative}");
            if (fault is not "wrong-key" and not "unreachable")
            {
                // The fault was used up by the first call: the second reached the model.
                Assert.Equal("llm:llama3.2", many[0].Source);
                Assert.Equal(calls + 2, ollama.ChatCalls.Count);
            }
        }
    }

    [Fact]
    public async Task After_a_failure_the_model_is_left_alone_and_the_rest_of_the_run_is_written_locally()
    {
        await using var ollama = await FakeOpenAiServer.StartAsync();
        await using var app = new AppFactory().With("Narratives:MaxConcurrency", "1").With("Narratives:MaxRetries", "0");
        await UseModelAsync(app, ollama);
        ollama.Enqueue(OpenAiFault.Http(500));
        var picks = Enumerable.Range(0, 6).Select(i => NarrativeStories.CloseMatch($"Pick {i}")).ToList();

        var first = await WithServiceAsync(app, s => s.ExplainPicksAsync(picks, CancellationToken.None));
        var nextUser = await WithServiceAsync(app, s => s.ExplainPicksAsync(picks, CancellationToken.None));

        Assert.All(first.Concat(nextUser), n => Assert.Equal("local", n.Source));
        Assert.Single(ollama.ChatCalls);

        // Saving the settings again (the admin fixed something) tries the model at once.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<NarrativeGate>().Reset();
        }
        var retried = await WithServiceAsync(app, s => s.ExplainPickAsync(picks[0], CancellationToken.None));
        Assert.Equal("llm:llama3.2", retried.Source);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_swallowed()
    {
        await using var ollama = await FakeOpenAiServer.StartAsync();
        await using var app = new AppFactory();
        await UseModelAsync(app, ollama);
        ollama.Enqueue(OpenAiFault.Timeout);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            WithServiceAsync(app, s => s.ExplainPicksAsync([NarrativeStories.CloseMatch()], cancel.Token)));
    }
}
