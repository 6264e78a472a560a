using System.Security.Cryptography;
using System.Text;
using Aperture.MediaServers;
using Microsoft.Extensions.Options;

namespace Aperture.Browse;

public enum ImageOutcome { Found, Missing, Unavailable }

public sealed record ImageAnswer(ImageOutcome Outcome, string? FilePath = null, string? ContentType = null)
{
    public static readonly ImageAnswer Missing = new(ImageOutcome.Missing);
    public static readonly ImageAnswer Unavailable = new(ImageOutcome.Unavailable);
}

// Posters and backdrops kept in the data folder, keyed by server item, image type and tag (a new image on
// the server has a new tag), plus a short memory that the server is down so that a grid of posters does
// not wait on a dead server once per poster. Singleton: shared by every request of this instance.
public sealed class ImageCache(AppPaths paths, TimeProvider time)
{
    public static readonly TimeSpan DownFor = TimeSpan.FromSeconds(30);

    private long downUntilTicks;

    public string Directory => Path.Combine(paths.DataDirectory, "cache", "images");

    public bool ServerLooksDown => time.GetUtcNow().UtcTicks < Interlocked.Read(ref downUntilTicks);

    public void MarkDown() => Interlocked.Exchange(ref downUntilTicks, (time.GetUtcNow() + DownFor).UtcTicks);

    public void MarkUp() => Interlocked.Exchange(ref downUntilTicks, 0);

    public ImageAnswer? Find(string itemId, ServerImageType type, string tag)
    {
        var stem = Stem(itemId, type, tag);
        foreach (var (contentType, extension) in MediaServerClient.ImageExtensions)
        {
            var path = stem + extension;
            if (File.Exists(path))
            {
                return new ImageAnswer(ImageOutcome.Found, path, contentType);
            }
        }
        return null;
    }

    // Written under a temporary name and renamed into place, so a reader never sees half an image;
    // older tags of the same image are removed.
    public async Task<ImageAnswer> StoreAsync(string itemId, ServerImageType type, string tag, ServerImage image, CancellationToken ct)
    {
        var stem = Stem(itemId, type, tag);
        var folder = Path.GetDirectoryName(stem)!;
        System.IO.Directory.CreateDirectory(folder);
        var path = stem + MediaServerClient.ImageExtensions[image.ContentType];
        var temp = Path.Combine(folder, $".{Guid.NewGuid():N}.tmp");
        await File.WriteAllBytesAsync(temp, image.Bytes, ct);
        File.Move(temp, path, overwrite: true);
        var itemPrefix = Path.GetFileName(stem)[..ItemKeyLength];
        foreach (var old in System.IO.Directory.EnumerateFiles(folder, itemPrefix + "-*"))
        {
            if (!old.StartsWith(stem, StringComparison.Ordinal))
            {
                TryDelete(old);
            }
        }
        return new ImageAnswer(ImageOutcome.Found, path, image.ContentType);
    }

    private const int ItemKeyLength = 32;

    // Hashed names: server ids and tags never become paths as given.
    private string Stem(string itemId, ServerImageType type, string tag)
    {
        var item = Hash($"{itemId}\n{type}")[..ItemKeyLength];
        return Path.Combine(Directory, item[..2], $"{item}-{Hash(tag)[..16]}");
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Being read right now; the next store of this image removes it.
        }
    }
}

// Fetches an image through Aperture: from the cache, else from the media server with a short timeout.
public sealed class ImageProxy(ImageCache cache, MediaServerSettings settings, IOptions<MediaServerHttpOptions> options, ILogger<ImageProxy> logger)
{
    // Posters are shown at most ~300 px wide (600 on high-density screens); backdrops fill a wide header.
    private static int MaxWidth(ServerImageType type) => type == ServerImageType.Primary ? 600 : 1920;

    private TimeSpan Timeout => TimeSpan.FromSeconds(Math.Min(options.Value.TimeoutSeconds, 4));

    public async Task<ImageAnswer> GetAsync(string itemId, ServerImageType type, string tag, CancellationToken ct)
    {
        if (cache.Find(itemId, type, tag) is { } cached)
        {
            return cached;
        }
        if (cache.ServerLooksDown)
        {
            return ImageAnswer.Unavailable;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            var client = await settings.GetClientAsync(timeout.Token);
            var image = await client.GetImageAsync(itemId, type, tag, MaxWidth(type), timeout.Token);
            cache.MarkUp();
            return image is null ? ImageAnswer.Missing : await cache.StoreAsync(itemId, type, tag, image, ct);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            logger.LogInformation("The media server did not send image {Type} of {ItemId} within {Seconds} s; showing a placeholder", type, itemId, Timeout.TotalSeconds);
            cache.MarkDown();
            return ImageAnswer.Unavailable;
        }
        catch (MediaServerException e)
        {
            logger.LogInformation("Image {Type} of {ItemId} is unavailable: {Reason}", type, itemId, e.Message);
            // The whole server is out of reach: stop asking for a while. A bad answer for one image is only that image.
            if (e.Kind is MediaServerErrorKind.Unreachable or MediaServerErrorKind.Timeout or MediaServerErrorKind.Tls
                or MediaServerErrorKind.NotAMediaServer or MediaServerErrorKind.NotConfigured)
            {
                cache.MarkDown();
            }
            return ImageAnswer.Unavailable;
        }
    }
}
