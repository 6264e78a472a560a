using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Aperture.MediaServers;

// An entry of a playlist: the item, and the entry's own id (what removal takes; an item may be in a playlist twice).
public sealed record PlaylistEntry(string ItemId, string? PlaylistItemId);

internal sealed record PlaylistEntryDto(
    [property: JsonConverter(typeof(FlexibleStringConverter))] string Id,
    [property: JsonConverter(typeof(FlexibleStringConverter))] string? PlaylistItemId);

public sealed record PlaylistSummaryDto([property: JsonConverter(typeof(FlexibleStringConverter))] string Id, string? Name);

// Playlists (MEDIA-SERVER-API.md §7). Jellyfin: one JSON body with IsPublic:false (with a body it defaults to public)
// and, from 10.9, per-user read-only shares. Emby: query-string forms only, and no shares: one playlist per user.
public sealed partial class MediaServerClient
{
    // Long id lists go in the query string: keep each request's URL well under common limits.
    private const int IdsPerRequest = 100;

    // Jellyfin from 10.9 shares a playlist with chosen users and updates it in one call.
    public static bool SupportsPlaylistShares(MediaServerType type, string? version) =>
        type == MediaServerType.Jellyfin && (!Version.TryParse(version, out var v) || v >= new Version(10, 9));

    public async Task<string> CreatePlaylistAsync(string name, string ownerUserId, IReadOnlyList<string> itemIds,
        IReadOnlyList<string> sharedWith, CancellationToken ct, bool isPublic = false)
    {
        CreatedItemDto? created;
        var first = itemIds.Take(IdsPerRequest).ToList();
        if (connection.Type == MediaServerType.Jellyfin)
        {
            var body = new JsonObject
            {
                ["Name"] = name,
                ["Ids"] = new JsonArray([.. first.Select(i => (JsonNode)i)]),
                ["UserId"] = ownerUserId,
                ["MediaType"] = "Video",
                ["Users"] = Shares(sharedWith),
                ["IsPublic"] = isPublic,
            };
            created = await SendAsync<CreatedItemDto>(HttpMethod.Post, "Playlists", body, connection.ApiKey, null, ct);
        }
        else
        {
            var s = new StringBuilder("Playlists?");
            Add(s, "Name", name);
            Add(s, "Ids", first);
            Add(s, "MediaType", "Video");
            Add(s, "UserId", ownerUserId);
            created = await SendAsync<CreatedItemDto>(HttpMethod.Post, s.ToString().TrimEnd('&'), null, connection.ApiKey, null, ct);
        }
        var id = created?.Id is { Length: > 0 } made ? made
            : throw new MediaServerException(MediaServerErrorKind.BadResponse, $"The media server created the playlist '{name}' but sent no Id.");
        if (itemIds.Count > first.Count)
        {
            await AddToPlaylistAsync(id, ownerUserId, itemIds.Skip(first.Count).ToList(), ct);
        }
        return id;
    }

    // The playlists a user can see (their own and those shared with them). Name always comes: it is no ItemFields value
    // on Jellyfin, so asking for it in Fields would be an unknown value there.
    public async Task<IReadOnlyList<PlaylistSummaryDto>> GetPlaylistsAsync(string userId, CancellationToken ct)
    {
        var path = $"Items?userId={Uri.EscapeDataString(userId)}&IncludeItemTypes=Playlist&Recursive=true";
        return (await SendAsync<QueryResultDto<PlaylistSummaryDto>>(HttpMethod.Get, path, null, connection.ApiKey, null, ct))?.Items ?? [];
    }

    public async Task<IReadOnlyList<PlaylistEntry>> GetPlaylistEntriesAsync(string playlistId, string userId, CancellationToken ct)
    {
        var path = $"Playlists/{Uri.EscapeDataString(playlistId)}/Items?UserId={Uri.EscapeDataString(userId)}&EnableImages=false";
        var page = await SendAsync<QueryResultDto<PlaylistEntryDto>>(HttpMethod.Get, path, null, connection.ApiKey, null, ct);
        return [.. (page?.Items ?? []).Select(e => new PlaylistEntry(e.Id, e.PlaylistItemId))];
    }

    public async Task AddToPlaylistAsync(string playlistId, string userId, IReadOnlyList<string> itemIds, CancellationToken ct)
    {
        foreach (var chunk in itemIds.Chunk(IdsPerRequest))
        {
            var s = new StringBuilder($"Playlists/{Uri.EscapeDataString(playlistId)}/Items?");
            Add(s, "Ids", chunk);
            Add(s, "UserId", userId);
            await SendAsync<object>(HttpMethod.Post, s.ToString().TrimEnd('&'), null, connection.ApiKey, null, ct);
        }
    }

    // Removal takes the entries' PlaylistItemId, not the item ids.
    public async Task RemoveFromPlaylistAsync(string playlistId, IReadOnlyList<string> entryIds, CancellationToken ct)
    {
        foreach (var chunk in entryIds.Chunk(IdsPerRequest))
        {
            var s = new StringBuilder($"Playlists/{Uri.EscapeDataString(playlistId)}/Items?");
            Add(s, "EntryIds", chunk);
            await SendAsync<object>(HttpMethod.Delete, s.ToString().TrimEnd('&'), null, connection.ApiKey, null, ct);
        }
    }

    // Replaces the contents in rank order (playlists keep the order items were added in); false when they already match.
    // New entries go in first, then the old ones out, so a refused call leaves the previous contents in place (if the
    // removal is refused, the entries just added are taken out again).
    public async Task<bool> ReplacePlaylistItemsAsync(string playlistId, string userId, IReadOnlyList<string> itemIds, CancellationToken ct)
    {
        var old = await GetPlaylistEntriesAsync(playlistId, userId, ct);
        if (old.Select(e => e.ItemId).SequenceEqual(itemIds, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }
        var oldEntries = old.Select(e => e.PlaylistItemId).OfType<string>().ToList();
        await AddToPlaylistAsync(playlistId, userId, itemIds, ct);
        try
        {
            await RemoveFromPlaylistAsync(playlistId, oldEntries, ct);
        }
        catch (MediaServerException)
        {
            try
            {
                var known = oldEntries.ToHashSet(StringComparer.OrdinalIgnoreCase);
                var added = (await GetPlaylistEntriesAsync(playlistId, userId, ct))
                    .Select(e => e.PlaylistItemId).OfType<string>().Where(e => !known.Contains(e)).ToList();
                await RemoveFromPlaylistAsync(playlistId, added, ct);
            }
            catch (MediaServerException)
            {
                // The server refuses removals altogether: the first error says why.
            }
            throw;
        }
        return true;
    }

    // Jellyfin 10.9+: name, contents, shares and privacy in one call (only what is sent changes).
    public Task UpdatePlaylistAsync(string playlistId, string name, IReadOnlyList<string> itemIds, IReadOnlyList<string> sharedWith, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["Name"] = name,
            ["Ids"] = new JsonArray([.. itemIds.Select(i => (JsonNode)i)]),
            ["Users"] = Shares(sharedWith),
            ["IsPublic"] = false,
        };
        return SendAsync<object>(HttpMethod.Post, $"Playlists/{Uri.EscapeDataString(playlistId)}", body, connection.ApiKey, null, ct);
    }

    private static JsonArray Shares(IReadOnlyList<string> userIds) =>
        new([.. userIds.Select(u => (JsonNode)new JsonObject { ["UserId"] = u, ["CanEdit"] = false })]);
}
