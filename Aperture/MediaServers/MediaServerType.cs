using System.Reflection;

namespace Aperture.MediaServers;

public enum MediaServerType { Jellyfin, Emby }

public sealed record MediaServerConnection(MediaServerType Type, Uri BaseUrl, string? ApiKey)
{
    // Emby serves its API under /emby; Jellyfin dropped that legacy prefix in 12.0.
    public Uri ApiRoot => new(EnsureSlash(BaseUrl), Type == MediaServerType.Emby ? "emby/" : "");

    internal static Uri EnsureSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}

// What Aperture says about itself in the server's session list.
public static class ClientIdentity
{
    public const string Client = "Aperture";
    public const string Device = "Aperture";

    public static string Version { get; } =
        typeof(ClientIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.1.0";
}

public enum MediaServerErrorKind { Unreachable, Tls, Timeout, Unauthorized, Forbidden, NotFound, NotAMediaServer, BadResponse, ServerError, NotConfigured }

public sealed class MediaServerException : Exception
{
    public MediaServerException(MediaServerErrorKind kind, string message, Exception? inner = null, int? statusCode = null)
        : base(message, inner)
    {
        Kind = kind;
        StatusCode = statusCode;
    }

    public MediaServerException() { }
    public MediaServerException(string message) : base(message) { }
    public MediaServerException(string message, Exception inner) : base(message, inner) { }

    public MediaServerErrorKind Kind { get; }
    public int? StatusCode { get; }
}
