namespace Aperture.Web;

// No page may be framed (clickjacking a "Run now" or a policy change), and pages load scripts only from Aperture itself (htmx
// and its SSE extension from wwwroot). Inline handlers are still allowed because the channel pages use two (a delete
// confirmation that names the channel, removing an example chip); once they move to data attributes handled by a script in
// wwwroot, 'unsafe-inline' can leave script-src. Styles may be inline (htmx adds its indicator style; charts use style
// attributes). Images come through /images.
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        return next(context);
    });
}
