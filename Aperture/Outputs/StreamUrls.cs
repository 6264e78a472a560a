using Aperture.MediaServers;

namespace Aperture.Outputs;

// What a .strm file holds for one item (MEDIA-SERVER-API.md §9). Jellyfin 10.11.7+ plays only remote
// targets from .strm files, so these are always absolute http(s) URLs.
public interface IStreamUrlBuilder
{
    // serverPath: the item's media file as the server sees it, when known (Emby's URL names the container).
    string StreamUrl(string serverItemId, string? serverPath);
}

// Jellyfin's stream endpoint needs no key (up to 12.0), so the files hold no secret.
public sealed class JellyfinStreamUrlBuilder(string baseUrl) : IStreamUrlBuilder
{
    private readonly string _root = baseUrl.TrimEnd('/');

    public string StreamUrl(string serverItemId, string? serverPath)
    {
        var id = Uri.EscapeDataString(serverItemId);
        return $"{_root}/Videos/{id}/stream?static=true&mediaSourceId={id}";
    }
}

// Emby needs the key in the URL: anyone who can read the .strm files can read the key (the admin page says so).
public sealed class EmbyStreamUrlBuilder(string baseUrl, string apiKey) : IStreamUrlBuilder
{
    private readonly string _root = baseUrl.TrimEnd('/');

    // Emby 4.8's /Videos/{Id}/stream requires Container; /Videos/{Id}/stream.{Container} carries it in the path. With Static the
    // file is sent as it is, so the container is the file's extension, or mkv when the path is not known (episodes).
    public string StreamUrl(string serverItemId, string? serverPath)
    {
        var id = Uri.EscapeDataString(serverItemId);
        return $"{_root}/emby/Videos/{id}/stream.{Container(serverPath)}?Static=true&api_key={Uri.EscapeDataString(apiKey)}";
    }

    internal static string Container(string? serverPath)
    {
        var extension = Path.GetExtension(serverPath ?? "").TrimStart('.').ToLowerInvariant();
        return extension.Length is > 0 and <= 8 && extension.All(char.IsAsciiLetterOrDigit) ? extension : "mkv";
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
