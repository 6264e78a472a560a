namespace Aperture.Web;

// No page may be framed (clickjacking a "Run now" or a policy change), and pages run only Aperture's own scripts: htmx and
// its SSE extension from wwwroot, plus the one inline handler (removing an example chip on the channel form) allowed by its
// hash. Styles may be inline (htmx adds its indicator style; charts use style attributes). Images come through /images.
public static class SecurityHeaders
{
    // sha256 of "this.closest('li').remove()" (Pages/Channels/_ExampleChip.cshtml). Change both together.
    private const string ExampleChipHandler = "'sha256-nfJNrml0aeycHuI3O1jJCA0RQE/SPZ3NFeP5mrIvYA0='";

    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-hashes' " + ExampleChipHandler + "; style-src 'self' 'unsafe-inline'; " +
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
