using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Aperture.Tests.Infrastructure;

namespace Aperture.Tests;

// Every test only reads pages, each with its own admin session: one host for the class.
public sealed class SecurityHeadersTests(AdminHost host) : IClassFixture<AdminHost>
{
    [Theory]
    [InlineData("/admin")]
    [InlineData("/api/auth/me")]
    [InlineData("/css/site.css")]
    public async Task Every_answer_forbids_framing_and_carries_a_content_security_policy(string path)
    {
        var admin = await host.AdminClientAsync();

        var response = await admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-eval'", csp, StringComparison.Ordinal);
        var scriptSrc = csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));
        Assert.Equal("script-src 'self'", scriptSrc);
        var styleSrc = csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("style-src ", StringComparison.Ordinal));
        Assert.Equal("style-src 'self'", styleSrc);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task The_pages_load_no_inline_script_the_policy_would_block()
    {
        var admin = await host.AdminClientAsync();

        foreach (var page in new[] { "/picks/movies", "/admin", "/admin/users", "/admin/jobs", "/channels", "/admin/settings/recommendations", "/admin/top-picks" })
        {
            var response = await admin.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page}: {response.StatusCode}");
            var html = await response.Content.ReadAsStringAsync();
            // Scripts only by src; inline <script> blocks would be refused by script-src 'self'.
            Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)[^>]*>", html);
        }
    }

    // What script-src 'self' (without 'unsafe-inline') refuses to run, what htmx with allowEval off refuses to evaluate, and what
    // style-src 'self' refuses to apply (<style> blocks, style attributes).
    private static readonly Regex InlineScript = new(
        "<script(?![^>]*\\bsrc=)[^>]*>|\\son(click|dblclick|change|input|submit|reset|load|error|key[a-z]+|focus[a-z]*|blur|mouse[a-z]+|pointer[a-z]+|touch[a-z]+|drag[a-z]*|drop|paste|copy|cut|toggle|invalid|scroll|wheel|select|animation[a-z]+|transition[a-z]+|beforeunload|unload|hashchange|popstate|message)\\s*=|javascript:|\\shx-on[:-]|\\bhx-vals\\s*=\\s*[\"']\\s*js:|\\bhx-vars\\s*=|<style[\\s>]|\\sstyle\\s*=",
        RegexOptions.IgnoreCase);

    [Fact]
    public async Task No_page_an_admin_can_open_holds_an_inline_script_handler_or_style()
    {
        var app = host.App;
        var admin = await host.AdminClientAsync();
        // Every Razor page whose route needs no value, as the routing table has them (a new page is scanned without a list to edit).
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null && e.RoutePattern.Parameters.All(p => p.IsOptional))
            // Optional values left out: /browse/{kind?} is opened as /browse.
            .Select(e => "/" + string.Join('/', e.RoutePattern.PathSegments
                .TakeWhile(seg => seg.Parts.All(p => p.IsLiteral))
                .Select(seg => string.Concat(seg.Parts.OfType<Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart>().Select(p => p.Content)))))
            .Distinct()
            .ToList();
        Assert.Contains("/channels", routes);
        Assert.True(routes.Count > 15, string.Join(", ", routes));

        var scanned = 0;
        foreach (var route in routes)
        {
            var response = await admin.GetAsync(route);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                // Pages that only redirect (sign-out, setup once done) have no HTML to scan.
                Assert.True((int)response.StatusCode is >= 300 and < 400, $"{route}: {response.StatusCode}");
                continue;
            }
            var html = await response.Content.ReadAsStringAsync();
            var match = InlineScript.Match(html);
            Assert.False(match.Success, $"{route} holds inline script or style: …{(match.Success ? html.Substring(Math.Max(0, match.Index - 60), Math.Min(160, html.Length - Math.Max(0, match.Index - 60))) : "")}…");
            scanned++;
        }
        Assert.True(scanned > 15, $"only {scanned} pages rendered");
    }

    [Fact]
    public void No_page_source_or_partial_holds_an_inline_script_handler_or_style()
    {
        // Partials and pages that need data to render (a channel with its example chips) are read as source.
        var pages = Path.Combine(RepositoryRoot(), "Aperture", "Pages");
        var offenders = Directory.EnumerateFiles(pages, "*.cshtml", SearchOption.AllDirectories)
            .SelectMany(file => File.ReadLines(file).Select((line, n) => (file, n, line)))
            .Where(l => InlineScript.IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(pages, l.file)}:{l.n + 1}: {l.line.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
        Assert.True(Directory.EnumerateFiles(pages, "*.cshtml", SearchOption.AllDirectories).Count() > 30);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aperture.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No Aperture.sln above {AppContext.BaseDirectory}.");
    }
}
