using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;

namespace Aperture.Web;

// Every request body has a limit that fits its route, checked before anything reads it: a declared Content-Length over the
// limit is a 413 at once, and a body without one (chunked) stops with a 413 at the limit. The one upload is a backup to restore.
public static class BodyLimits
{
    // Sign-in and setup forms: a user name, a password, a setup code.
    public const long Login = 16 * 1024;
    // JSON API bodies: settings, channel definitions, patches.
    public const long Api = 1024 * 1024;
    // Page forms (Razor Pages posts, htmx).
    public const long Form = 64 * 1024;

    // Admin › Database › Restore: a backup zip (the SQLite database with its vectors, and the key ring).
    public const long RestoreUpload = 4L * 1024 * 1024 * 1024;

    // The restore upload is a handler of the Database page: that path with ?handler=Restore. The large limit is an admin's only
    // (UseBodyLimits signs the request in early for it); anyone else gets the form limit, whatever the page later answers.
    public static long For(HttpRequest request) =>
        request.Path.StartsWithSegments("/admin/database") && HttpMethods.IsPost(request.Method)
            && string.Equals(request.Query["handler"], "Restore", StringComparison.OrdinalIgnoreCase)
            ? RestoreUpload
            : For(request.Path);

    public static long For(PathString path) =>
        path.StartsWithSegments("/api/auth/login") || path.StartsWithSegments("/login") || path.StartsWithSegments("/setup") ? Login
        : path.StartsWithSegments("/api") ? Api
        : Form;

    public static IApplicationBuilder UseBodyLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limit = For(context.Request);
        if (limit == RestoreUpload
            && !((await context.AuthenticateAsync()).Principal is { } user && Aperture.Auth.ClaimsPrincipalExtensions.IsAdmin(user)))
        {
            limit = Form;
        }
        if (context.Request.ContentLength > limit)
        {
            await TooLargeAsync(context, limit);
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        else if (context.Request.ContentLength is null && !HttpMethods.IsGet(context.Request.Method))
        {
            // Servers without the feature (the test host) get the same rule from a counting stream.
            context.Request.Body = new LimitedStream(context.Request.Body, limit);
        }
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await TooLargeAsync(context, limit);
        }
    });

    private static Task TooLargeAsync(HttpContext context, long limit)
    {
        // The client may still be sending: do not keep the connection to drain a body nobody reads.
        context.Response.Headers.Connection = "close";
        return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
            title: $"The request body is too large: at most {limit / 1024} KB here.").ExecuteAsync(context);
    }

    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int n)
        {
            read += n;
            return read > limit ? throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge) : n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
