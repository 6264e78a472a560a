namespace Aperture.Narratives;

// Taste synopses and "why this pick" text. With a text model configured the model writes them from the
// recommender's facts; without one, or whenever the model fails in any way, the local writer does.
// Only the caller's cancellation ever escapes as an exception.
public sealed class NarrativeService(TextGenerationSettings settings, IHttpClientFactory http, NarrativeGate gate,
    ILogger<NarrativeService> logger) : IDisposable
{
    private const int PickAnswerTokens = 160;
    private const int TasteAnswerTokens = 280;
    private const int ChannelAnswerTokens = 200;

    private readonly SemaphoreSlim loading = new(1, 1);
    private (ChatTextGenerator? Generator, int LlmPicksPerUser)? model;

    public async Task<Narrative> ExplainPickAsync(PickStory pick, CancellationToken ct)
    {
        var (generator, _) = await ModelAsync(ct);
        return generator is null
            ? LocalNarrativeWriter.ExplainPick(pick)
            : await AskOrLocalAsync(generator, NarrativePrompts.PickSystem(pick.Kind), NarrativePrompts.PickFacts(pick), PickAnswerTokens,
                () => LocalNarrativeWriter.ExplainPick(pick), pick.Title, ct);
    }

    // One user's picks in rank order. The model writes the first few (the setting "picks per user
    // written by the model"), a few at a time; the rest are written locally, so that a run over
    // fifty picks for every user stays minutes, not hours, and costs little.
    public async Task<IReadOnlyList<Narrative>> ExplainPicksAsync(IReadOnlyList<PickStory> picks, CancellationToken ct)
    {
        var (generator, perUser) = await ModelAsync(ct);
        var results = new Narrative[picks.Count];
        var byModel = generator is null ? 0 : Math.Min(perUser, picks.Count);
        for (var i = byModel; i < picks.Count; i++)
        {
            results[i] = LocalNarrativeWriter.ExplainPick(picks[i]);
        }
        if (byModel > 0)
        {
            await Task.WhenAll(Enumerable.Range(0, byModel).Select(async i =>
            {
                var pick = picks[i];
                results[i] = await AskOrLocalAsync(generator!, NarrativePrompts.PickSystem(pick.Kind), NarrativePrompts.PickFacts(pick),
                    PickAnswerTokens, () => LocalNarrativeWriter.ExplainPick(pick), pick.Title, ct);
            }));
        }
        return results;
    }

    public async Task<Narrative> DescribeTasteAsync(TasteStory taste, CancellationToken ct)
    {
        var (generator, _) = await ModelAsync(ct);
        if (generator is null || taste.WatchedCount <= 0)
        {
            return LocalNarrativeWriter.DescribeTaste(taste);
        }
        return await AskOrLocalAsync(generator, NarrativePrompts.TasteSystem(taste.Kind), NarrativePrompts.TasteFacts(taste), TasteAnswerTokens,
            () => LocalNarrativeWriter.DescribeTaste(taste), $"the taste of {taste.UserName}", ct);
    }

    public async Task<Narrative> DescribeChannelAsync(ChannelStory channel, CancellationToken ct)
    {
        var (generator, _) = await ModelAsync(ct);
        return generator is null || channel.Titles.Count == 0
            ? ChannelDescriptions.Local(channel)
            : await AskOrLocalAsync(generator, ChannelDescriptions.System, ChannelDescriptions.Facts(channel), ChannelAnswerTokens,
                () => ChannelDescriptions.Local(channel), $"the channel {channel.Name}", ct);
    }

    private async Task<Narrative> AskOrLocalAsync(ChatTextGenerator generator, string system, string facts, int maxTokens,
        Func<Narrative> local, string subject, CancellationToken ct)
    {
        if (gate.IsPaused)
        {
            return local();
        }
        using (await gate.EnterAsync(ct))
        {
            // Another request may have failed while this one waited for a slot.
            if (gate.IsPaused)
            {
                return local();
            }
            try
            {
                var text = await generator.AskAsync(system, facts, maxTokens, ct);
                return new Narrative(text, Narrative.LlmSource(generator.Model));
            }
            catch (TextGenerationException e)
            {
                gate.Trip();
                logger.LogWarning("Text model {Model} failed writing about {Subject} ({Kind}): {Error}; writing locally, and leaving the model alone for a while",
                    generator.Model, subject, e.Kind, e.Message);
                return local();
            }
        }
    }

    // Read once per scope: a job explaining many users' picks builds one client, not one per user.
    private async Task<(ChatTextGenerator? Generator, int LlmPicksPerUser)> ModelAsync(CancellationToken ct)
    {
        if (model is { } ready)
        {
            return ready;
        }
        await loading.WaitAsync(ct);
        try
        {
            if (model is null)
            {
                var config = await settings.GetAsync(ct);
                ChatTextGenerator? generator = null;
                try
                {
                    generator = await settings.CreateGeneratorAsync(null, http.CreateClient(NarrativesExtensions.HttpClientName), ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "The text model cannot be set up; narratives are written locally");
                }
                model = (generator, config.LlmPicksPerUser);
            }
            return model.Value;
        }
        finally
        {
            loading.Release();
        }
    }

    public void Dispose()
    {
        model?.Generator?.Dispose();
        loading.Dispose();
    }
}
