using System.Text.Json;
using Aperture.Catalog;
using Aperture.Data;
using Aperture.Feedback;
using Aperture.Narratives;
using Aperture.Settings;
using Aperture.VectorSearch;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;
using Aperture.Wording;

namespace Aperture.Recommendations;

public sealed record RecommendationRunResult(int Users, int WithPicks, int Picks, int Cleared, bool UsedCollaborative);

public sealed class RecommendationsUnavailableException(string message) : Exception(message);

// generate-recommendations / generate-series-recommendations: every enabled user's picks in one pass.
// Reads the synced history (never the media server), one query per table, then scores in memory; each
// user's new picks replace the old ones in one transaction, so a run that stops halfway leaves every
// user with a complete list (new or previous), never a mix.
public sealed class RecommendationService(
    AppDbContext db,
    IVectorIndex index,
    SettingsStore store,
    RecommendationSettings recommendationSettings,
    NarrativeService narratives,
    TasteService tasteProfiles,
    TimeProvider time,
    ILogger<RecommendationService> logger)
{
    private const int CalibrationSampleSize = 2000;

    // Users scored start to finish as one block, their picks written in one transaction (and their synopses in one save).
    // 16, not 64: a block's pools, scores and entities outlive a few collections and wait in gen2 for a full one; with 64
    // the MovieLens run peaked ~7 MB higher for the same CPU (README › Benchmarks, "Where issue #15 stands").
    private const int WriteBatchUsers = 16;

    public async Task<RecommendationRunResult> GenerateAsync(MediaKind kind, IJobProgress progress, long? jobRunId, CancellationToken ct,
        IReadOnlyCollection<string>? onlyUsers = null)
    {
        var modelKey = (await store.GetAsync(SettingKeys.ActiveEmbeddingModel(kind), ct)).Value
            ?? throw new RecommendationsUnavailableException(
                $"There are no {kind.Slug()} vectors yet: run {JobNames.Embeddings(kind)} (after {JobNames.SyncCatalog(kind)}) first.");
        var settings = await recommendationSettings.GetAsync(kind, ct);
        var now = time.GetUtcNow();

        progress.Stage("Reading the catalogue and watch history");
        var users = await db.Users.AsNoTracking().Where(u => u.PresentOnServer && !u.IsDisabled)
            .Where(AppUserPicks.HasPicks(kind))
            .OrderBy(u => u.Name).ThenBy(u => u.Id)
            .Select(u => new { u.Id, u.Name }).ToListAsync(ct);
        if (onlyUsers is not null)
        {
            users = users.Where(u => onlyUsers.Contains(u.Id, StringComparer.OrdinalIgnoreCase)).ToList();
        }
        var cleared = onlyUsers is null ? await ClearNotEnabledAsync(kind, users.Select(u => u.Id).ToList(), ct) : 0;
        var histories = await RecommendationInputs.HistoriesAsync(db, kind, ct);
        var catalogue = await RecommendationInputs.CatalogueAsync(db, kind, histories, settings.MinCollaborativeUsers, now, ct);
        if (users.Count == 0)
        {
            progress.Log($"No user has {kind.Slug()} picks enabled (Admin › Users).");
            return new RecommendationRunResult(0, 0, 0, cleared, false);
        }

        var cooccurrence = RecommendationInputs.Cooccurrence(histories, settings);
        if (settings.UseCollaborative && cooccurrence is null)
        {
            progress.Log($"Co-watch and popularity signals off: fewer than {Plural.Count(settings.MinCollaborativeUsers, "user")} with {kind.Slug()} history.");
        }

        // Vectors: every watched title's (for tastes and evidence) and a fixed catalogue sample (for the match %).
        var watchedIds = histories.Values.SelectMany(h => h.Signals).Select(s => s.TitleId).ToHashSet();
        var sampleIds = RecommendationInputs.CalibrationIds(catalogue.Values.Where(t => t.Candidate).Select(t => t.Id), CalibrationSampleSize);
        // From the index: on SQLite these are the arrays the in-process index already holds, not a second copy.
        var vectors = await index.VectorsAsync(kind, modelKey, watchedIds.Concat(sampleIds), ct);
        var calibration = sampleIds.Where(vectors.ContainsKey).Select(id => (id, vectors[id])).ToList();
        var context = new RecommendationContext(catalogue, id => vectors.GetValueOrDefault(id), cooccurrence, calibration, settings, now);

        var enabledLibraries = await db.Libraries.AsNoTracking().Where(l => l.Kind == kind && l.Enabled && l.PresentOnServer)
            .Select(l => l.Id).ToListAsync(ct);
        var libraries = enabledLibraries.ToHashSet();
        var empty = new UserHistory("", [], new HashSet<long>());
        // Feedback and tuning enter here as inputs: signals and exclusions into each history, weights and genre factors into scoring.
        var adjustments = await FeedbackInputs.LoadAsync(db, kind, await FeedbackInputs.TuningEnabledAsync(store, ct), users.Select(u => u.Id).ToList(), logger, ct);
        var adjustmentsOf = users.Select(u => adjustments.GetValueOrDefault(u.Id) ?? UserAdjustments.None).ToList();
        var inputs = users.Select((u, i) => FeedbackInputs.Apply(histories.GetValueOrDefault(u.Id) ?? empty with { UserId = u.Id }, adjustmentsOf[i])).ToList();
        var tastes = inputs.Select(h => UserRecommender.Taste(h, context)).ToList();

        // One block of users at a time, start to finish: candidates from the index, pools, the pooled titles' vectors, scores,
        // then the block's lists written in one transaction. Only one block's pools and co-watch scores are ever held (all
        // 610 users' at once were most of the run's memory); the lists are the same as when every stage ran for every user first.
        progress.Stage("Scoring and saving picks", users.Count);
        var run = new RunState(kind, modelKey, jobRunId, settings, context, cooccurrence is not null, vectors,
            users.Select(u => (u.Id, u.Name)).ToList(), inputs, tastes, adjustmentsOf, libraries,
            UserRecommender.PoolSize(settings with { PicksPerUser = adjustmentsOf.Select(a => a.PicksPerUser ?? 0).Append(settings.PicksPerUser).Max() }),
            JsonSettings.Serialize(settings), progress);
        foreach (var block in Enumerable.Range(0, inputs.Count).Chunk(WriteBatchUsers))
        {
            ct.ThrowIfCancellationRequested();
            await ScoreBlockAsync(run, block, ct);
        }
        var (withPicks, total) = (run.WithPicks, run.Total);
        // Where the run's time went, in its log (README › Benchmarks reads these).
        progress.Log(FormattableString.Invariant(
            $"timing: candidates {run.Candidates.TotalSeconds:0.00} s, scoring {run.Scoring.TotalSeconds:0.00} s, explanations {run.Explaining.TotalSeconds:0.00} s, writing picks {run.Writing.TotalSeconds:0.00} s, taste synopses {run.Synopses.TotalSeconds:0.00} s"));
        logger.LogInformation("{Kind} picks: {Picks} for {Users} users (co-watch {Collaborative})", kind.Slug(), total, users.Count, cooccurrence is not null);
        return new RecommendationRunResult(users.Count, withPicks, total, cleared, cooccurrence is not null);
    }

    // What every block of a run shares: the inputs (read once), the users in run order, and the run's tallies.
    private sealed record RunState(
        MediaKind Kind, string ModelKey, long? JobRunId, KindRecommendationSettings Settings, RecommendationContext Context, bool UsedCollaborative,
        Dictionary<long, float[]> Vectors, List<(string Id, string Name)> Users, List<UserHistory> Inputs, List<float[]?> Tastes,
        List<UserAdjustments> Adjustments, IReadOnlySet<string> Libraries, int PoolSize, string SettingsJson, IJobProgress Progress)
    {
        public TasteService.RunCache SynopsisInputs { get; } = new() { Titles = Context.Titles };
        public int WithPicks { get; set; }
        public int Total { get; set; }
        public TimeSpan Candidates { get; set; }
        public TimeSpan Scoring { get; set; }
        public TimeSpan Explaining { get; set; }
        public TimeSpan Writing { get; set; }
        public TimeSpan Synopses { get; set; }
    }

    // One block of users start to finish: candidates from the index, pools, the pooled titles' vectors, scores, explanations,
    // then the block's lists written in one transaction and their synopses. Only one block's pools and co-watch scores are
    // ever held (all 610 users' at once were most of the run's memory); the lists are the same as when every stage ran for
    // every user first.
    private async Task ScoreBlockAsync(RunState run, int[] block, CancellationToken ct)
    {
        var (kind, context) = (run.Kind, run.Context);
        var mark = time.GetTimestamp();
        var withTaste = block.Where(i => run.Tastes[i] is not null).ToList();
        var hits = withTaste.Count == 0 ? [] : await index.NearestBatchAsync(kind, withTaste.Select(i => run.Tastes[i]!).ToList(), run.PoolSize,
            withTaste.Select(i => new VectorFilter(run.Inputs[i].Excluded, run.Libraries)).ToList(), ct);
        var nearest = new Dictionary<int, IReadOnlyList<VectorHit>>(withTaste.Count);
        for (var b = 0; b < withTaste.Count; b++)
        {
            nearest[withTaste[b]] = hits[b];
        }
        // A user's co-watch scores reach thousands of titles; only the pooled ones are read after the pool is drawn, so only
        // those are kept (and the others never make a dictionary).
        var pools = new HashSet<long>[block.Length];
        var collaborative = new Dictionary<long, double>[block.Length];
        for (var b = 0; b < block.Length; b++)
        {
            var i = block[b];
            (pools[b], collaborative[b]) = UserRecommender.PoolWithScores(run.Inputs[i], nearest.GetValueOrDefault(i)?.Select(x => x.Id) ?? [], context);
        }
        nearest.Clear();
        foreach (var (id, vector) in await index.VectorsAsync(kind, run.ModelKey,
            pools.SelectMany(p => p).Where(id => !run.Vectors.ContainsKey(id)).Distinct(), ct))
        {
            run.Vectors[id] = vector;
        }
        run.Candidates += time.GetElapsedTime(mark);

        var scored = new List<(int User, RecommendationRun Run, UserPicks Result, List<Pick> Picks)>(block.Length);
        for (var b = 0; b < block.Length; b++)
        {
            var i = block[b];
            var user = run.Inputs[i];
            var adjustments = run.Adjustments[i];
            var started = time.GetUtcNow();
            mark = time.GetTimestamp();
            var result = UserRecommender.Recommend(user, run.Tastes[i], pools[b], collaborative[b], context, adjustments);
            run.Scoring += time.GetElapsedTime(mark);
            pools[b] = null!;
            collaborative[b] = null!;
            var entry = new RecommendationRun
            {
                UserId = user.UserId,
                Kind = kind,
                JobRunId = run.JobRunId,
                Status = RecommendationRunStatus.Succeeded,
                StartedAt = started,
                FinishedAt = time.GetUtcNow(),
                WatchedCount = user.Signals.Count,
                CandidateCount = result.Candidates,
                PickCount = result.Picks.Count,
                UsedCollaborative = run.UsedCollaborative,
                ModelKey = run.ModelKey,
                Settings = adjustments is { Weights: not null } or { PicksPerUser: not null }
                    ? JsonSettings.Serialize(run.Settings with { Weights = adjustments.Weights ?? run.Settings.Weights, PicksPerUser = adjustments.PicksPerUser ?? run.Settings.PicksPerUser })
                    : run.SettingsJson,
            };
            scored.Add((i, entry, result, result.Picks.Select(p => ToEntity(p, user.UserId, kind, context.Titles)).ToList()));
        }

        // The "why" text: the model for the top few when one is configured, the local writer otherwise (and whenever the model
        // fails). Written before the swap, so the new list appears complete. Overviews are read for this block's picks only.
        mark = time.GetTimestamp();
        var overviews = await RecommendationInputs.OverviewsAsync(db, scored.SelectMany(s => s.Picks).Select(p => p.TitleId), ct);
        var pending = new List<(RecommendationRun Run, List<Pick> Picks, string Name)>(block.Length);
        foreach (var (i, entry, result, entities) in scored)
        {
            var stories = entities.Select((p, j) => Story(p, result.Picks[j].Nudges, kind, context.Titles, overviews.GetValueOrDefault(p.TitleId))).ToList();
            var texts = await narratives.ExplainPicksAsync(stories, ct);
            for (var p = 0; p < entities.Count; p++)
            {
                entities[p].Explanation = texts[p].Text;
                entities[p].ExplanationSource = texts[p].Source;
            }
            var name = run.Users[i].Name;
            pending.Add((entry, entities, name));
            // Scored; written with its block below (a cancellation before that leaves the block's users their previous lists).
            run.Progress.Advance(1, name);
            run.WithPicks += result.Picks.Count > 0 ? 1 : 0;
            run.Total += result.Picks.Count;
        }
        run.Explaining += time.GetElapsedTime(mark);

        mark = time.GetTimestamp();
        await ReplaceAsync(kind, pending, ct);
        run.Writing += time.GetElapsedTime(mark);
        mark = time.GetTimestamp();
        await tasteProfiles.RegenerateManyAsync([.. pending.Select(p => (p.Run.UserId, p.Name))], kind, ct, run.SynopsisInputs);
        run.Synopses += time.GetElapsedTime(mark);
        run.Progress.Count("picks", pending.Sum(p => p.Picks.Count));
    }

    // A batch of users' new lists and runs in one transaction, their previous picks deleted in the same one: each user has
    // the old list or the new one, never a mix, and a batch costs three statements' round trips instead of three per user.
    private async Task ReplaceAsync(MediaKind kind, List<(RecommendationRun Run, List<Pick> Picks, string Name)> batch, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            db.RecommendationRuns.AddRange(batch.Select(b => b.Run));
            await db.SaveChangesAsync(ct);
            foreach (var (run, picks, _) in batch)
            {
                foreach (var p in picks)
                {
                    p.RunId = run.Id;
                }
            }
            // Thousands of rows: written as the sync writes its rows (a few statements), not tracked and saved one by one.
            await BulkInsert.InsertAsync(db, [.. batch.SelectMany(b => b.Picks)], ct);
            var userIds = batch.Select(b => b.Run.UserId).ToList();
            var runIds = batch.Select(b => b.Run.Id).ToList();
            await db.Picks.Where(p => userIds.Contains(p.UserId) && p.Kind == kind && !runIds.Contains(p.RunId)).ExecuteDeleteAsync(ct);
            // Cancellation must not land between the commit and the caller's bookkeeping.
            await transaction.CommitAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
        });
    }

    // Users switched off (or gone from the server) lose their picks at the next run.
    private async Task<int> ClearNotEnabledAsync(MediaKind kind, List<string> enabled, CancellationToken ct) =>
        await db.Picks.Where(p => p.Kind == kind && !enabled.Contains(p.UserId)).ExecuteDeleteAsync(ct);

    private static PickStory Story(Pick p, IReadOnlyList<GenreNudge>? nudges, MediaKind kind, IReadOnlyDictionary<long, CatalogTitle> catalogue,
        string? overview)
    {
        var title = catalogue[p.TitleId];
        return new PickStory(kind, title.Name, title.Year, title.Genres, p.MatchedGenres, p.MatchPercent, p.Similarity, p.Novelty, p.Rating,
            p.Popularity, p.Collaborative, title.CommunityRating,
            [.. p.Evidence.Select(e => new EvidenceTitle(e.Name, e.Year, e.Reason switch
            {
                EvidenceKind.Favorite => EvidenceReason.Favorite,
                EvidenceKind.HighlyRated => EvidenceReason.HighlyRated,
                EvidenceKind.Rewatched => EvidenceReason.Rewatched,
                EvidenceKind.Liked => EvidenceReason.Liked,
                _ => EvidenceReason.Watched,
            }, e.Similarity))],
            overview,
            [.. (nudges ?? []).Where(n => n.Factor > 1).Select(n => n.Genre)],
            [.. (nudges ?? []).Where(n => n.Factor < 1).Select(n => n.Genre)]);
    }

    private static Pick ToEntity(PickDraft p, string userId, MediaKind kind, IReadOnlyDictionary<long, CatalogTitle> catalogue) => new()
    {
        UserId = userId,
        Kind = kind,
        TitleId = p.TitleId,
        Rank = p.Rank,
        Score = p.Score,
        Similarity = p.Similarity,
        Novelty = p.Novelty,
        Rating = p.Rating,
        Popularity = p.Popularity,
        Collaborative = p.Collaborative,
        Variety = p.Variety,
        MatchPercent = p.MatchPercent,
        MatchedGenres = [.. p.MatchedGenres],
        Evidence = p.Evidence.Select(e => new PickEvidence
        {
            TitleId = e.TitleId,
            Name = catalogue.TryGetValue(e.TitleId, out var t) ? t.Name : "",
            Year = catalogue.TryGetValue(e.TitleId, out var y) ? y.Year : null,
            Reason = RecommendationInputs.Reason(e.Signal),
            Similarity = Math.Round(e.Similarity, 4),
        }).ToList(),
    };
}
