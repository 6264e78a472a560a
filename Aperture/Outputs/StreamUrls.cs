using Aperture.MediaServers;

namespace Aperture.Outputs;

// What a .strm file holds for one item (MEDIA-SERVER-API.md §9). Jellyfin 10.11.7+ plays only remote
// targets from .strm files, so these are always absolute http(s) URLs.
public interface IStreamUrlBuilder
{
    string StreamUrl(string serverItemId);
}

// Jellyfin's stream endpoint needs no key (up to 12.0), so the files hold no secret.
public sealed class JellyfinStreamUrlBuilder(string baseUrl) : IStreamUrlBuilder
{
    private readonly string _root = baseUrl.TrimEnd('/');

    public string StreamUrl(string serverItemId)
    {
        var id = Uri.EscapeDataString(serverItemId);
        return $"{_root}/Videos/{id}/stream?static=true&mediaSourceId={id}";
    }
}

// Emby needs the key in the URL: anyone who can read the .strm files can read the key (the admin page says so).
public sealed class EmbyStreamUrlBuilder(string baseUrl, string apiKey) : IStreamUrlBuilder
{
    private readonly string _root = baseUrl.TrimEnd('/');

    public string StreamUrl(string serverItemId)
    {
        var id = Uri.EscapeDataString(serverItemId);
        return $"{_root}/emby/Videos/{id}/stream?static=true&MediaSourceId={id}&api_key={Uri.EscapeDataString(apiKey)}";
    }
}

public static class StreamUrlBuilder
{
    public static IStreamUrlBuilder For(MediaServerType type, string baseUrl, string? apiKey) => type switch
    {
        MediaServerType.Emby => new EmbyStreamUrlBuilder(baseUrl, apiKey ?? throw new ArgumentException("Emby stream URLs need the API key", nameof(apiKey))),
        _ => new JellyfinStreamUrlBuilder(baseUrl),
    };
}
