using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace Aperture.Tests.Infrastructure;

public static partial class HttpExtensions
{
    public static async Task<HttpResponseMessage> LoginAsync(this HttpClient client, string username, string password)
    {
        var response = await client.PostAsJsonAsync("/api/auth/login", new { username, password });
        return response;
    }

    public static async Task LoginOkAsync(this HttpClient client, string username, string password)
    {
        var response = await client.LoginAsync(username, password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // The antiforgery token as a browser gets it: from a rendered page's form.
    public static async Task<string> AntiforgeryTokenAsync(this HttpClient client, string pagePath)
    {
        var html = await client.GetStringAsync(pagePath);
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, $"no antiforgery token on {pagePath}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string path, string? token,
        IEnumerable<KeyValuePair<string, string>> fields, bool htmx = false)
    {
        var all = fields.ToList();
        if (token is not null)
        {
            all.Add(new("__RequestVerificationToken", token));
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(all) };
        if (htmx)
        {
            request.Headers.Add("HX-Request", "true");
        }
        return await client.SendAsync(request);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
