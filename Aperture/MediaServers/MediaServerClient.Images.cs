using System.Net;

namespace Aperture.MediaServers;

public enum ServerImageType { Primary, Backdrop }

public sealed record ServerImage(byte[] Bytes, string ContentType);

public sealed partial class MediaServerClient
{
    // Raster formats only: an SVG served from Aperture's origin could run script.
    internal static readonly IReadOnlyDictionary<string, string> ImageExtensions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["image/jpeg"] = ".jpg",
        ["image/png"] = ".png",
        ["image/webp"] = ".webp",
        ["image/gif"] = ".gif",
        ["image/avif"] = ".avif",
    };

    public const int MaxImageBytes = 15 * 1024 * 1024;

    // GET /Items/{id}/Images/{type}?tag=&maxWidth=: null when the item has no such image (404).
    // The key travels in the auth header like every other call, never in the URL.
    public async Task<ServerImage?> GetImageAsync(string itemId, ServerImageType type, string? tag, int? maxWidth, CancellationToken ct)
    {
        var path = $"Items/{Uri.EscapeDataString(itemId)}/Images/{type}";
        var query = new List<string>();
        if (!string.IsNullOrEmpty(tag))
        {
            query.Add("tag=" + Uri.EscapeDataString(tag));
        }
        if (maxWidth is { } width)
        {
            query.Add("maxWidth=" + width.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        using (var response = await SendRequestAsync(HttpMethod.Get, query.Count == 0 ? path : path + "?" + string.Join('&', query),
            null, connection.ApiKey, null, null, ct))
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            await EnsureSuccessAsync(response, path, ct);
            var contentType = response.Content.Headers.ContentType?.MediaType ?? "";
            if (!ImageExtensions.ContainsKey(contentType))
            {
                throw new MediaServerException(MediaServerErrorKind.BadResponse, $"The media server sent '{contentType}' for {path}, not an image.");
            }
            if (response.Content.Headers.ContentLength > MaxImageBytes)
            {
                throw new MediaServerException(MediaServerErrorKind.BadResponse, $"The image {path} is larger than {MaxImageBytes / 1024 / 1024} MB.");
            }
            try
            {
                await using var stream = await response.Content.ReadAsStreamAsync(ct);
                using var buffer = new MemoryStream();
                var chunk = new byte[81920];
                int read;
                while ((read = await stream.ReadAsync(chunk, ct)) > 0)
                {
                    await buffer.WriteAsync(chunk.AsMemory(0, read), ct);
                    if (buffer.Length > MaxImageBytes)
                    {
                        throw new MediaServerException(MediaServerErrorKind.BadResponse, $"The image {path} is larger than {MaxImageBytes / 1024 / 1024} MB.");
                    }
                }
                return new ServerImage(buffer.ToArray(), contentType.ToLowerInvariant());
            }
            catch (Exception e) when (!CancelledBy(e, ct) && e is not MediaServerException && Classify(e, connection.BaseUrl) is { } error)
            {
                throw error;
            }
        }
    }
}
