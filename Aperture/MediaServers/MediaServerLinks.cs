namespace Aperture.MediaServers;

public sealed record ServerLink(string Label, string Url);

// Links into the media server's own web client (MEDIA-SERVER-API.md §8). No web URL starts playback;
// these open the item's details page, where the user presses play.
public static class MediaServerLinks
{
    private static readonly Version JellyfinHashRouter = new(10, 9);

    public static ServerLink? ForItem(ServerFacts? server, string? baseUrl, string itemId)
    {
        if (server is null || string.IsNullOrEmpty(baseUrl) || string.IsNullOrEmpty(server.ServerId))
        {
            return null;
        }
        var label = server.Type == MediaServerType.Jellyfin ? "Open in Jellyfin" : "Open in Emby";
        return new ServerLink(label, ItemUrl(server.Type, server.Version, baseUrl, server.ServerId, itemId));
    }

    public static string ItemUrl(MediaServerType type, string? version, string baseUrl, string serverId, string itemId)
    {
        var root = baseUrl.TrimEnd('/');
        var query = $"id={Uri.EscapeDataString(itemId)}&serverId={Uri.EscapeDataString(serverId)}";
        if (type == MediaServerType.Emby)
        {
            return $"{root}/web/index.html#!/item?{query}";
        }
        // jellyfin-web 10.9 moved to a router without the "!"; an unknown version is taken as current.
        var legacy = Version.TryParse(version, out var v) && v < JellyfinHashRouter;
        return $"{root}/web/{(legacy ? "#!" : "#")}/details?{query}";
    }
}
