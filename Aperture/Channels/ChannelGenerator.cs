using System.Globalization;
using System.Numerics.Tensors;
using Aperture.Data;
using Aperture.Embeddings;
using Aperture.Jobs;
using Aperture.Narratives;
using Aperture.Recommendations;
using Aperture.Settings;
using Aperture.VectorSearch;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Channels;

// A channel that cannot be filled says why, naming the input to change (never an empty channel).
public sealed class ChannelGenerationException(string field, string message, bool unavailable = false) : Exception(message)
{
    public string Field { get; } = field;

    // True when the catalogue itself is not ready (no vectors yet), not the channel's inputs.
    public bool Unavailable { get; } = unavailable;
}

public sealed record ChannelGenerationResult(int Entries, string Description, string DescriptionSource);

// Fills a channel: candidates from the vector index near a blend of the text's vector, the examples' vectors and
// (optionally) the owner's taste; genre filters; a diversity re-rank; a reason per title; a description.
public sealed class ChannelGenerator(
    AppDbContext db,
    IVectorIndex index,
    EmbeddingService embeddings,
    SettingsStore store,
    RecommendationSettings recommendationSettings,
    NarrativeService narratives,
    TimeProvider time)
{
    public const double Diversity = 0.2;
    // How deep each ranking goes into the fusion.
    public const int LexicalDepth = 400;
    public const int VectorDepth = 200;
    private const float TasteWeight = 0.5f;

    private sealed record Candidate(MediaKind Kind, long TitleId, string Name, int? Year, IReadOnlyList<string> Genres, double Score,
        float[] Vector, string Why);

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
            if (query.Vector is null)
            {
                continue;
            }
            anyQuery = true;
            chosen.AddRange(await CandidatesAsync(channel, kind, modelKey, query, ct));
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
            channel.Entries.Add(new ChannelEntry { TitleId = ranked[i].TitleId, Rank = i + 1, Score = Math.Round(ranked[i].Score, 4), Why = ranked[i].Why });
        }
        channel.Description = description.Text;
        channel.DescriptionSource = description.Source;
        channel.GeneratedAt = now;
        progress.Log($"{ranked.Count} titles for {channel.Name}");
        return new ChannelGenerationResult(ranked.Count, description.Text, description.Source);
    }

    private sealed record Query(float[]? Vector, float[]? Text, IReadOnlyList<(string Name, float[] Vector)> Examples, float[]? Taste, IReadOnlySet<long> Exclude);

    private async Task<Query> QueryAsync(Channel channel, MediaKind kind, string modelKey, DateTimeOffset now, CancellationToken ct)
    {
        var exampleIds = channel.ExampleTitleIds;
        var examples = await db.Titles.AsNoTracking().Where(t => t.Kind == kind && exampleIds.Contains(t.Id))
            .Select(t => new { t.Id, t.Name, t.Year }).ToListAsync(ct);
        var exampleVectors = await RecommendationInputs.VectorsAsync(db, kind, modelKey, examples.Select(e => e.Id), ct);
        var withVectors = examples.Where(e => exampleVectors.ContainsKey(e.Id))
            .Select(e => (Name: e.Year is { } y ? $"{e.Name} ({y.ToString(CultureInfo.InvariantCulture)})" : e.Name, Vector: exampleVectors[e.Id])).ToList();
        var text = string.IsNullOrWhiteSpace(channel.Preference) ? null : await embeddings.EmbedQueryAsync(kind, channel.Preference, ct);

        var exclude = new HashSet<long>(examples.Select(e => e.Id));
        float[]? taste = null;
        if (channel.ExcludeWatched || channel.UseTaste)
        {
            var history = (await RecommendationInputs.HistoriesAsync(db, kind, ct, channel.OwnerId)).Values.FirstOrDefault();
            if (history is not null && channel.ExcludeWatched)
            {
                exclude.UnionWith(history.Excluded);
            }
            if (history is not null && channel.UseTaste)
            {
                var vectors = await RecommendationInputs.VectorsAsync(db, kind, modelKey, history.Signals.Select(s => s.TitleId), ct);
                var settings = await recommendationSettings.GetAsync(kind, ct);
                taste = TasteProfile.Build(history.Signals, id => vectors.GetValueOrDefault(id), settings.Taste, now);
            }
        }

        // The blend: the words and the examples count alike, the taste a little; each part is a unit vector.
        float[]? blend = null;
        void AddPart(float[] part, float weight)
        {
            blend ??= new float[part.Length];
            if (part.Length == blend.Length)
            {
                TensorPrimitives.MultiplyAdd(part, weight, blend, blend);
            }
        }
        if (text is not null)
        {
            AddPart(text, 1);
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
                AddPart(mean, 1);
            }
        }
        // Taste alone does not make a channel: it only leans one that words or examples describe.
        if (taste is not null && blend is not null)
        {
            AddPart(taste, TasteWeight);
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
        return new Query(blend, text, withVectors, taste, exclude);
    }

    private async Task<List<Candidate>> CandidatesAsync(Channel channel, MediaKind kind, string modelKey, Query query, CancellationToken ct)
    {
        var libraries = (await db.Libraries.AsNoTracking().Where(l => l.Kind == kind && l.Enabled && l.PresentOnServer).Select(l => l.Id).ToListAsync(ct)).ToHashSet();
        var filtered = channel.IncludeGenres.Count + channel.ExcludeGenres.Count > 0;
        // Filters drop many of the nearest titles: ask for more of them.
        var k = Math.Clamp(channel.Size * (filtered ? 20 : 6), 60, 3000);
        var hits = await index.NearestAsync(kind, query.Vector!, k, new VectorFilter(query.Exclude, libraries), ct);
        var ids = hits.Select(h => h.Id).ToList();
        var titles = await db.Titles.AsNoTracking().Where(t => ids.Contains(t.Id))
            .Select(t => new { t.Id, t.Name, t.Year, t.Genres }).ToDictionaryAsync(t => t.Id, ct);
        var include = channel.IncludeGenres.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var exclude = channel.ExcludeGenres.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var kept = hits.Where(h => titles.TryGetValue(h.Id, out var t)
                && (include.Count == 0 || t.Genres.Any(include.Contains))
                && !t.Genres.Any(exclude.Contains))
            .ToList();
        var vectors = await RecommendationInputs.VectorsAsync(db, kind, modelKey, kept.Select(h => h.Id), ct);
        var candidates = kept.Where(h => vectors.ContainsKey(h.Id))
            .Select(h => new RankedCandidate(h.Id, h.Score, vectors[h.Id], titles[h.Id].Genres)).ToList();
        var diverse = Reranker.Diversify(candidates, channel.Size, Diversity);
        return diverse.Select(c =>
        {
            var t = titles[c.TitleId];
            return new Candidate(kind, c.TitleId, t.Name, t.Year, t.Genres, c.Score, c.Vector!, Why(channel, query, c.Vector!, t.Genres, include));
        }).ToList();
    }

    // Why a title is in the channel, from the parts of the blend it is closest to.
    private static string Why(Channel channel, Query query, float[] vector, IReadOnlyList<string> genres, HashSet<string> include)
    {
        var reasons = new List<(double Similarity, string Text)>();
        if (query.Text is not null)
        {
            reasons.Add((TensorPrimitives.Dot(query.Text, vector), $"{Closeness(TensorPrimitives.Dot(query.Text, vector))} \u201C{Short(channel.Preference!.Trim())}\u201D"));
        }
        if (query.Examples.Count > 0)
        {
            var best = query.Examples.MaxBy(e => TensorPrimitives.Dot(e.Vector, vector));
            var similarity = TensorPrimitives.Dot(best.Vector, vector);
            reasons.Add((similarity, $"{(similarity >= 0.5 ? "very like" : "like")} {best.Name}"));
        }
        if (query.Taste is not null)
        {
            reasons.Add((TensorPrimitives.Dot(query.Taste, vector) * TasteWeight, "close to your taste"));
        }
        var parts = reasons.OrderByDescending(r => r.Similarity).Take(2).Select(r => r.Text).ToList();
        var text = parts.Count == 0 ? "Near this channel's description" : char.ToUpperInvariant(parts[0][0]) + parts[0][1..] + (parts.Count > 1 ? "; " + parts[1] : "");
        var matched = genres.Where(include.Contains).Take(3).ToList();
        var shown = matched.Count > 0 ? matched : genres.Take(3).ToList();
        return shown.Count > 0 ? $"{text}. {string.Join(", ", shown)}." : text + ".";
    }

    private static string Short(string text) => text.Length <= 80 ? text : text[..79].TrimEnd() + "\u2026";

    private static string Closeness(double similarity) => similarity switch
    {
        >= 0.5 => "a close match for",
        >= 0.25 => "matches",
        _ => "touches on",
    };
}
