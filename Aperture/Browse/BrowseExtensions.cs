using Aperture.Data;
using Aperture.History;
using Aperture.MediaServers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Aperture.Browse;

public static class BrowseExtensions
{
    // Everything that reads the synced catalogue: browsing, posters, a user's history and stats, database upkeep.
    public static WebApplicationBuilder AddBrowse(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<CatalogBrowser>();
        builder.Services.AddSingleton<ImageCache>();
        builder.Services.AddScoped<ImageProxy>();
        builder.Services.AddScoped<UserActivity>();
        builder.Services.AddScoped<DatabaseMaintenance>();
        return builder;
    }

    // Posters and backdrops through Aperture: the browser never talks to the media server, so the API key
    // stays on the server and signed-out visitors get nothing (the fallback policy covers this route).
    public static WebApplication MapImages(this WebApplication app)
    {
        app.MapGet("/images/{titleId:long}/{type}", ServeAsync);
        return app;
    }

    private static async Task<IResult> ServeAsync(long titleId, string type, string? v, HttpContext http, AppDbContext db, ImageProxy proxy, CancellationToken ct)
    {
        if (!Enum.TryParse<ServerImageType>(type, ignoreCase: true, out var imageType) || !Enum.IsDefined(imageType) || int.TryParse(type, out _))
        {
            return Results.NotFound();
        }
        var title = await db.Titles.AsNoTracking().Where(t => t.Id == titleId)
            .Select(t => new { t.ServerItemId, t.PrimaryImageTag, t.BackdropImageTag })
            .FirstOrDefaultAsync(ct);
        var tag = imageType == ServerImageType.Primary ? title?.PrimaryImageTag : title?.BackdropImageTag;
        if (title is null || string.IsNullOrEmpty(tag))
        {
            return Results.NotFound();
        }

        var headers = http.Response.GetTypedHeaders();
        var etag = new EntityTagHeaderValue($"\"{ETagValue(tag)}\"");
        // A URL that names the current tag never changes content; one without (or with an old tag) is revalidated.
        headers.CacheControl = v == tag
            ? new CacheControlHeaderValue { Private = true, MaxAge = TimeSpan.FromDays(365), Extensions = { new NameValueHeaderValue("immutable") } }
            : new CacheControlHeaderValue { Private = true, NoCache = true };
        headers.ETag = etag;
        if (http.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } ifNoneMatch
            && ifNoneMatch.Any(m => m.Equals(EntityTagHeaderValue.Any) || m.Compare(etag, useStrongComparison: false)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var answer = await proxy.GetAsync(title.ServerItemId, imageType, tag, ct);
        http.Response.Headers.XContentTypeOptions = "nosniff";
        switch (answer.Outcome)
        {
            case ImageOutcome.Found:
                return Results.File(answer.FilePath!, answer.ContentType!);
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

    // Jellyfin and Emby tags are hex; anything else is hashed so the header stays well formed.
    private static string ETagValue(string tag) => tag.All(char.IsAsciiLetterOrDigit)
        ? tag
        : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(tag)))[..32];

    internal const string Placeholder =
        """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 300" preserveAspectRatio="xMidYMid slice"><rect width="200" height="300" fill="#20252e"/><g fill="none" stroke="#3a4150" stroke-width="6"><rect x="62" y="112" width="76" height="60" rx="6"/><circle cx="100" cy="142" r="16"/></g></svg>""";
}
