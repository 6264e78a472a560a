namespace Aperture.MediaServers;

// A user's favourite flag (the write-back of a 👍, only with the user's consent). Jellyfin 10.9+: POST/DELETE
// /UserFavoriteItems/{itemId}?userId= (UserLibraryController; an API key is an administrator, so it may name any user);
// before 10.9 only /Users/{userId}/FavoriteItems/{itemId}. Emby 4.8: POST /Users/{UserId}/FavoriteItems/{Id}, and its
// POST …/Delete form to clear it.
public sealed partial class MediaServerClient
{
    public static bool HasUserFavoriteItemsRoute(MediaServerType type, string? version) =>
        type == MediaServerType.Jellyfin && (!Version.TryParse(version, out var v) || v >= new Version(10, 9));

    public async Task SetFavoriteAsync(string userId, string itemId, bool favorite, string? serverVersion, CancellationToken ct)
    {
        var user = Uri.EscapeDataString(userId);
        var item = Uri.EscapeDataString(itemId);
        if (HasUserFavoriteItemsRoute(connection.Type, serverVersion))
        {
            await SendAsync<object>(favorite ? HttpMethod.Post : HttpMethod.Delete, $"UserFavoriteItems/{item}?userId={user}", null, connection.ApiKey, null, ct);
        }
        else if (connection.Type == MediaServerType.Jellyfin)
        {
            await SendAsync<object>(favorite ? HttpMethod.Post : HttpMethod.Delete, $"Users/{user}/FavoriteItems/{item}", null, connection.ApiKey, null, ct);
        }
        else
        {
            await SendAsync<object>(HttpMethod.Post, favorite ? $"Users/{user}/FavoriteItems/{item}" : $"Users/{user}/FavoriteItems/{item}/Delete",
                null, connection.ApiKey, null, ct);
        }
    }
}
