using System.Net;
using Aperture.Tests.Infrastructure;

namespace Aperture.Tests;

public sealed class FaviconTests
{
    [Fact]
    public async Task The_favicon_is_served_without_signing_in()
    {
        await using var app = new AppFactory();
        var response = await app.CreateBrowserlessClient().GetAsync("/favicon.ico");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([0, 0, 1, 0], (await response.Content.ReadAsByteArrayAsync())[..4]);
    }
}
