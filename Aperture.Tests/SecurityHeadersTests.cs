using System.Net;
using Aperture.Tests.Infrastructure;

namespace Aperture.Tests;

public sealed class SecurityHeadersTests
{
    [Theory]
    [InlineData("/admin")]
    [InlineData("/api/auth/me")]
    [InlineData("/css/site.css")]
    public async Task Every_answer_forbids_framing_and_carries_a_content_security_policy(string path)
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _s = server;
        await using var _a = app;

        var response = await admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-eval'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task The_pages_load_no_inline_script_the_policy_would_block()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _s = server;
        await using var _a = app;

        foreach (var page in new[] { "/picks/movies", "/admin", "/admin/users", "/admin/jobs", "/channels", "/admin/settings/recommendations", "/admin/top-picks" })
        {
            var response = await admin.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page}: {response.StatusCode}");
            var html = await response.Content.ReadAsStringAsync();
            // Scripts only by src; inline <script> blocks would be refused by script-src 'self'.
            Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)[^>]*>", html);
        }
    }
}
