using System.Text;
using System.Text.Json.Nodes;

namespace Aperture.MediaServers;

internal sealed record CreatedItemDto([property: System.Text.Json.Serialization.JsonConverter(typeof(FlexibleStringConverter))] string? Id);

// Collections (box sets), MEDIA-SERVER-API.md §7; playlists are in MediaServerClient.Playlists.cs.
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

    // Members are read like any folder's children, /Items?ParentId={collectionId}, but through a user: Jellyfin's box set members
    // are linked children, which it lists only for a user (without a userId the answer is empty).
    public async Task<IReadOnlyList<string>> GetCollectionItemIdsAsync(string collectionId, string? userId, CancellationToken ct)
    {
        var ids = new List<string>();
        while (true)
        {
            var query = new ItemsQuery { ParentId = collectionId, UserId = userId, Recursive = false, EnableImages = false };
            var page = await GetItemsAsync(query, ids.Count, 500, ct);
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

    // The ids of the box sets or playlists of that exact name the user sees: one Aperture made whose answer (and so its id) was lost.
    public async Task<IReadOnlyList<string>> FindByNameAsync(string itemType, string name, string userId, CancellationToken ct) =>
        [.. (await GetUserItemsOfTypeAsync(itemType, userId, ct)).Where(i => string.Equals(i.Name, name, StringComparison.Ordinal)).Select(i => i.Id)];

    // The box sets or playlists a user sees (their own and those shared with them). Name always comes: it is no ItemFields
    // value on Jellyfin, so asking for it in Fields would be an unknown value there.
    private async Task<IReadOnlyList<PlaylistSummaryDto>> GetUserItemsOfTypeAsync(string itemType, string userId, CancellationToken ct)
    {
        var path = $"Items?userId={Uri.EscapeDataString(userId)}&IncludeItemTypes={Uri.EscapeDataString(itemType)}&Recursive=true&Fields=DateCreated";
        return (await SendAsync<QueryResultDto<PlaylistSummaryDto>>(HttpMethod.Get, path, null, connection.ApiKey, null, ct))?.Items ?? [];
    }

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
