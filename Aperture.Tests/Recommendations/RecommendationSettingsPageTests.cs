using System.Net;
using Aperture.Tests.Infrastructure;

namespace Aperture.Tests;

// Admin › Settings › Recommendations as an admin fills it in: errors in the form's own words, typed values kept, the
// browser's ranges equal to the server's, and a way back to the defaults.
public sealed class RecommendationSettingsPageTests
{
    [Fact]
    public async Task Errors_use_the_visible_labels_keep_what_was_typed_and_restore_defaults_resets_the_kind()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _a = app;
        await using var _s = server;
        var token = await admin.AntiforgeryTokenAsync("/admin/settings/recommendations");

        var bad = await admin.PostFormAsync("/admin/settings/recommendations", token,
            [new("kind", "movies"), new("input.Novelty", "20"), new("input.PicksPerUser", "300")]);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var page = WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync());
        Assert.Contains("Discovery weight must be between 0 and 10.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("novelty must", page, StringComparison.Ordinal);
        Assert.Contains("name=\"input.Novelty\" value=\"20\"", page, StringComparison.Ordinal);
        Assert.Contains("name=\"input.PicksPerUser\" value=\"300\"", page, StringComparison.Ordinal);
        Assert.Contains("300 picks per user make runs much slower", page, StringComparison.Ordinal);
        Assert.Matches("name=\"input.Diversity\" value=\"[0-9.]+\" step=\"0.01\"\\s+min=\"0\" max=\"1\"", page);
        Assert.Matches("name=\"input.MinCollaborativeUsers\" value=\"[0-9]+\" step=\"1\"\\s+min=\"2\" max=\"10000\"", page);

        var saved = await admin.PostFormAsync("/admin/settings/recommendations", token, [new("kind", "movies"), new("input.PicksPerUser", "200")]);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("name=\"input.PicksPerUser\" value=\"200\"", await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var reset = await admin.PostFormAsync("/admin/settings/recommendations?handler=Defaults", token, [new("kind", "movies")]);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var after = await reset.Content.ReadAsStringAsync();
        Assert.Contains("name=\"input.PicksPerUser\" value=\"50\"", after, StringComparison.Ordinal);
        Assert.DoesNotContain("make runs much slower", after, StringComparison.Ordinal);
    }
}
