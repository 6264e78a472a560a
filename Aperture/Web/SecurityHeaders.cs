namespace Aperture.Web;

// No page may be framed (clickjacking a "Run now" or a policy change), and pages run scripts only from Aperture itself
// (htmx, its SSE extension and site.js from wwwroot): no inline <script>, no on* handlers, no javascript: URLs, no eval
// (htmx's allowEval is off in the layout). Pages declare behaviour with data attributes that site.js handles. Styles come only
// from site.css too: no <style> blocks or style attributes (a chart bar's width is set by site.js through the CSSOM, which the
// policy allows; htmx's own indicator style is switched off in the layout and lives in site.css). Images come through /images.
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; " +
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
