using System.Text;
using System.Text.Json.Nodes;

namespace Aperture.MediaServers;

// An entry of a playlist: the item and the entry id that removing it takes (an item may be in a playlist twice).
public sealed record PlaylistEntry(string ItemId, string? PlaylistItemId);

internal sealed record CreatedItemDto([property: System.Text.Json.Serialization.JsonConverter(typeof(FlexibleStringConverter))] string? Id);

internal sealed record PlaylistEntryDto(
    [property: System.Text.Json.Serialization.JsonConverter(typeof(FlexibleStringConverter))] string Id,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(FlexibleStringConverter))] string? PlaylistItemId);

// Collections (box sets) and playlists, MEDIA-SERVER-API.md §7.
public sealed partial class MediaServerClient
{
    // Both servers: POST /Collections?Name=&Ids= → {Id}. Jellyfin 10.9+ needs an admin key (or EnableCollectionManagement).
    public async Task<string> CreateCollectionAsync(string name, IReadOnlyList<string> itemIds, CancellationToken ct)
    {
        var s = new StringBuilder("Collections?");
        Add(s, "Name", name);
        Add(s, "Ids", itemIds);
        var created = await SendAsync<CreatedItemDto>(HttpMethod.Post, s.ToString().TrimEnd('&'), null, connection.ApiKey, null, ct);
        return created?.Id is { Length: > 0 } id
            ? id
            : throw new MediaServerException(MediaServerErrorKind.BadResponse, $"The media server created the collection '{name}' without answering its id.");
    }

    // Members are read like any folder's children: /Items?ParentId={collectionId}.
    public async Task<IReadOnlyList<string>> GetCollectionItemIdsAsync(string collectionId, CancellationToken ct)
    {
        var ids = new List<string>();
        while (true)
        {
            var page = await GetItemsAsync(new ItemsQuery { ParentId = collectionId, Recursive = false, EnableImages = false }, ids.Count, 500, ct);
            ids.AddRange(page.Items.Select(i => i.Id));
            if (page.Items.Count == 0 || ids.Count >= page.TotalRecordCount)
            {
                return ids;
            }
        }
    }

    public Task AddToCollectionAsync(string collectionId, IReadOnlyList<string> itemIds, CancellationToken ct) =>
        itemIds.Count == 0 ? Task.CompletedTask
            : SendAsync<object>(HttpMethod.Post, $"Collections/{Uri.EscapeDataString(collectionId)}/Items?Ids={Join(itemIds)}", null, connection.ApiKey, null, ct);

    public Task RemoveFromCollectionAsync(string collectionId, IReadOnlyList<string> itemIds, CancellationToken ct) =>
        itemIds.Count == 0 ? Task.CompletedTask
            : SendAsync<object>(HttpMethod.Delete, $"Collections/{Uri.EscapeDataString(collectionId)}/Items?Ids={Join(itemIds)}", null, connection.ApiKey, null, ct);

    // Jellyfin: body {Name, Ids, UserId, MediaType, IsPublic} (with a body IsPublic defaults to true, so it is always sent);
    // Emby: query only, and an Emby playlist is its owner's.
    public async Task<string> CreatePlaylistAsync(string name, IReadOnlyList<string> itemIds, string ownerUserId, bool isPublic, CancellationToken ct)
    {
        CreatedItemDto? created;
        if (connection.Type == MediaServerType.Jellyfin)
        {
            var body = new JsonObject
            {
                ["Name"] = name,
                ["Ids"] = new JsonArray([.. itemIds.Select(i => (JsonNode)i)]),
                ["UserId"] = ownerUserId,
                ["MediaType"] = "Video",
                ["IsPublic"] = isPublic,
            };
            created = await SendAsync<CreatedItemDto>(HttpMethod.Post, "Playlists", body, connection.ApiKey, null, ct);
        }
        else
        {
            var s = new StringBuilder("Playlists?");
            Add(s, "Name", name);
            Add(s, "Ids", itemIds);
            Add(s, "MediaType", "Video");
            Add(s, "UserId", ownerUserId);
            created = await SendAsync<CreatedItemDto>(HttpMethod.Post, s.ToString().TrimEnd('&'), null, connection.ApiKey, null, ct);
        }
        return created?.Id is { Length: > 0 } id
            ? id
            : throw new MediaServerException(MediaServerErrorKind.BadResponse, $"The media server created the playlist '{name}' without answering its id.");
    }

    public async Task<IReadOnlyList<PlaylistEntry>> GetPlaylistEntriesAsync(string playlistId, string userId, CancellationToken ct)
    {
        var page = await SendAsync<QueryResultDto<PlaylistEntryDto>>(HttpMethod.Get,
            $"Playlists/{Uri.EscapeDataString(playlistId)}/Items?UserId={Uri.EscapeDataString(userId)}&EnableImages=false", null, connection.ApiKey, null, ct);
        return [.. (page?.Items ?? []).Select(e => new PlaylistEntry(e.Id, e.PlaylistItemId))];
    }

    public Task AddToPlaylistAsync(string playlistId, IReadOnlyList<string> itemIds, string userId, CancellationToken ct) =>
        itemIds.Count == 0 ? Task.CompletedTask
            : SendAsync<object>(HttpMethod.Post,
                $"Playlists/{Uri.EscapeDataString(playlistId)}/Items?Ids={Join(itemIds)}&UserId={Uri.EscapeDataString(userId)}", null, connection.ApiKey, null, ct);

    // Entries are removed by their PlaylistItemId, not the item id.
    public Task RemoveFromPlaylistAsync(string playlistId, IReadOnlyList<string> entryIds, CancellationToken ct) =>
        entryIds.Count == 0 ? Task.CompletedTask
            : SendAsync<object>(HttpMethod.Delete, $"Playlists/{Uri.EscapeDataString(playlistId)}/Items?EntryIds={Join(entryIds)}", null, connection.ApiKey, null, ct);

    // True when the item (a collection, a playlist) is still on the server.
    public async Task<bool> ItemExistsAsync(string itemId, CancellationToken ct)
    {
        var page = await GetItemsAsync(new ItemsQuery { Ids = [itemId], Recursive = true, EnableImages = false }, 0, 1, ct);
        return page.Items.Any(i => string.Equals(i.Id, itemId, StringComparison.OrdinalIgnoreCase));
    }

    // Deletes a collection or playlist (both servers: DELETE /Items/{id}).
    public Task DeleteItemAsync(string itemId, CancellationToken ct) =>
        SendAsync<object>(HttpMethod.Delete, $"Items/{Uri.EscapeDataString(itemId)}", null, connection.ApiKey, null, ct);

    private static string Join(IReadOnlyList<string> ids) => string.Join(',', ids.Select(Uri.EscapeDataString));
}
