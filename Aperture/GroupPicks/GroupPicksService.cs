using System.Text.Json.Serialization;
using System.Security.Claims;
using Aperture.Catalog;
using Aperture.Auth;
using Aperture.Channels;
using Aperture.Data;
using Aperture.Recommendations;
using Aperture.Settings;
using Aperture.VectorSearch;
using Microsoft.EntityFrameworkCore;

namespace Aperture.GroupPicks;

// What a client asks for: 2–8 users, a kind, optional filters. Properties (not positional) so the channel request extends it.
public record GroupPicksInput
{
    public List<string>? UserIds { get; init; }
    public string? Kind { get; init; }
    public int? Count { get; init; }
    public List<string>? Genres { get; init; }
    public int? YearFrom { get; init; }
    public int? YearTo { get; init; }
    // Length: titles up to this many minutes (series: per episode).
    public int? MaxMinutes { get; init; }
    // Off: unwatched by every member. On: unwatched by most (fewer than half of them have seen it).
    public bool? UnwatchedByMost { get; init; }
}

// Save the list as a channel owned by the caller (shared with the members who allow movie nights), optionally sent as playlists.
public sealed record GroupChannelInput : GroupPicksInput
{
    public string? Name { get; init; }
    public bool? Playlist { get; init; }
}

public sealed record GroupMemberFit(string UserId, double Fit);

public sealed record GroupPick(long TitleId, string Name, int? Year, IReadOnlyList<GroupMemberFit> Members, string Why, [property: JsonPropertyName("posterUrl")] TitleImage? Poster);

public sealed record GroupPicksResult(string Kind, IReadOnlyList<GroupPick> Picks);

public sealed record GroupMember(string Id, string Name);

// Why a request was refused: Field names the input (400), Forbidden is the consent rule (403), Unavailable the catalogue (409).
public sealed class GroupPicksException(string field, string message, bool forbidden = false, bool unavailable = false) : Exception(message)
{
    public string Field { get; } = field;
    public bool Forbidden { get; } = forbidden;
    public bool Unavailable { get; } = unavailable;
}

// Movie night: one list for several people, scored per member with the recommendation engine's own pieces (their taste,
// co-watch, priors) and balanced by GroupRanker. A member's history never leaves this class: the result carries only the
// fit per member and reasons all the members it is for share.
public sealed class GroupPicksService(
    AppDbContext db,
    IVectorIndex index,
    SettingsStore store,
    RecommendationSettings recommendationSettings,
    ChannelService channels,
    CoWatchModels coWatch,
    TimeProvider time)
{
    public const int MinUsers = 2;
    public const int MaxUsers = 8;
    public const int DefaultCount = 20;
    public const int MaxCount = 100;
    private const int CalibrationSampleSize = 2000;
    // A member "is for" a title from this fit up.
    private const double ForFit = 0.6;

    // Who the caller may put in a group: admins anyone active, others those who allowed it, and themselves.
    public async Task<List<GroupMember>> ChoosableAsync(ClaimsPrincipal caller, CancellationToken ct)
    {
        var me = caller.UserId();
        var admin = caller.IsAdmin();
        return await db.Users.AsNoTracking().Where(u => u.PresentOnServer && !u.IsDisabled && (admin || u.AllowGroupPicks || u.Id == me))
            .OrderBy(u => u.Name).ThenBy(u => u.Id).Select(u => new GroupMember(u.Id, u.Name)).ToListAsync(ct);
    }

    public async Task<bool> AllowsAsync(string userId, CancellationToken ct) =>
        await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.AllowGroupPicks).FirstOrDefaultAsync(ct);

    public async Task SetAllowAsync(string userId, bool allow, CancellationToken ct) =>
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.AllowGroupPicks, allow), ct);

    // The kinds this server has titles of, for the form.
    public async Task<List<MediaKind>> KindsAsync(CancellationToken ct) =>
        (await db.Titles.AsNoTracking().Select(t => t.Kind).Distinct().ToListAsync(ct)).Order().ToList();

    public async Task<GroupPicksResult> PicksAsync(ClaimsPrincipal caller, GroupPicksInput input, CancellationToken ct)
    {
        var (request, members) = await CheckAsync(caller, input, ct);
        return new GroupPicksResult(request.Kind.Slug(), await RankAsync(request, members, ct));
    }

    // The list saved as a channel of the caller's, shared read-only with the members who allow movie nights; with Playlist, also written
    // to the media server through the channel's playlist sync (a refusal there keeps the channel: it can be synced again from its page).
    public async Task<Channel> SaveAsync(ClaimsPrincipal caller, GroupChannelInput input, CancellationToken ct)
    {
        var (request, members) = await CheckAsync(caller, input, ct);
        var name = input.Name?.Trim() is { Length: > 0 } n ? n : $"Movie night: {string.Join(", ", members.Select(m => m.Name))}";
        if (name.Length > ChannelService.MaxNameLength)
        {
            throw new GroupPicksException("name", $"The name is longer than {ChannelService.MaxNameLength} characters.");
        }
        var picks = await RankAsync(request, members, ct);
        if (picks.Count == 0)
        {
            throw new GroupPicksException(request.Filtered ? "genres" : "userIds", NothingMessage(request.Filtered));
        }
        var consenting = await db.Users.AsNoTracking().Where(u => request.UserIds.Contains(u.Id) && u.AllowGroupPicks).Select(u => u.Id).ToListAsync(ct);
        var description = $"A movie night for {string.Join(", ", members.Select(m => m.Name))}.";
        var channel = await channels.CreateFixedAsync(caller.UserId(), name, request.Kind == MediaKind.Movie ? ChannelKind.Movies : ChannelKind.Series,
            description, picks.Select(p => new FixedChannelEntry(p.TitleId, Math.Round(p.Members.Average(m => m.Fit), 4), p.Why)).ToList(), consenting, ct);
        if (input.Playlist == true)
        {
            await channels.SyncAsync(channel, ct);
        }
        return channel;
    }

    public static string NothingMessage(bool filtered) => filtered
        ? "Nothing left that all of you have not seen with these filters: loosen the genres, length or years."
        : "Nothing left that all of you have not seen: try \u201Cunwatched by most\u201D.";

    private sealed record Request(MediaKind Kind, List<string> UserIds, int Count, List<string> Genres, int? YearFrom, int? YearTo, int? MaxMinutes, bool ByMost)
    {
        public bool Filtered => Genres.Count > 0 || YearFrom is not null || YearTo is not null || MaxMinutes is not null;
    }

    // Every field checked (a 400 naming each bad one), then the consent rule (403).
    private async Task<(Request Request, List<GroupMember> Members)> CheckAsync(ClaimsPrincipal caller, GroupPicksInput input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var ids = (input.UserIds ?? []).Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => u.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (ids.Count is < MinUsers or > MaxUsers)
        {
            errors["userIds"] = $"Choose {MinUsers} to {MaxUsers} different users (got {ids.Count}).";
        }
        var kind = MediaKinds.Parse(input.Kind);
        var kinds = await KindsAsync(ct);
        if (kind is null)
        {
            errors["kind"] = MediaKinds.NotAKind(input.Kind);
        }
        else if (!kinds.Contains(kind.Value))
        {
            errors["kind"] = $"This server has no {kind.Value.Slug()}.";
        }
        var count = input.Count ?? DefaultCount;
        if (count is < 1 or > MaxCount)
        {
            errors["count"] = $"count must be between 1 and {MaxCount}.";
        }
        if (input.YearFrom is < 1800 or > 3000)
        {
            errors["yearFrom"] = "yearFrom must be a year between 1800 and 3000.";
        }
        if (input.YearTo is < 1800 or > 3000)
        {
            errors["yearTo"] = "yearTo must be a year between 1800 and 3000.";
        }
        else if (input.YearFrom is { } from && input.YearTo is { } to && from > to && !errors.ContainsKey("yearFrom"))
        {
            errors["yearTo"] = "yearTo must not be before yearFrom.";
        }
        if (input.MaxMinutes is < 1 or > 1000)
        {
            errors["maxMinutes"] = "maxMinutes must be between 1 and 1000.";
        }
        var genres = new List<string>();
        if (input.Genres is { Count: > 0 } asked && kind is { } genreKind)
        {
            var known = await channels.GenresAsync(genreKind == MediaKind.Movie ? ChannelKind.Movies : ChannelKind.Series, ct);
            (genres, var error) = CatalogVocabulary.SpellGenres(asked, known);
            if (error is not null)
            {
                errors["genres"] = error;
            }
        }
        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id) && u.PresentOnServer && !u.IsDisabled)
            .Select(u => new { u.Id, u.Name, u.AllowGroupPicks }).ToListAsync(ct);
        var unknownUsers = ids.Where(id => !users.Exists(u => string.Equals(u.Id, id, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknownUsers.Count > 0 && !errors.ContainsKey("userIds"))
        {
            errors["userIds"] = $"Unknown user id{(unknownUsers.Count == 1 ? "" : "s")}: {string.Join(", ", unknownUsers)}.";
        }
        if (errors.Count > 0)
        {
            throw new GroupPicksValidationException(errors);
        }
        var me = caller.UserId();
        if (!caller.IsAdmin())
        {
            var refused = users.Where(u => !u.AllowGroupPicks && !string.Equals(u.Id, me, StringComparison.OrdinalIgnoreCase)).Select(u => u.Name).ToList();
            if (refused.Count > 0)
            {
                throw new GroupPicksException("userIds", $"{string.Join(", ", refused)} {(refused.Count == 1 ? "has" : "have")} not allowed movie nights with others.",
                    forbidden: true);
            }
        }
        // The members in the order asked, with the server's spelling of their ids.
        var members = ids.Select(id => users.First(u => string.Equals(u.Id, id, StringComparison.OrdinalIgnoreCase))).Select(u => new GroupMember(u.Id, u.Name)).ToList();
        return (new Request(kind!.Value, members.Select(m => m.Id).ToList(), count, genres, input.YearFrom, input.YearTo, input.MaxMinutes, input.UnwatchedByMost == true),
            members);
    }

    private async Task<List<GroupPick>> RankAsync(Request request, List<GroupMember> members, CancellationToken ct)
    {
        var kind = request.Kind;
        var modelKey = (await store.GetAsync(SettingKeys.ActiveEmbeddingModel(kind), ct)).Value
            ?? throw new GroupPicksException("kind", $"There are no {kind.Slug()} vectors yet: an admin runs {Aperture.Progress.JobNames.Embeddings(kind)} first.", unavailable: true);
        var settings = await recommendationSettings.GetAsync(kind, ct);
        var now = time.GetUtcNow();
        // Everybody's history: co-watch and "popular here" come from the whole server, as for personal picks.
        var histories = await RecommendationInputs.HistoriesAsync(db, kind, ct);
        var catalogue = await RecommendationInputs.CatalogueAsync(db, kind, histories, settings.MinCollaborativeUsers, now, ct);
        var cooccurrence = await coWatch.ForAsync(db, settings, kind, ct);
        var group = members.Select(m => histories.GetValueOrDefault(m.Id) ?? new UserHistory(m.Id, [], new HashSet<long>())).ToList();
        var excluded = GroupRanker.Excluded(group, request.ByMost);

        var runtimes = request.MaxMinutes is null ? [] : await db.Titles.AsNoTracking().Where(t => t.Kind == kind && t.RuntimeMinutes != null)
            .Select(t => new { t.Id, t.RuntimeMinutes }).ToDictionaryAsync(t => t.Id, t => t.RuntimeMinutes!.Value, ct);
        bool Allowed(long id) => !excluded.Contains(id) && catalogue.TryGetValue(id, out var t) && t.Candidate
            && (request.Genres.Count == 0 || t.Genres.Any(g => request.Genres.Contains(g, StringComparer.OrdinalIgnoreCase)))
            && (request.YearFrom is not { } from || t.Year >= from)
            && (request.YearTo is not { } to || t.Year <= to)
            && (request.MaxMinutes is not { } max || (runtimes.TryGetValue(id, out var minutes) && minutes <= max));

        var watchedIds = group.SelectMany(h => h.Signals).Select(s => s.TitleId).ToHashSet();
        var sampleIds = RecommendationInputs.CalibrationIds(catalogue.Values.Where(t => t.Candidate).Select(t => t.Id), CalibrationSampleSize);
        var vectors = await StoredVectors.ReadAsync(db, kind, modelKey, watchedIds.Concat(sampleIds), ct);
        var calibration = sampleIds.Where(vectors.ContainsKey).Select(id => (id, vectors[id])).ToList();
        var context = new RecommendationContext(catalogue, id => vectors.GetValueOrDefault(id), cooccurrence, calibration, settings, now);

        var libraries = (await db.Libraries.AsNoTracking().Where(l => l.Kind == kind && l.Enabled && l.PresentOnServer).Select(l => l.Id).ToListAsync(ct)).ToHashSet();
        var poolSize = UserRecommender.PoolSize(settings);
        var tastes = group.Select(h => UserRecommender.Taste(h, context)).ToList();
        var withTaste = Enumerable.Range(0, group.Count).Where(i => tastes[i] is not null).ToList();
        var nearest = new IEnumerable<long>[group.Count];
        Array.Fill(nearest, []);
        if (withTaste.Count > 0)
        {
            var hits = await index.NearestBatchAsync(kind, withTaste.Select(i => tastes[i]!).ToList(), poolSize,
                withTaste.Select(_ => new VectorFilter(excluded, libraries)).ToList(), ct);
            for (var b = 0; b < withTaste.Count; b++)
            {
                nearest[withTaste[b]] = hits[b].Select(h => h.Id).ToList();
            }
        }
        var pool = GroupRanker.Pool(group, nearest, excluded, context);
        // With filters most of the engine's pool may fall away: the best-loved titles that pass them fill it up.
        pool.UnionWith(context.ByPriors.Where(Allowed).Take(poolSize));
        pool.RemoveWhere(id => !Allowed(id));
        if (pool.Count == 0)
        {
            return [];
        }
        foreach (var (id, vector) in await StoredVectors.ReadAsync(db, kind, modelKey, pool.Where(id => !vectors.ContainsKey(id)), ct))
        {
            vectors[id] = vector;
        }

        var scores = group.Select(h => GroupRanker.ScoreMember(h, pool, context)).ToList();
        var ranked = GroupRanker.Rank(scores, pool, GroupRanker.Default, request.Count);
        var ids = ranked.Select(r => r.TitleId).ToList();
        var images = await db.Titles.AsNoTracking().Where(t => ids.Contains(t.Id)).Select(t => new { t.Id, t.PrimaryImageTag }).ToDictionaryAsync(t => t.Id, t => t.PrimaryImageTag, ct);
        return ranked.Select(r =>
        {
            var title = catalogue[r.TitleId];
            var fits = members.Select((m, i) => new GroupMemberFit(m.Id, Math.Round(r.Fits[i], 2))).ToList();
            return new GroupPick(r.TitleId, title.Name, title.Year, fits, Why(title, members, r.Fits, scores),
                TitleImage.Of(r.TitleId, MediaServers.ServerImageType.Primary, images.GetValueOrDefault(r.TitleId)));
        }).ToList();
    }

    // One line: who it is for, and only reasons every one of them shares (genres all of them watch, the title's own rating and
    // popularity). Never a watched title, never a reason that holds for one member alone.
    public static string Why(CatalogTitle title, IReadOnlyList<GroupMember> members, IReadOnlyList<double> fits, IReadOnlyList<MemberScores> scores)
    {
        var forWhom = Enumerable.Range(0, members.Count).Where(i => fits[i] >= ForFit).ToList();
        var everyone = forWhom.Count == members.Count;
        var who = everyone ? (members.Count == 2 ? "For both of you" : $"For all {members.Count} of you")
            : forWhom.Count >= 2 ? $"Best for {Names(forWhom.Select(i => members[i].Name).ToList())}"
            : "A middle ground for everyone";
        var reasons = new List<string>();
        if (forWhom.Count >= 2)
        {
            var shared = title.Genres.Where(g => forWhom.All(i => scores[i].MatchedGenres.TryGetValue(title.Id, out var m) && m.Contains(g, StringComparer.OrdinalIgnoreCase)))
                .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (shared.Count > 0)
            {
                var both = forWhom.Count == 2 ? "both" : "all";
                reasons.Add(shared.Count == 1 ? $"{shared[0]}, a genre you {both} watch" : $"{Names(shared)}, genres you {both} watch");
            }
        }
        if (title.CommunityRating is { } rating && rating >= 7)
        {
            reasons.Add($"rated {rating.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}");
        }
        if (title.Popularity >= 0.5)
        {
            reasons.Add("popular on this server lately");
        }
        if (reasons.Count == 0)
        {
            reasons.Add(everyone ? "close to each of your tastes" : "the best balance of your tastes here");
        }
        return $"{who}: {string.Join("; ", reasons)}.";
    }

    private static string Names(List<string> names) => names.Count == 1 ? names[0] : $"{string.Join(", ", names.Take(names.Count - 1))} and {names[^1]}";
}

public sealed class GroupPicksValidationException(IReadOnlyDictionary<string, string> errors) : Exception(string.Join(" ", errors.Values))
{
    public IReadOnlyDictionary<string, string> Errors { get; } = errors;
}
