using System.Net;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Outputs;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;

namespace Aperture.Tests.Outputs;

// Admin › Outputs edits where the picks libraries go and how the server's paths map to Aperture's, checks them live
// against one real title, and says when the environment sets a value instead.
public sealed class OutputSettingsPageTests : IDisposable
{
    // The server keeps its media under a path this machine does not have; here it is mounted elsewhere.
    private readonly string serverMedia = $"/srv-aperture-{Guid.NewGuid():N}";
    private readonly string mount = Directory.CreateTempSubdirectory("aperture-mount-").FullName;

    public void Dispose() => Directory.Delete(mount, recursive: true);

    private async Task<(FakeMediaServer Server, AppFactory App, HttpClient Admin)> StartAsync(Func<AppFactory, AppFactory>? configure = null)
    {
        var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "pw", admin: true);
            var movies = b.MovieLibrary("Movies", serverMedia + "/movies");
            b.Movie("Heat", 1995, library: movies);
        });
        var heat = server.State.Items.Single(i => i.Type == FakeItemType.Movie).Path!;
        var local = Path.Combine(mount, heat.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        await File.WriteAllTextAsync(local, "video");
        var app = new AppFactory();
        app = configure?.Invoke(app) ?? app;
        await app.ConnectAsync(server);
        var admin = await app.SignedInClientAsync("Admin", "pw");
        await app.RunJobAsync(JobNames.SyncMovies);
        return (server, app, admin);
    }

    private static KeyValuePair<string, string>[] Form(string strmRoot, string libraryRoot = "", string serverRoot = "") =>
    [
        new("Form.StrmRoot", strmRoot), new("Form.ServerRoot", serverRoot), new("Form.LibraryRoot", libraryRoot),
        new("Form.MovieMode", "Symlink"), new("Form.SeriesMode", "Symlink"),
    ];

    [Fact]
    public async Task Without_docker_the_output_root_defaults_to_the_data_folder_and_bad_roots_are_refused_naming_the_field()
    {
        var (server, app, admin) = await StartAsync();
        await using var _s = server;
        await using var _a = app;

        var page = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/outputs"));
        Assert.Contains(Path.Combine(app.DataDirectory, "strm"), page, StringComparison.Ordinal);
        Assert.Contains("data-example=\"missing\"", page, StringComparison.Ordinal);
        var token = await admin.AntiforgeryTokenAsync("/admin/outputs");

        var relative = await admin.PostFormAsync("/admin/outputs", token, Form("picks"));
        Assert.Equal(HttpStatusCode.BadRequest, relative.StatusCode);
        var body = WebUtility.HtmlDecode(await relative.Content.ReadAsStringAsync());
        Assert.Contains("Output root must be an absolute folder such as /srv/aperture-picks (got \"picks\").", body, StringComparison.Ordinal);
        Assert.Contains("value=\"picks\"", body, StringComparison.Ordinal);

        var slash = WebUtility.HtmlDecode(await (await admin.PostFormAsync("/admin/outputs", token, Form("/"))).Content.ReadAsStringAsync());
        Assert.Contains("Output root must not be the file-system root", slash, StringComparison.Ordinal);

        var mapping = WebUtility.HtmlDecode(await (await admin.PostFormAsync("/admin/outputs", token, Form(mount + "/out", "no-equals-sign"))).Content.ReadAsStringAsync());
        Assert.Contains("Media path mapping: ", mapping, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Settings.CountAsync(s => s.Key.StartsWith("outputs."))));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostFormAsync("/admin/outputs", null, Form(mount + "/out"))).StatusCode);
    }

    [Fact]
    public async Task The_mapping_is_detected_from_one_real_title_checked_before_saving_and_used_by_the_next_run()
    {
        var (server, app, admin) = await StartAsync();
        await using var _s = server;
        await using var _a = app;
        var token = await admin.AntiforgeryTokenAsync("/admin/outputs");
        var root = Path.Combine(mount, "out");

        // Saving without a mapping is refused: Heat's file is not where the server says, and the page says where it is.
        var refused = await admin.PostFormAsync("/admin/outputs", token, Form(root));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var expected = $"{serverMedia}={mount}{serverMedia}";
        var body = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains($"Media path mapping: Heat is at {serverMedia}/movies/Heat (1995)/Heat (1995).mkv on the server, and Aperture cannot see that path; it was found at {mount}{serverMedia}/", body, StringComparison.Ordinal);
        Assert.Contains($"data-suggestion=\"{expected}\"", body, StringComparison.Ordinal);

        // "Use this mapping and check" fills it in and checks it without saving.
        var check = WebUtility.HtmlDecode(await (await admin.PostFormAsync("/admin/outputs?handler=Paths", token,
            [.. Form(root), new("useSuggestion", expected)])).Content.ReadAsStringAsync());
        Assert.Contains("data-paths-check=\"passed\"", check, StringComparison.Ordinal);
        Assert.Contains($"value=\"{expected}\"", check, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Settings.CountAsync(s => s.Key.StartsWith("outputs."))));

        var saved = await admin.PostFormAsync("/admin/outputs", token, Form(root, expected, "/picks"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/outputs?saved=true"));
        Assert.Contains("data-example=\"found\"", page, StringComparison.Ordinal);

        await using var scope = app.Services.CreateAsyncScope();
        var options = await scope.ServiceProvider.GetRequiredService<OutputSettings>().GetAsync(CancellationToken.None);
        Assert.Equal((root, "/picks", expected), (options.StrmRoot, options.LibraryPathPrefix, options.LibraryRoot));
    }

    [Fact]
    public async Task A_value_the_environment_sets_is_shown_read_only_and_wins_over_the_stored_one()
    {
        var envRoot = Path.Combine(mount, "env-out");
        var (server, app, admin) = await StartAsync(a => a.With("MEDIA_SERVER_STRM_ROOT", envRoot).With("MEDIA_SERVER_LIBRARY_ROOT", $"{serverMedia}={mount}{serverMedia}"));
        await using var _s = server;
        await using var _a = app;

        var page = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/outputs"));
        Assert.Contains("Set by MEDIA_SERVER_STRM_ROOT in the environment, which wins over this page.", page, StringComparison.Ordinal);
        Assert.Contains("Set by MEDIA_SERVER_LIBRARY_ROOT in the environment", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Set by AI_LIBRARY_PATH_PREFIX", page, StringComparison.Ordinal);

        var token = await admin.AntiforgeryTokenAsync("/admin/outputs");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/outputs", token, Form(Path.Combine(mount, "typed"), "", "/picks"))).StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var options = await scope.ServiceProvider.GetRequiredService<OutputSettings>().GetAsync(CancellationToken.None);
        Assert.Equal((envRoot, "/picks"), (options.StrmRoot, options.LibraryPathPrefix));
    }
}
