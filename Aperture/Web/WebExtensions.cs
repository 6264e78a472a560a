using System.Text.Json;
using Aperture.Auth;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Aperture.Web;

public static class WebExtensions
{
    // PORT as in the original (default 3456), unless ASP.NET's own URL settings say otherwise.
    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            var port = builder.Configuration["PORT"] is { Length: > 0 } text ? text : "3456";
            if (!int.TryParse(port, out var number) || number is < 0 or > 65535)
            {
                throw new StartupException($"PORT must be a number from 1 to 65535, not '{port}'.");
            }
            builder.WebHost.UseUrls($"http://0.0.0.0:{number}");
        }
        builder.Services.AddSingleton(TimeProvider.System);
        // A build (not a publish) keeps wwwroot in the project: its manifest says where, in every environment.
        builder.WebHost.UseStaticWebAssets();
        return builder;
    }

    public static WebApplicationBuilder AddWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/Admin", ClaimsPrincipalExtensions.AdminPolicy);
            o.Conventions.AllowAnonymousToPage("/Login");
            o.Conventions.AllowAnonymousToPage("/Error");
            o.Conventions.AllowAnonymousToFolder("/Setup");
        });
        // The kept My Picks grids (<cache> on /picks, about 300 KB each): bounded well below the tag helper's 100 MB default,
        // the oldest going first; a grid not shown for 2 minutes goes anyway.
        builder.Services.Configure<Microsoft.AspNetCore.Mvc.TagHelpers.CacheTagHelperOptions>(o => o.SizeLimit = 16 * 1024 * 1024);
        builder.Services.AddProblemDetails();
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "aperture.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        return builder;
    }

    public static WebApplication UseWeb(this WebApplication app)
    {
        // The API answers errors as problem+json; pages get the friendly error page.
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api"), pages =>
        {
            pages.UseExceptionHandler("/error");
            pages.UseStatusCodePagesWithReExecute("/error/{0}");
        });
        app.UseSecurityHeaders();
        app.UseBodyLimits();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseSetupGate();
        app.UseAuthorization();
        app.MapRazorPages();
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealthAsync }).AllowAnonymous();
        return app;
    }

    private static Task WriteHealthAsync(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString().ToLowerInvariant()),
        }, cancellationToken: context.RequestAborted);
    }
}
