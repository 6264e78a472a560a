using System.Security.Claims;
using Aperture.Data;
using Aperture.MediaServers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Auth;

public static class AuthExtensions
{
    public const string SetupScheme = "setup";

    public static WebApplicationBuilder AddAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.Cookie.Name = "aperture.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromDays(7);
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.AccessDeniedPath = "/forbidden";
                o.Events = new CookieAuthenticationEvents
                {
                    OnRedirectToLogin = c => ApiStatusOrRedirect(c, StatusCodes.Status401Unauthorized),
                    // A signed-in user who may not see a page gets a real 403 (rendered by the error page).
                    OnRedirectToAccessDenied = c =>
                    {
                        c.Response.StatusCode = StatusCodes.Status403Forbidden;
                        return Task.CompletedTask;
                    },
                    OnValidatePrincipal = RefreshFromDatabaseAsync,
                };
            })
            // A short-lived proof that the visitor typed the setup code from the log.
            .AddCookie(SetupScheme, o =>
            {
                o.Cookie.Name = "aperture.setup";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = TimeSpan.FromMinutes(30);
                o.SlidingExpiration = false;
                o.LoginPath = "/setup";
                o.AccessDeniedPath = "/setup";
            });

        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IConfiguration>((o, configuration) =>
            {
                if (configuration["SESSION_SECRET"] is { Length: > 0 } secret)
                {
                    o.TicketDataFormat = new SessionSecretTicketFormat(secret);
                }
            });

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(ClaimsPrincipalExtensions.AdminPolicy, p => p.RequireRole(ClaimsPrincipalExtensions.AdminRole))
            .AddPolicy(SetupScheme, p => p.AddAuthenticationSchemes(SetupScheme).RequireAuthenticatedUser());

        builder.Services.AddSingleton<SetupState>();
        builder.Services.AddScoped<LoginService>();
        builder.Services.AddScoped<SessionStore>();
        builder.Services.AddSingleton<SessionCache>();
        builder.Services.AddSingleton<LoginThrottle>();
        return builder;
    }

    private static Task ApiStatusOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Headers.ContainsKey("HX-Request"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    // A session signed out (here, everywhere, or by an admin) or a user disabled or removed on the server loses the cookie;
    // a changed admin flag takes effect. Cookies from before server-side sessions carry no session id and sign in again.
    private static async Task RefreshFromDatabaseAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var sessionId = context.Principal is { } principal ? SessionStore.SessionId(principal) : null;
        if (id is null || sessionId is null)
        {
            context.RejectPrincipal();
            return;
        }
        var ct = context.HttpContext.RequestAborted;
        var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionStore>();
        var user = await sessions.CheckAsync(sessionId, id, ct);
        if (user is null || !user.Allowed)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }
        if (user.IsAdmin != context.Principal!.IsAdmin() || user.Name != context.Principal!.Identity?.Name)
        {
            context.ReplacePrincipal(LoginService.CreatePrincipal(user.UserId, user.Name, user.IsAdmin, sessionId));
            context.ShouldRenew = true;
        }
    }

    // Until a media server is configured, every page leads to /setup.
    public static IApplicationBuilder UseSetupGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var setup = context.RequestServices.GetRequiredService<SetupState>();
        var path = context.Request.Path;
        if (setup.KnownConfigured || path.StartsWithSegments("/setup") || path.StartsWithSegments("/health")
            || path.StartsWithSegments("/error") || path.StartsWithSegments("/_htmx"))
        {
            await next();
            return;
        }
        var settings = context.RequestServices.GetRequiredService<MediaServerSettings>();
        if ((await settings.GetAsync(context.RequestAborted)).IsConfigured)
        {
            setup.MarkConfigured();
            await next();
            return;
        }
        if (path.StartsWithSegments("/api"))
        {
            await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Aperture is not set up yet",
                detail: "Open /setup in a browser to connect Aperture to your Jellyfin or Emby server.").ExecuteAsync(context);
            return;
        }
        context.Response.Redirect("/setup");
    });
}
