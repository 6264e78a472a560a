using System.Text.Json.Serialization;
using System.Security.Claims;
using Aperture.Catalog;
using Aperture.Auth;
using Aperture.Browse;
using Aperture.Data;
using Aperture.Feedback;
using Aperture.MediaServers;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;
using Aperture.Wording;

namespace Aperture.Channels;

public enum ChannelAccess { None, Read, Edit }

// What a client sends to create or change a channel; on a change, a missing field keeps its value.
public sealed record ChannelInput(
    string? Name = null,
    string? Kind = null,
    List<string>? IncludeGenres = null,
    List<string>? ExcludeGenres = null,
    string? Preference = null,
    List<long>? Examples = null,
    int? Size = null,
    bool? ExcludeWatched = null,
    bool? UseTaste = null,
    List<string>? SharedWith = null);

public sealed record ChannelSummary(long Id, string Name, string Kind, string OwnerId, string OwnerName, int Size, int EntryCount,
    string? Description, DateTimeOffset? GeneratedAt, DateTimeOffset? SyncedAt, bool CanEdit, int SharedWithCount);

public sealed record ChannelExample(long TitleId, string Kind, string Name, int? Year, [property: JsonPropertyName("posterUrl")] TitleImage? Poster);

public sealed record ChannelUser(string Id, string Name);

public sealed record ChannelEntryView(long TitleId, string Kind, int Rank, string Name, int? Year, IReadOnlyList<string> Genres, double Score,
    string Why, [property: JsonPropertyName("posterUrl")] TitleImage? Poster);

public sealed record ChannelPlaylistView(string UserId, string UserName, string PlaylistId, DateTimeOffset SyncedAt);

public sealed record ChannelDetail(long Id, string Name, string Kind, string OwnerId, string OwnerName, IReadOnlyList<string> IncludeGenres,
    IReadOnlyList<string> ExcludeGenres, string? Preference, IReadOnlyList<ChannelExample> Examples, int Size, bool ExcludeWatched, bool UseTaste,
    IReadOnlyList<ChannelUser> SharedWith, string? Description, string? DescriptionSource, DateTimeOffset? GeneratedAt, DateTimeOffset? SyncedAt,
    bool CanEdit, IReadOnlyList<ChannelEntryView> Entries, IReadOnlyList<ChannelPlaylistView> Playlists, bool FixedEntries = false);

// One title of a list saved as it is (CreateFixedAsync), best first.
public sealed record FixedChannelEntry(long TitleId, double Score, string Why);

// Channels: who may see and change them, their validation, and the operations the pages and the API share.
public sealed class ChannelService(AppDbContext db, ChannelGenerator generator, ChannelPlaylistSync playlists, ChannelVocabularies vocabularies, TimeProvider time)
{
    public const int MaxSize = 200;
    public const int MaxNameLength = 120;
    public const int MaxPreferenceLength = 1000;

    public static string KindWord(ChannelKind kind) => kind switch
    {
        ChannelKind.Movies => "movies",
        ChannelKind.Series => "series",
        _ => "both",
    };

    // A kind word (MediaKinds.Parse) or "both".
    public static ChannelKind? ParseKind(string? kind) => MediaKinds.Parse(kind) switch
    {
        MediaKind.Movie => ChannelKind.Movies,
        MediaKind.Series => ChannelKind.Series,
        _ => string.Equals(kind?.Trim(), "both", StringComparison.OrdinalIgnoreCase) ? ChannelKind.Both : null,
    };

    // The owner and admins edit; users it is shared with read; everyone else does not know it exists.
    public static ChannelAccess AccessOf(Channel channel, ClaimsPrincipal user)
    {
        var id = user.UserId();
        if (user.IsAdmin() || string.Equals(channel.OwnerId, id, StringComparison.OrdinalIgnoreCase))
        {
            return ChannelAccess.Edit;
        }
        return channel.Shares.Exists(s => string.Equals(s.UserId, id, StringComparison.OrdinalIgnoreCase)) ? ChannelAccess.Read : ChannelAccess.None;
    }

    // Tracked, with everything the operations need; null if it does not exist.
    public Task<Channel?> FindAsync(long id, CancellationToken ct) =>
        db.Channels.Include(c => c.Shares).Include(c => c.Playlists).Include(c => c.Entries).ThenInclude(e => e.Title)
            .AsSplitQuery().FirstOrDefaultAsync(c => c.Id == id, ct);

    // The channel as stored, dropping whatever a failed operation changed in memory.
    public Task<Channel?> ReloadAsync(long id, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        return FindAsync(id, ct);
    }

    public async Task<(List<ChannelSummary> Own, List<ChannelSummary> Shared)> ListAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var id = user.UserId();
        var rows = await db.Channels.AsNoTracking()
            .Where(c => c.OwnerId == id || c.Shares.Any(s => s.UserId == id))
            .OrderBy(c => c.Name).ThenBy(c => c.Id)
            .Select(c => new
            {
                c.Id, c.Name, c.Kind, c.OwnerId, OwnerName = db.Users.Where(u => u.Id == c.OwnerId).Select(u => u.Name).FirstOrDefault(),
                c.Size, Entries = c.Entries.Count, c.Description, c.GeneratedAt, c.SyncedAt, Shares = c.Shares.Count,
            }).ToListAsync(ct);
        var summaries = rows.Select(r => new ChannelSummary(r.Id, r.Name, KindWord(r.Kind), r.OwnerId, r.OwnerName ?? r.OwnerId, r.Size, r.Entries,
            r.Description, r.GeneratedAt, r.SyncedAt, r.OwnerId == id || user.IsAdmin(), r.Shares)).ToList();
        return (summaries.Where(s => s.OwnerId == id).ToList(), summaries.Where(s => s.OwnerId != id).ToList());
    }

    public async Task<ChannelDetail> DetailAsync(Channel channel, ClaimsPrincipal user, CancellationToken ct)
    {
        var userIds = channel.Shares.Select(s => s.UserId).Append(channel.OwnerId).Concat(channel.Playlists.Select(p => p.UserId)).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var exampleIds = channel.ExampleTitleIds;
        var examples = await db.Titles.AsNoTracking().Where(t => exampleIds.Contains(t.Id))
            .Select(t => new { t.Id, t.Kind, t.Name, t.Year, t.PrimaryImageTag }).ToListAsync(ct);
        // A title the viewer marked 👎 or "not interested" is gone from every channel they see, shared ones included.
        var viewer = user.UserId();
        var hidden = (await db.UserFeedback.AsNoTracking()
            .Where(f => f.UserId == viewer && (f.Reaction == FeedbackReaction.Down || f.Reaction == FeedbackReaction.NotInterested))
            .Select(f => f.TitleId).ToListAsync(ct)).ToHashSet();
        return new ChannelDetail(channel.Id, channel.Name, KindWord(channel.Kind), channel.OwnerId, names.GetValueOrDefault(channel.OwnerId) ?? channel.OwnerId,
            channel.IncludeGenres, channel.ExcludeGenres, channel.Preference,
            examples.OrderBy(e => channel.ExampleTitleIds.IndexOf(e.Id))
                .Select(e => Example(e.Id, e.Kind, e.Name, e.Year, e.PrimaryImageTag)).ToList(),
            channel.Size, channel.ExcludeWatched, channel.UseTaste,
            channel.Shares.Select(s => new ChannelUser(s.UserId, names.GetValueOrDefault(s.UserId) ?? s.UserId)).OrderBy(u => u.Name, NaturalOrder.Instance).ToList(),
            channel.Description, channel.DescriptionSource, channel.GeneratedAt, channel.SyncedAt, AccessOf(channel, user) == ChannelAccess.Edit,
            channel.Entries.Where(e => !hidden.Contains(e.TitleId)).OrderBy(e => e.Rank).Select(e => new ChannelEntryView(e.TitleId, e.Title.Kind.Word(), e.Rank, e.Title.Name, e.Title.Year,
                e.Title.Genres, e.Score, e.Why, TitleImage.Of(e.TitleId, ServerImageType.Primary, e.Title.PrimaryImageTag))).ToList(),
            channel.Playlists.OrderBy(p => p.UserId == channel.OwnerId ? 0 : 1).ThenBy(p => p.UserId)
                .Select(p => new ChannelPlaylistView(p.UserId, names.GetValueOrDefault(p.UserId) ?? p.UserId, p.PlaylistId, p.SyncedAt)).ToList(),
            channel.FixedEntries);
    }

    // Checks the input against the channel (new: every required field) and applies it; the errors name the fields.
    public async Task<Dictionary<string, string>> ApplyAsync(Channel channel, ChannelInput input, bool isNew, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var name = input.Name?.Trim() ?? (isNew ? "" : channel.Name);
        if (name.Length == 0)
        {
            errors["name"] = "Give the channel a name.";
        }
        else if (name.Length > MaxNameLength)
        {
            errors["name"] = $"The name is longer than {MaxNameLength} characters.";
        }
        var kind = input.Kind is null ? channel.Kind : ParseKind(input.Kind);
        if (kind is null)
        {
            errors["kind"] = MediaKinds.NotAKind(input.Kind) + " Or both.";
        }
        var size = input.Size ?? channel.Size;
        if (size is < 1 or > MaxSize)
        {
            errors["size"] = $"size must be between 1 and {MaxSize}.";
        }
        var preference = input.Preference is null ? channel.Preference : input.Preference.Trim() is { Length: > 0 } p ? p : null;
        if (preference?.Length > MaxPreferenceLength)
        {
            errors["preference"] = $"The description is longer than {MaxPreferenceLength} characters.";
        }
        var include = Clean(input.IncludeGenres) ?? channel.IncludeGenres;
        var exclude = Clean(input.ExcludeGenres) ?? channel.ExcludeGenres;
        if (include.Intersect(exclude, StringComparer.OrdinalIgnoreCase).ToList() is { Count: > 0 } both)
        {
            errors["excludeGenres"] = $"{string.Join(", ", both)} cannot be both included and excluded.";
        }
        if (kind is { } genreKind && (input.IncludeGenres is not null || input.ExcludeGenres is not null))
        {
            var known = await vocabularies.GenresAsync(db, ChannelGenerator.Kinds(genreKind), ct);
            // An empty catalogue knows no genres yet: nothing to check against.
            if (known.Count > 0)
            {
                include = CheckGenres(include, "includeGenres");
                exclude = CheckGenres(exclude, "excludeGenres");
            }

            List<string> CheckGenres(List<string> names, string field)
            {
                var (spelled, error) = CatalogVocabulary.SpellGenres(names, known);
                if (error is not null)
                {
                    errors[field] = error;
                }
                return spelled;
            }
        }
        if (!errors.ContainsKey("excludeGenres") && include.Intersect(exclude, StringComparer.OrdinalIgnoreCase).ToList() is { Count: > 0 } spelledBoth)
        {
            errors["excludeGenres"] = $"{string.Join(", ", spelledBoth)} cannot be both included and excluded.";
        }
        var examples = input.Examples?.Distinct().ToList() ?? channel.ExampleTitleIds;
        if (examples.Count > 20)
        {
            errors["examples"] = "Pick at most 20 example titles.";
        }
        else if (input.Examples is not null && examples.Count > 0)
        {
            var kinds = kind is { } k ? ChannelGenerator.Kinds(k) : [];
            var found = await db.Titles.AsNoTracking().Where(t => examples.Contains(t.Id)).Select(t => new { t.Id, t.Kind }).ToListAsync(ct);
            var unknown = examples.Where(id => !found.Exists(f => f.Id == id)).ToList();
            var wrongKind = found.Where(f => !kinds.Contains(f.Kind)).Select(f => f.Id).ToList();
            if (unknown.Count > 0)
            {
                errors["examples"] = $"Unknown example title id{(unknown.Count == 1 ? "" : "s")}: {string.Join(", ", unknown)}.";
            }
            else if (wrongKind.Count > 0 && kind is not null)
            {
                errors["examples"] = $"Example title{(wrongKind.Count == 1 ? "" : "s")} {string.Join(", ", wrongKind)} not of this channel's kind ({KindWord(kind.Value)}).";
            }
        }
        if (preference is null && examples.Count == 0 && !channel.FixedEntries && !errors.ContainsKey("examples"))
        {
            errors["preference"] = "Describe the channel in words or pick at least one example title.";
        }
        List<string>? shares = null;
        if (input.SharedWith is not null)
        {
            shares = input.SharedWith.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim())
                .Where(s => !string.Equals(s, channel.OwnerId, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var known = await db.Users.AsNoTracking().Where(u => shares.Contains(u.Id)).Select(u => u.Id).ToListAsync(ct);
            var unknownUsers = shares.Where(s => !known.Contains(s, StringComparer.OrdinalIgnoreCase)).ToList();
            if (unknownUsers.Count > 0)
            {
                errors["sharedWith"] = $"Unknown user id{(unknownUsers.Count == 1 ? "" : "s")}: {string.Join(", ", unknownUsers)}.";
            }
        }
        if (errors.Count > 0)
        {
            return errors;
        }

        channel.Name = name;
        channel.Kind = kind!.Value;
        channel.Size = size;
        channel.Preference = preference;
        channel.IncludeGenres = include;
        channel.ExcludeGenres = exclude;
        channel.ExampleTitleIds = examples;
        channel.ExcludeWatched = input.ExcludeWatched ?? channel.ExcludeWatched;
        channel.UseTaste = input.UseTaste ?? channel.UseTaste;
        if (shares is not null)
        {
            channel.Shares.RemoveAll(s => !shares.Contains(s.UserId, StringComparer.OrdinalIgnoreCase));
            foreach (var userId in shares.Where(u => !channel.Shares.Exists(s => string.Equals(s.UserId, u, StringComparison.OrdinalIgnoreCase))))
            {
                channel.Shares.Add(new ChannelShare { ChannelId = channel.Id, UserId = userId });
            }
        }
        channel.UpdatedAt = time.GetUtcNow();
        if (isNew)
        {
            channel.CreatedAt = channel.UpdatedAt;
        }
        return errors;

        static List<string>? Clean(List<string>? genres) => genres?.Where(g => !string.IsNullOrWhiteSpace(g)).Select(g => g.Trim())
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<(Channel? Channel, Dictionary<string, string> Errors)> CreateAsync(string ownerId, ChannelInput input, CancellationToken ct)
    {
        var channel = new Channel { OwnerId = ownerId, Name = "" };
        var errors = await ApplyAsync(channel, input, isNew: true, ct);
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        db.Channels.Add(channel);
        await db.SaveChangesAsync(ct);
        return (channel, errors);
    }

    // A new name or new shares of a channel already in the media server update its playlists first (shares added or taken away):
    // if the server refuses, nothing is saved.
    public async Task<Dictionary<string, string>> UpdateAsync(Channel channel, ChannelInput input, CancellationToken ct)
    {
        var before = (channel.Name, Shares: string.Join(',', channel.Shares.Select(s => s.UserId).Order(StringComparer.Ordinal)));
        var errors = await ApplyAsync(channel, input, isNew: false, ct);
        if (errors.Count > 0)
        {
            return errors;
        }
        var after = (channel.Name, Shares: string.Join(',', channel.Shares.Select(s => s.UserId).Order(StringComparer.Ordinal)));
        if (channel.Playlists.Count > 0 && before != after)
        {
            await playlists.SyncAsync(channel, ct, renamed: before.Name != after.Name, sharesChanged: before.Shares != after.Shares);
        }
        await db.SaveChangesAsync(ct);
        return errors;
    }

    // A list another feature made (a movie night): its titles as given, owned by ownerId, shared read-only with sharedWith.
    // It is never generated from words nor refreshed; renaming, sharing, syncing and deleting work as for any channel.
    public async Task<Channel> CreateFixedAsync(string ownerId, string name, ChannelKind kind, string? description,
        IReadOnlyList<FixedChannelEntry> entries, IReadOnlyCollection<string> sharedWith, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var channel = new Channel
        {
            OwnerId = ownerId,
            Name = name.Length > MaxNameLength ? name[..MaxNameLength] : name,
            Kind = kind,
            Size = Math.Clamp(entries.Count, 1, MaxSize),
            ExcludeWatched = false,
            FixedEntries = true,
            Description = description,
            DescriptionSource = "movie night",
            CreatedAt = now,
            UpdatedAt = now,
            GeneratedAt = now,
            Shares = sharedWith.Where(u => !string.Equals(u, ownerId, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(u => new ChannelShare { UserId = u }).ToList(),
            Entries = entries.Take(MaxSize).Select((e, i) => new ChannelEntry { TitleId = e.TitleId, Rank = i + 1, Score = e.Score, Why = e.Why }).ToList(),
        };
        db.Channels.Add(channel);
        await db.SaveChangesAsync(ct);
        var titleIds = channel.Entries.Select(e => e.TitleId).ToList();
        await db.Titles.Where(t => titleIds.Contains(t.Id)).LoadAsync(ct);
        return channel;
    }

    public async Task<ChannelGenerationResult> GenerateAsync(Channel channel, CancellationToken ct)
    {
        if (channel.FixedEntries)
        {
            throw new ChannelGenerationException("entries", "This channel is a saved list (a movie night): its titles stay as they were saved.");
        }
        var result = await generator.GenerateAsync(channel, NullJobProgress.Instance, ct);
        await db.SaveChangesAsync(ct);
        // The new entries know only their title ids: load the titles so the detail and a sync can read them.
        var titleIds = channel.Entries.Select(e => e.TitleId).ToList();
        await db.Titles.Where(t => titleIds.Contains(t.Id)).LoadAsync(ct);
        return result;
    }

    public async Task SyncAsync(Channel channel, CancellationToken ct)
    {
        if (channel.Entries.Count == 0)
        {
            throw new ChannelGenerationException("entries", "Generate the channel before syncing it: it has no titles yet.");
        }
        await playlists.SyncAsync(channel, ct);
        await db.SaveChangesAsync(ct);
    }

    // Its playlists go first; if the server refuses, the channel stays (and so do they).
    public async Task DeleteAsync(Channel channel, CancellationToken ct)
    {
        await playlists.RemoveAsync(channel, ct);
        db.Channels.Remove(channel);
        await db.SaveChangesAsync(ct);
    }

    // Titles for the example picker: by name, of the channel's kinds.
    public async Task<List<ChannelExample>> SearchTitlesAsync(string? q, ChannelKind kind, int take, CancellationToken ct)
    {
        var text = q?.Trim() ?? "";
        if (text.Length < 2)
        {
            return [];
        }
        var kinds = ChannelGenerator.Kinds(kind);
        var pattern = "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
        var anywhere = pattern.ToLowerInvariant();
        var start = anywhere[1..];
        var rows = await db.Titles.AsNoTracking().Where(t => kinds.Contains(t.Kind) && EF.Functions.Like(t.Name.ToLower(), anywhere, "\\"))
            .OrderBy(t => EF.Functions.Like(t.Name.ToLower(), start, "\\") ? 0 : 1).ThenBy(t => t.Name).ThenBy(t => t.Year).Take(take)
            .Select(t => new { t.Id, t.Kind, t.Name, t.Year, t.PrimaryImageTag }).ToListAsync(ct);
        return rows.Select(t => Example(t.Id, t.Kind, t.Name, t.Year, t.PrimaryImageTag)).ToList();
    }

    // The catalogue's genres of these kinds, for the form to offer.
    public Task<IReadOnlyList<string>> GenresAsync(ChannelKind kind, CancellationToken ct) => vocabularies.GenresAsync(db, ChannelGenerator.Kinds(kind), ct);

    public async Task<List<ChannelUser>> OtherUsersAsync(string ownerId, CancellationToken ct) =>
        [.. (await db.Users.AsNoTracking().Where(u => u.Id != ownerId && u.PresentOnServer && !u.IsDisabled)
            .Select(u => new ChannelUser(u.Id, u.Name)).ToListAsync(ct)).OrderBy(u => u.Name, NaturalOrder.Instance)];

    public async Task<List<ChannelExample>> TitlesAsync(IReadOnlyCollection<long> ids, CancellationToken ct) =>
        (await db.Titles.AsNoTracking().Where(t => ids.Contains(t.Id)).Select(t => new { t.Id, t.Kind, t.Name, t.Year, t.PrimaryImageTag }).ToListAsync(ct))
            .Select(t => Example(t.Id, t.Kind, t.Name, t.Year, t.PrimaryImageTag)).ToList();

    private static ChannelExample Example(long id, MediaKind kind, string name, int? year, string? imageTag) =>
        new(id, kind.Word(), name, year, TitleImage.Of(id, ServerImageType.Primary, imageTag));
}
