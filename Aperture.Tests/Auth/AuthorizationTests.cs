using System.Net;
using System.Text.RegularExpressions;
using Aperture.Auth;
using Aperture.Fakes;
using Aperture.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace Aperture.Tests;

// Walks every endpoint the app maps, so a page or route added later is covered without editing this test.
public sealed partial class AuthorizationTests
{
    private static readonly HashSet<string> PublicRoutes = ["/login", "/logout", "/setup", "/error/{code:int?}", "/health", "/api/auth/login"];

    private sealed record Route(string Method, string Template, string Path, bool AdminOnly);

    private static List<Route> AllRoutes(AppFactory app)
    {
        var routes = new List<Route>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var template = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods
                ?? (IReadOnlyList<string>)["GET", "POST"];
            var adminOnly = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == ClaimsPrincipalExtensions.AdminPolicy);
            foreach (var method in methods.Distinct())
            {
                routes.Add(new Route(method, template, Parameter().Replace(template, "0123456789abcdef0123456789abcdef").Replace("?", "", StringComparison.Ordinal), adminOnly));
            }
        }
        return routes.DistinctBy(r => (r.Method, r.Template)).ToList();
    }

    [Fact]
    public async Task Every_page_and_api_route_refuses_anonymous_visitors()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b => b.User("alice", "pw"));
        await using var app = new AppFactory();
        await app.ConnectAsync(server);
        var client = app.CreateBrowserlessClient();

        var routes = AllRoutes(app).Where(r => !PublicRoutes.Contains(r.Template)).ToList();
        Assert.Contains(routes, r => r.Template == "/picks/{kind?}");
        Assert.Contains(routes, r => r.Template == "/api/recommendations/{userId}");
        Assert.Contains(routes, r => r.Template == "/api/settings/media-server/config");

        foreach (var route in routes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Path);
            if (route.Method != "GET")
            {
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            }
            var response = await client.SendAsync(request);
            if (route.Template.StartsWith("/api", StringComparison.Ordinal))
            {
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{route.Method} {route.Path} gave {response.StatusCode}");
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{route.Method} {route.Path} gave {response.StatusCode}");
                Assert.StartsWith("/login", response.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Every_admin_page_and_api_route_is_forbidden_to_a_normal_user_and_open_to_an_admin()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("alice", "pw");
            b.User("Admin", "pw", admin: true);
        });
        await using var app = new AppFactory();
        await app.ConnectAsync(server);
        var alice = await app.SignedInClientAsync("alice", "pw");
        var admin = await app.SignedInClientAsync("Admin", "pw");

        var adminRoutes = AllRoutes(app).Where(r => r.AdminOnly).ToList();
        Assert.Contains(adminRoutes, r => r.Template == "/admin");
        Assert.Contains(adminRoutes, r => r.Template == "/admin/settings/media-server");
        Assert.Contains(adminRoutes, r => r.Template == "/api/settings/media-server/config");
        // Everything under /admin is admin-only, whatever folder convention put it there.
        Assert.All(AllRoutes(app).Where(r => r.Template.StartsWith("/admin", StringComparison.Ordinal)), r => Assert.True(r.AdminOnly, r.Template));

        foreach (var route in adminRoutes)
        {
            var response = await alice.SendAsync(new HttpRequestMessage(new HttpMethod(route.Method), route.Path)
            {
                Content = route.Method == "GET" ? null : new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
            });
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{route.Method} {route.Path} gave {response.StatusCode} to a normal user");
        }

        foreach (var route in adminRoutes.Where(r => r.Method == "GET"))
        {
            var response = await admin.GetAsync(route.Path);
            // A made-up id in the path names nothing: "not found" is the right answer to an admin.
            var ok = response.StatusCode == HttpStatusCode.OK
                || (route.Template.Contains('{', StringComparison.Ordinal) && response.StatusCode == HttpStatusCode.NotFound);
            Assert.True(ok, $"GET {route.Path} gave {response.StatusCode} to an admin");
        }
    }

    [Fact]
    public async Task A_normal_user_sees_no_admin_menu_and_gets_a_403_page_for_admin_pages()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Emby, b =>
        {
            b.User("alice", "pw");
            b.User("Admin", "pw", admin: true);
        });
        await using var app = new AppFactory();
        await app.ConnectAsync(server);
        var alice = await app.SignedInClientAsync("alice", "pw");
        var admin = await app.SignedInClientAsync("Admin", "pw");

        Assert.DoesNotContain("href=\"/admin\"", await alice.GetStringAsync("/picks"), StringComparison.Ordinal);
        Assert.Contains("href=\"/admin\"", await admin.GetStringAsync("/picks"), StringComparison.Ordinal);

        var page = await alice.GetAsync("/admin/settings/media-server");
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("Not allowed", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cookie_authenticated_api_changes_must_be_json_or_carry_the_antiforgery_token()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b => b.User("Admin", "pw", admin: true));
        await using var app = new AppFactory();
        await app.ConnectAsync(server);
        var admin = await app.SignedInClientAsync("Admin", "pw");

        // What a cross-site HTML form could send.
        var form = await admin.PostAsync("/api/auth/logout", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/auth/me")).StatusCode);

        var json = await admin.PostAsync("/api/auth/logout", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, json.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/api/auth/me")).StatusCode);
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
