using System.Net;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Aperture.Tests.Infrastructure;

// A GET that must answer 200, parsed: the page as a document, the API answer as JSON. A failure names the URL and the status
// (and an API's body, which says why).
public static class Get
{
    public static async Task<IDocument> HtmlAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} gave {response.StatusCode}");
        return new HtmlParser().ParseDocument(body);
    }

    public static async Task<JsonElement> JsonAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} gave {response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }
}
