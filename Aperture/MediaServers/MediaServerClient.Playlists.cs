using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Aperture.MediaServers;

internal sealed record PlaylistEntryDto([property: JsonConverter(typeof(FlexibleStringConverter))] string Id);

public sealed record PlaylistSummaryDto([property: JsonConverter(typeof(FlexibleStringConverter))] string Id, string? Name, DateTimeOffset? DateCreated = null);

// Playlists (MEDIA-SERVER-API.md §7). Jellyfin: one JSON body with IsPublic:false (with a body it defaults to public)
// and, from 10.9, per-user read-only shares set at creation. Emby: query-string forms only, and no shares: one playlist per user,
// created as that user.
// Jellyfin's POST /Playlists/{id} and /Playlists/{id}/Users/{userId} act as the calling user, whom an API key does not have
// (PlaylistsController: 400), so they are never used: new contents, a new name or new shares make a new playlist
// (ReplacePlaylistAsync), never an edit in place.
public sealed partial class MediaServerClient
{
    // Long id lists go in the query string: keep each request's URL well under common limits.
    private const int IdsPerRequest = 100;

    // Jellyfin from 10.9 shares a playlist with chosen users.
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
            // Emby 4.8 playlists belong to the caller and POST /Playlists takes no UserId: the API key acts as the owner through
            // UserId in its authorization header (Emby's documented "Emby UserId=..., Token=..." form).
            var s = new StringBuilder("Playlists?");
            Add(s, "Name", name);
            Add(s, "Ids", first);
            Add(s, "MediaType", "Video");
            created = await SendAsync<CreatedItemDto>(HttpMethod.Post, s.ToString().TrimEnd('&'), null, connection.ApiKey, null, ownerUserId, ct);
        }
        var id = created?.Id is { Length: > 0 } made ? made
            : throw new MediaServerException(MediaServerErrorKind.BadResponse, $"The media server created the playlist '{name}' but sent no Id.");
        if (itemIds.Count > first.Count)
        {
            await AddToPlaylistAsync(id, ownerUserId, itemIds.Skip(first.Count).ToList(), ct);
        }
        return id;
    }

    // A playlist replaced whole: the complete new one is made first, then the old one is deleted (already gone is fine). If the
    // old one cannot be deleted, the new one is taken back and the first error thrown, so the old one stays, whole and alone.
    public async Task<string> ReplacePlaylistAsync(string oldId, string name, string ownerUserId, IReadOnlyList<string> itemIds,
        IReadOnlyList<string> sharedWith, CancellationToken ct, bool isPublic = false)
    {
        var id = await CreatePlaylistAsync(name, ownerUserId, itemIds, sharedWith, ct, isPublic);
        try
        {
            await DeleteItemAsync(oldId, ct);
        }
        catch (MediaServerException e) when (e.Kind == MediaServerErrorKind.NotFound)
        {
            // Gone already.
        }
        catch (MediaServerException)
        {
            try
            {
                await DeleteItemAsync(id, ct);
            }
            catch (MediaServerException)
            {
                // The server refuses deletes altogether: the first error says why (a stored replacement start finds it later).
            }
            throw;
        }
        return id;
    }

    // The playlists a user can see (their own and those shared with them).
    public Task<IReadOnlyList<PlaylistSummaryDto>> GetPlaylistsAsync(string userId, CancellationToken ct) =>
        GetUserItemsOfTypeAsync("Playlist", userId, ct);

    // A playlist replacement builds the complete new playlist before it deletes the old one. Killed between the two, it
    // leaves a playlist nobody has recorded: this finds it by what is known (the user, the name, created in the few minutes
    // after the replacement began, not the one kept) and deletes it. The window keeps a playlist the user made by hand with
    // the same name at another time out of reach. Returns how many were deleted.
    public async Task<int> DeleteReplacementOrphansAsync(string userId, string name, DateTimeOffset replacingSince, string? keep, CancellationToken ct)
    {
        var from = replacingSince - OrphanClockSlack;
        var to = replacingSince + OrphanWindow;
        var orphans = (await GetPlaylistsAsync(userId, ct))
            .Where(p => !string.Equals(p.Id, keep, StringComparison.OrdinalIgnoreCase) && string.Equals(p.Name, name, StringComparison.Ordinal)
                && p.DateCreated is { } created && created >= from && created <= to)
            .ToList();
        foreach (var orphan in orphans)
        {
            try
            {
                await DeleteItemAsync(orphan.Id, ct);
            }
            catch (MediaServerException e) when (e.Kind == MediaServerErrorKind.NotFound)
            {
                // Gone already.
            }
        }
        return orphans.Count;
    }

    // The server's clock may differ from Aperture's; a creation takes one call (the client's timeout and retries bound it).
    private static readonly TimeSpan OrphanClockSlack = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan OrphanWindow = TimeSpan.FromMinutes(15);

    // Whether the playlist holds exactly these items in this order; null when it is gone from the server.
    public async Task<bool?> PlaylistHoldsAsync(string playlistId, string userId, IReadOnlyList<string> itemIds, CancellationToken ct)
    {
        try
        {
            return (await GetPlaylistItemIdsAsync(playlistId, userId, ct)).SequenceEqual(itemIds, StringComparer.OrdinalIgnoreCase);
        }
        catch (MediaServerException e) when (e.Kind == MediaServerErrorKind.NotFound)
        {
            return null;
        }
    }

    // The items of a playlist in its order (an item may stand in it twice).
    public async Task<IReadOnlyList<string>> GetPlaylistItemIdsAsync(string playlistId, string userId, CancellationToken ct)
    {
        var path = $"Playlists/{Uri.EscapeDataString(playlistId)}/Items?UserId={Uri.EscapeDataString(userId)}&EnableImages=false";
        var page = await SendAsync<QueryResultDto<PlaylistEntryDto>>(HttpMethod.Get, path, null, connection.ApiKey, null, ct);
        return [.. (page?.Items ?? []).Select(e => e.Id)];
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

    private static JsonArray Shares(IReadOnlyList<string> userIds) =>
        new([.. userIds.Select(u => (JsonNode)new JsonObject { ["UserId"] = u, ["CanEdit"] = false })]);
}
