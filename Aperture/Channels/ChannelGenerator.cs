using System.Globalization;
using System.Numerics.Tensors;
using Aperture.Data;
using Aperture.Embeddings;
using Aperture.Feedback;
using Aperture.Narratives;
using Aperture.Recommendations;
using Aperture.Settings;
using Aperture.VectorSearch;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;
using Aperture.Wording;

namespace Aperture.Channels;

// A channel that cannot be filled says why, naming the input to change (never an empty channel).
public sealed class ChannelGenerationException(string field, string message, bool unavailable = false) : Exception(message)
{
    public string Field { get; } = field;

    // True when the catalogue itself is not ready (no vectors yet), not the channel's inputs.
    public bool Unavailable { get; } = unavailable;
}

public sealed record ChannelGenerationResult(int Entries, string Description, string DescriptionSource);

// Fills a channel. Two rankings over every title the filters allow: the catalogue vocabulary (what the words say:
// genres, keywords, people, decades, overview words, synonyms and what the catalogue teaches) and the vector match
// (the active embedding model's vector of the words, blended with the examples' vectors); fused by reciprocal rank,
// leaned a little towards the owner's taste when asked, diversified; each title says what actually matched.
public sealed class ChannelGenerator(
    AppDbContext db,
    IVectorIndex index,
    EmbeddingService embeddings,
    SettingsStore store,
    RecommendationSettings recommendationSettings,
    NarrativeService narratives,
    ChannelVocabularies vocabularies,
    TimeProvider time,
    ILogger<ChannelGenerator> logger)
{
    public const double Diversity = 0.2;
    // How deep each ranking goes into the fusion.
    public const int LexicalDepth = 400;
    public const int VectorDepth = 200;
    // The taste lean, on the fused scale: at full cosine about the gap between ranks 1 and 15 of the vocabulary ranking.
    private const double TasteLean = 0.004;
    // Below this cosine a title is not said to be close to the owner's taste.
    private const double TasteSaid = 0.35;
    // Only a genre filter smaller than this is scored whole from stored vectors; a larger one uses the index.
    private const int FilteredScanLimit = 20_000;

    private sealed record Candidate(MediaKind Kind, long TitleId, string Name, int? Year, IReadOnlyList<string> Genres, double Score, string Why);

    public static IReadOnlyList<MediaKind> Kinds(ChannelKind kind) => kind switch
    {
        ChannelKind.Movies => [MediaKind.Movie],
        ChannelKind.Series => [MediaKind.Series],
        _ => [MediaKind.Movie, MediaKind.Series],
    };

    // The channel must be tracked with its entries; the new entries replace the old in the caller's SaveChanges.
    public async Task<ChannelGenerationResult> GenerateAsync(Channel channel, IJobProgress progress, CancellationToken ct)
    {
        var kinds = Kinds(channel.Kind);
        var now = time.GetUtcNow();
        var chosen = new List<Candidate>();
        var anyVectors = false;
        var anyQuery = false;
        var exampleNames = new List<string>();
        progress.Stage("Finding titles", kinds.Count);
        foreach (var kind in kinds)
        {
            var modelKey = (await store.GetAsync(SettingKeys.ActiveEmbeddingModel(kind), ct)).Value;
            if (modelKey is null)
            {
                continue;
            }
            anyVectors = true;
            var query = await QueryAsync(channel, kind, modelKey, now, ct);
            exampleNames.AddRange(query.Examples.Select(e => e.Name));
            var found = await CandidatesAsync(channel, kind, modelKey, query, ct);
            if (found is null)
            {
                continue;
            }
            anyQuery = true;
            chosen.AddRange(found);
            progress.Advance();
        }
        if (!anyVectors)
        {
            throw new ChannelGenerationException("kind",
                $"There are no {string.Join(" or ", kinds.Select(k => k.Slug()))} vectors yet: an admin runs the sync and embedding jobs first.", unavailable: true);
        }
        if (!anyQuery)
        {
            throw new ChannelGenerationException(channel.ExampleTitleIds.Count > 0 ? "examples" : "preference",
                string.IsNullOrWhiteSpace(channel.Preference) && channel.ExampleTitleIds.Count == 0
                    ? "Describe the channel in words or pick an example title."
                    : $"Nothing in the catalogue is described with the words \u201C{channel.Preference}\u201D and no example title has a vector: try other words or add an example.");
        }
        var ranked = chosen.OrderByDescending(c => c.Score).Take(channel.Size).ToList();
        if (ranked.Count == 0)
        {
            throw new ChannelGenerationException(channel.IncludeGenres.Count + channel.ExcludeGenres.Count > 0 ? "includeGenres" : "preference",
                "Nothing matches this channel: no unwatched title fits its genres and description. Loosen the genre filters or allow watched titles.");
        }

        progress.Stage("Writing the description");
        var story = new ChannelStory(channel.Name, kinds, channel.Preference, exampleNames, channel.IncludeGenres, channel.ExcludeGenres,
            ranked.Select(c => new ChannelTitle(c.Name, c.Year, c.Genres)).ToList());
        var description = await narratives.DescribeChannelAsync(story, ct);

        channel.Entries.Clear();
        for (var i = 0; i < ranked.Count; i++)
        {
            channel.Entries.Add(new ChannelEntry { TitleId = ranked[i].TitleId, Rank = i + 1, Score = Math.Round(ranked[i].Score, 6), Why = ranked[i].Why });
        }
        channel.Description = description.Text;
        channel.DescriptionSource = description.Source;
        channel.GeneratedAt = now;
        progress.Log($"{Plural.Count(ranked.Count, "title")} for {channel.Name}");
        return new ChannelGenerationResult(ranked.Count, description.Text, description.Source);
    }

    private sealed record Query(float[]? Vector, IReadOnlyList<(string Name, float[] Vector)> Examples, float[]? Taste, IReadOnlySet<long> Exclude);

    private async Task<Query> QueryAsync(Channel channel, MediaKind kind, string modelKey, DateTimeOffset now, CancellationToken ct)
    {
        var exampleIds = channel.ExampleTitleIds;
        var examples = await db.Titles.AsNoTracking().Where(t => t.Kind == kind && exampleIds.Contains(t.Id))
            .Select(t => new { t.Id, t.Name, t.Year }).ToListAsync(ct);
        var exampleVectors = await StoredVectors.ReadAsync(db, kind, modelKey, examples.Select(e => e.Id), ct);
        var withVectors = examples.Where(e => exampleVectors.ContainsKey(e.Id))
            .Select(e => (Name: e.Year is { } y ? $"{e.Name} ({y.ToString(CultureInfo.InvariantCulture)})" : e.Name, Vector: exampleVectors[e.Id])).ToList();
        var text = string.IsNullOrWhiteSpace(channel.Preference) ? null : await embeddings.EmbedQueryAsync(kind, channel.Preference, ct);

        var exclude = new HashSet<long>(examples.Select(e => e.Id));
        // The owner's feedback, read as a run reads it: what they marked 👎 or "not interested" stays out whatever the
        // channel's options say, and their 👍, 👎 and ratings shape the taste the lean uses exactly as they shape their picks.
        var adjustments = (await FeedbackInputs.LoadAsync(db, kind, tuningEnabled: false, [channel.OwnerId], logger, ct)).GetValueOrDefault(channel.OwnerId)
            ?? UserAdjustments.None;
        exclude.UnionWith(adjustments.Removed);
        float[]? taste = null;
        if (channel.ExcludeWatched || channel.UseTaste)
        {
            var served = (await RecommendationInputs.HistoriesAsync(db, kind, ct, channel.OwnerId)).Values.FirstOrDefault();
            if (served is not null && channel.ExcludeWatched)
            {
                exclude.UnionWith(served.Excluded);
            }
            if (channel.UseTaste)
            {
                var history = FeedbackInputs.Apply(served ?? new UserHistory(channel.OwnerId, [], new HashSet<long>()), adjustments);
                var vectors = await StoredVectors.ReadAsync(db, kind, modelKey, history.Signals.Select(s => s.TitleId), ct);
                var settings = await recommendationSettings.GetAsync(kind, ct);
                taste = TasteProfile.Build(history.Signals, id => vectors.GetValueOrDefault(id), settings.Taste, now);
            }
        }

        // The vector voice: the words and the examples count alike; each part is a unit vector. The taste is a lean
        // applied after the fusion, not part of what the channel is about.
        float[]? blend = null;
        void AddPart(float[] part)
        {
            blend ??= new float[part.Length];
            if (part.Length == blend.Length)
            {
                TensorPrimitives.Add(part, blend, blend);
            }
        }
        if (text is not null)
        {
            AddPart(text);
        }
        if (withVectors.Count > 0)
        {
            var mean = new float[withVectors[0].Vector.Length];
            foreach (var (_, v) in withVectors)
            {
                TensorPrimitives.Add(mean, v, mean);
            }
            var norm = TensorPrimitives.Norm(mean);
            if (norm > 0)
            {
                TensorPrimitives.Divide(mean, norm, mean);
                AddPart(mean);
            }
        }
        if (blend is not null)
        {
            var norm = TensorPrimitives.Norm(blend);
            if (norm > 0)
            {
                TensorPrimitives.Divide(blend, norm, blend);
            }
            else
            {
                blend = null;
            }
        }
        return new Query(blend, withVectors, taste, exclude);
    }

    // Null when neither the words nor the examples give anything to rank by.
    private async Task<List<Candidate>?> CandidatesAsync(Channel channel, MediaKind kind, string modelKey, Query query, CancellationToken ct)
    {
        var libraries = (await db.Libraries.AsNoTracking().Where(l => l.Kind == kind && l.Enabled && l.PresentOnServer).Select(l => l.Id).ToListAsync(ct)).ToHashSet();
        var include = channel.IncludeGenres.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var exclude = channel.ExcludeGenres.ToHashSet(StringComparer.OrdinalIgnoreCase);
        // The filters apply to the whole catalogue before any cut, so "only Film-Noir" ranks every Film-Noir title.
        var titles = (await db.Titles.AsNoTracking().Where(t => t.Kind == kind && libraries.Contains(t.LibraryId))
                .Select(t => new { t.Id, t.Name, t.Year, t.Genres }).ToListAsync(ct))
            .Where(t => !query.Exclude.Contains(t.Id) && (include.Count == 0 || t.Genres.Any(include.Contains)) && !t.Genres.Any(exclude.Contains))
            .ToDictionary(t => t.Id);

        if (titles.Count == 0)
        {
            return [];
        }
        var lexical = new List<LexicalHit>();
        WordQuery? words = null;
        if (!string.IsNullOrWhiteSpace(channel.Preference))
        {
            var vocabulary = await vocabularies.ForAsync(db, kind, ct);
            words = vocabulary.Interpret(channel.Preference);
            lexical = vocabulary.Rank(words, titles.ContainsKey).Take(LexicalDepth).ToList();
        }
        var asked = ChannelRanking.AskedGenres(words, include);
        List<VectorHit> vectorHits = [];
        if (query.Vector is not null)
        {
            if (include.Count > 0 && titles.Count <= FilteredScanLimit)
            {
                var all = await StoredVectors.ReadAsync(db, kind, modelKey, titles.Keys, ct);
                vectorHits = all.Select(kv => new VectorHit(kv.Key, TensorPrimitives.Dot(query.Vector, kv.Value)))
                    .OrderByDescending(h => h.Score).ThenBy(h => h.Id).Take(VectorDepth).ToList();
            }
            else
            {
                var k = exclude.Count > 0 || include.Count > 0 ? VectorDepth * 4 : VectorDepth;
                vectorHits = (await index.NearestAsync(kind, query.Vector, k, new VectorFilter(query.Exclude, libraries), ct))
                    .Where(h => titles.ContainsKey(h.Id)).Take(VectorDepth).ToList();
            }
        }
        if (lexical.Count == 0 && (query.Vector is null || (query.Examples.Count == 0 && !string.IsNullOrWhiteSpace(channel.Preference) && vectorHits.Count == 0)))
        {
            return null;
        }

        var fused = ChannelRanking.Fuse(lexical.Select(h => h.Id).ToList(), vectorHits);
        var pool = ChannelRanking.Pool(fused, vectorHits, channel.Size);
        var vectors = await StoredVectors.ReadAsync(db, kind, modelKey, pool.Select(p => p.Id), ct);
        var candidates = pool.Select(p =>
        {
            var (id, score) = p;
            if (query.Taste is not null && vectors.TryGetValue(id, out var v) && v.Length == query.Taste.Length)
            {
                score += TasteLean * TensorPrimitives.Dot(query.Taste, v);
            }
            return new RankedCandidate(id, score, vectors.GetValueOrDefault(id), titles[id].Genres.Where(g => !asked.Contains(g)).ToList());
        }).ToList();
        var reasons = lexical.ToDictionary(h => h.Id, h => h.Reasons);
        var anchor = lexical.FirstOrDefault(h => h.Reasons.Count > 0) is { } top && titles.TryGetValue(top.Id, out var anchorTitle)
            ? (Name: anchorTitle.Name, Vector: vectors.GetValueOrDefault(top.Id)) : default;
        return ChannelRanking.Choose(candidates, channel.Size, Diversity).Select(c =>
        {
            var t = titles[c.TitleId];
            return new Candidate(kind, c.TitleId, t.Name, t.Year, t.Genres, c.Score,
                Why(channel, query, reasons.GetValueOrDefault(c.TitleId) ?? [], c.Vector, t.Genres, include, anchor));
        }).ToList();
    }

    // Why a title is in the channel: only what actually matched it, strongest first; never the channel's words as if
    // they matched a title none of whose labels or text carry them.
    private static string Why(Channel channel, Query query, IReadOnlyList<string> matched, float[]? vector, IReadOnlyList<string> genres,
        HashSet<string> include, (string? Name, float[]? Vector) anchor)
    {
        var parts = new List<string>();
        if (matched.Count > 0)
        {
            parts.Add("Matches " + string.Join(", ", matched.Take(3)));
        }
        if (vector is not null && query.Examples.Count > 0)
        {
            var best = query.Examples.MaxBy(e => TensorPrimitives.Dot(e.Vector, vector));
            var similarity = TensorPrimitives.Dot(best.Vector, vector);
            parts.Add($"{(similarity >= 0.5 ? "very like" : "like")} {best.Name}");
        }
        if (parts.Count == 0 && !string.IsNullOrWhiteSpace(channel.Preference))
        {
            // Came in through the vector voice alone: say so, and what it is near.
            parts.Add(anchor.Name is not null && anchor.Vector is not null && vector is not null && TensorPrimitives.Dot(anchor.Vector, vector) >= 0.3
                ? $"None of the words are in its genres, keywords or overview; its content is close to {anchor.Name}, which matches them"
                : "None of the words are in its genres, keywords or overview; picked by the embedding model's reading of the description");
        }
        if (query.Taste is not null && vector is not null && vector.Length == query.Taste.Length && TensorPrimitives.Dot(query.Taste, vector) >= TasteSaid)
        {
            parts.Add("close to your taste");
        }
        var text = parts.Count == 0 ? "Ranked by the channel's filters" : char.ToUpperInvariant(parts[0][0]) + parts[0][1..] + string.Concat(parts.Skip(1).Select(p => "; " + p));
        var filtered = genres.Where(include.Contains).Take(3).ToList();
        return filtered.Count > 0 ? $"{text}. In {string.Join(", ", filtered)}, as asked." : text + ".";
    }
}
