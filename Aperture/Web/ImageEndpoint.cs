using System.Text.Json;
using System.Text.Json.Serialization;
using Aperture.Browse;
using Aperture.Catalog;
using Aperture.MediaServers;
using Microsoft.Net.Http.Headers;

namespace Aperture.Web;

// The HTTP edge of posters and backdrops: Browse finds and caches the image, this serves it with its caching headers.
public static class ImageEndpoint
{
    // Posters and backdrops through Aperture: the browser never talks to the media server, so the API key
    // stays on the server and signed-out visitors get nothing (the fallback policy covers this route).
    public static WebApplication MapImages(this WebApplication app)
    {
        app.MapGet(Route + "/{titleId:long}/{type}", ServeAsync);
        return app;
    }

    private const string Route = "/images";

    // The one place a link to an image is made, for pages and (through TitleImageJson) the API alike. The tag in the URL
    // lets the browser keep an image for good: a new image on the server means a new tag, so a new address.
    public static string? Url(TitleImage? image) => image is null
        ? null
        : $"{Route}/{image.TitleId}/{image.Type.ToString().ToLowerInvariant()}" + (image.Tag is null ? "" : $"?v={Uri.EscapeDataString(image.Tag)}");

    private static async Task<IResult> ServeAsync(long titleId, string type, string? v, HttpContext http, PosterIndex index, ImageProxy proxy, CancellationToken ct)
    {
        if (!Enum.TryParse<ServerImageType>(type, ignoreCase: true, out var imageType) || !Enum.IsDefined(imageType) || int.TryParse(type, out _))
        {
            return Results.NotFound();
        }
        var headers = http.Response.GetTypedHeaders();
        var ifNoneMatch = http.Request.GetTypedHeaders().IfNoneMatch;

        // A browser revalidating the address that names the tag it holds: its copy is that tag's image, whatever the
        // catalogue says now, so this answers without the database or the disk. (The fallback policy has already
        // required a signed-in user.)
        if (!string.IsNullOrEmpty(v) && new EntityTagHeaderValue($"\"{ETagValue(v)}\"") is var named
            && ifNoneMatch.Any(m => m.Compare(named, useStrongComparison: false)))
        {
            headers.ETag = named;
            headers.CacheControl = Immutable;
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        if (await index.FindAsync(titleId, v, ct) is not { } title || (imageType == ServerImageType.Primary ? title.PrimaryTag : title.BackdropTag) is not { Length: > 0 } tag)
        {
            return Results.NotFound();
        }

        var etag = new EntityTagHeaderValue($"\"{ETagValue(tag)}\"");
        // A URL that names the current tag never changes content; one without (or with an old tag) is revalidated.
        headers.CacheControl = v == tag ? Immutable : new CacheControlHeaderValue { Private = true, NoCache = true };
        headers.ETag = etag;
        if (Matches(ifNoneMatch, etag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var answer = index.CachedFile(titleId, imageType, tag) ?? await proxy.GetAsync(title.ServerItemId, imageType, tag, ct);
        http.Response.Headers.XContentTypeOptions = "nosniff";
        switch (answer.Outcome)
        {
            case ImageOutcome.Found:
                index.RememberFile(titleId, imageType, tag, answer);
                // Sent by the server's file sender (sendfile), with Last-Modified from the cached file.
                return Results.File(answer.FilePath!, answer.ContentType!, lastModified: File.GetLastWriteTimeUtc(answer.FilePath!));
            case ImageOutcome.Missing:
                headers.ETag = null;
                headers.CacheControl = new CacheControlHeaderValue { NoStore = true };
                return Results.NotFound();
            default:
                // A neutral stand-in, never cached, so the real image shows once the server answers again.
                headers.ETag = null;
                headers.CacheControl = new CacheControlHeaderValue { NoStore = true };
                return Results.Text(Placeholder, "image/svg+xml");
        }
    }

    private static readonly CacheControlHeaderValue Immutable =
        new() { Private = true, MaxAge = TimeSpan.FromDays(365), Extensions = { new NameValueHeaderValue("immutable") } };

    private static bool Matches(IList<EntityTagHeaderValue> ifNoneMatch, EntityTagHeaderValue etag) =>
        ifNoneMatch is { Count: > 0 } && ifNoneMatch.Any(m => m.Equals(EntityTagHeaderValue.Any) || m.Compare(etag, useStrongComparison: false));

    // Jellyfin and Emby tags are hex; anything else is hashed so the header stays well formed.
    private static string ETagValue(string tag) => tag.All(char.IsAsciiLetterOrDigit)
        ? tag
        : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(tag)))[..32];

    internal const string Placeholder =
        """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 300" preserveAspectRatio="xMidYMid slice"><rect width="200" height="300" fill="#20252e"/><g fill="none" stroke="#3a4150" stroke-width="6"><rect x="62" y="112" width="76" height="60" rx="6"/><circle cx="100" cy="142" r="16"/></g></svg>""";
}

// A feature's TitleImage in a JSON answer: the link ImageEndpoint.Url makes (null stays null), as the API has always sent it.
public sealed class TitleImageJson : JsonConverter<TitleImage>
{
    public override TitleImage Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Image links are only written, never read from a request.");

    public override void Write(Utf8JsonWriter writer, TitleImage value, JsonSerializerOptions options) =>
        writer.WriteStringValue(ImageEndpoint.Url(value));
}
