using System.Net;
using System.Net.Http.Json;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Outputs;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Aperture.Data;
using Aperture.Progress;

namespace Aperture.Tests.Outputs;

// sync-strm as an admin runs it: each enabled user's picks become their own library on disk and in the
// media server, visible to them alone, and a user switched off loses theirs.
public sealed class OutputSyncTests : IDisposable
{
    private static readonly string[] Horror = ["Horror"];
    private static readonly string[] Romance = ["Romance"];

    private readonly string media = Directory.CreateTempSubdirectory("aperture-media-").FullName;
    private readonly string root = Directory.CreateTempSubdirectory("aperture-out-").FullName;

    public void Dispose()
    {
        Directory.Delete(media, recursive: true);
        Directory.Delete(root, recursive: true);
    }

    private async Task<(FakeMediaServer Server, AppFactory App, HttpClient Admin, FakeUser Alice, FakeUser Bob)> StartAsync(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        FakeUser alice = null!, bob = null!;
        var server = await FakeMediaServer.StartAsync(version, b =>
        {
            b.User("Admin", "pw", admin: true);
            alice = b.User("alice", "pw");
            bob = b.User("bob", "pw");
            // bob's policy lists one library; alice's says "all libraries" (the server's default).
            var movies = b.MovieLibrary("Movies", media + "/movies");
            b.MovieLibrary("Kids", media + "/kids");
            bob.EnableAllFolders = false;
            bob.Policy["EnabledFolders"] = new System.Text.Json.Nodes.JsonArray(dialect == FakeDialect.Emby ? movies.Guid : movies.ItemId);
            for (var i = 0; i < 5; i++)
            {
                var h = b.Movie($"Haunted {i}", 1990 + i, genres: Horror, overview: $"A haunted house and a ghost {i}.", tags: ["haunted"], tmdb: $"h{i}", library: movies);
                var r = b.Movie($"Wedding {i}", 2000 + i, genres: Romance, overview: $"A wedding in London {i}.", tags: ["wedding"], tmdb: $"r{i}", library: movies);
                if (i == 0)
                {
                    b.Played(alice, h, favorite: true);
                    b.Played(bob, r);
                }
            }
        });
        // The media files exist where the server says they are (the same paths for Aperture here).
        foreach (var item in server.State.Items.Where(i => i.Type == FakeItemType.Movie))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(item.Path!)!);
            await File.WriteAllTextAsync(item.Path!, "video");
        }
        var app = new AppFactory().With("MEDIA_SERVER_STRM_ROOT", root);
        await app.ConnectAsync(server);
        var admin = await app.SignedInClientAsync("Admin", "pw");
        foreach (var job in new[] { JobNames.SyncMovies, JobNames.SyncWatchHistory, JobNames.GenerateEmbeddings })
        {
            await app.RunJobAsync(job);
        }
        foreach (var user in new[] { alice, bob })
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/users/{user.Id}", new { moviePicksEnabled = true })).StatusCode);
        }
        await app.RunJobAsync(JobNames.GenerateRecommendations);
        return (server, app, admin, alice, bob);
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task Each_user_gets_their_own_picks_library_on_disk_and_in_the_server_visible_to_them_alone(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        var (server, app, admin, alice, bob) = await StartAsync(version);
        await using var _ = server;
        await using var __ = app;

        var progress = await app.RunJobAsync(JobNames.SyncStrm);

        // On disk: one folder per pick, in rank order, linking the real file, with an NFO carrying the why.
        var aliceFolder = Path.Combine(root, $"AI Picks - alice [{alice.Id[..8]}]", "movies");
        var picks = await app.WithDbAsync(db => db.Picks.Where(p => p.UserId == alice.Id).OrderBy(p => p.Rank).Include(p => p.Title).ToListAsync());
        var titleFolders = Directory.GetDirectories(aliceFolder);
        Assert.Equal(picks.Count, titleFolders.Length);
        var first = Assert.Single(titleFolders, f => Path.GetFileName(f).StartsWith(picks[0].Title.Name, StringComparison.Ordinal));
        var link = Assert.Single(Directory.GetFiles(first, "*.mkv"));
        Assert.Equal(picks[0].Title.Path, new FileInfo(link).LinkTarget);
        var nfo = await File.ReadAllTextAsync(Path.Combine(first, "movie.nfo"));
        Assert.Contains($"<title>{picks[0].Title.Name}</title>", nfo, StringComparison.Ordinal);
        Assert.Contains("<sorttitle>0001", nfo, StringComparison.Ordinal);
        Assert.Contains("Haunted 0", nfo, StringComparison.Ordinal);

        // In the server: a library per user, refreshed, and each user sees their own and no one else's,
        // while keeping the real libraries they had ("all libraries" alice keeps Kids; bob keeps only Movies).
        var names = server.State.Libraries.Select(l => l.Name).ToList();
        Assert.Contains("AI Picks - alice", names);
        Assert.Contains("AI Picks - bob", names);
        Assert.Contains(server.Calls, c => c.Path.Contains("/Refresh", StringComparison.Ordinal));
        var aliceSees = server.State.LibrariesVisibleTo(alice).Select(l => l.Name).ToList();
        var bobSees = server.State.LibrariesVisibleTo(bob).Select(l => l.Name).ToList();
        Assert.Equal(["AI Picks - alice", "Kids", "Movies"], aliceSees.Order().ToList());
        Assert.Equal(["AI Picks - bob", "Movies"], bobSees.Order().ToList());
        Assert.Contains(progress.Logs, l => l.Text.Contains("alice could see all libraries", StringComparison.Ordinal));

        // Admin › Outputs: the libraries with their folders and counts, the converted user named, and a passing check.
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/outputs"));
        Assert.Contains("AI Picks - alice", page, StringComparison.Ordinal);
        Assert.Contains(aliceFolder, page, StringComparison.Ordinal);
        Assert.Contains("plus their own picks, and adds new real libraries to it as they appear: Admin, alice.", page, StringComparison.Ordinal);
        var token = await admin.AntiforgeryTokenAsync("/admin/outputs");
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostFormAsync("/admin/outputs?handler=Check", null, [], htmx: true)).StatusCode);
        var check = await (await admin.PostFormAsync("/admin/outputs?handler=Check", token, [], htmx: true)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("<html", check, StringComparison.Ordinal);
        Assert.Contains("data-check=\"passed\"", check, StringComparison.Ordinal);

        // A second run with the same picks changes nothing on disk and does not rescan.
        var refreshes = server.Calls.Count(c => c.Path.Contains("/Refresh", StringComparison.Ordinal));
        var again = await app.RunJobAsync(JobNames.SyncStrm);
        Assert.Contains(again.Logs, l => l.Text.Contains("0 written, 2 unchanged", StringComparison.Ordinal));
        Assert.Equal(refreshes, server.Calls.Count(c => c.Path.Contains("/Refresh", StringComparison.Ordinal)));

        // bob switched off: his library leaves the disk and the server at the next run; alice's stays.
        await admin.PutAsJsonAsync($"/api/users/{bob.Id}", new { moviePicksEnabled = false });
        await app.RunJobAsync(JobNames.SyncStrm);
        Assert.False(Directory.Exists(Path.Combine(root, $"AI Picks - bob [{bob.Id[..8]}]")));
        Assert.DoesNotContain("AI Picks - bob", server.State.Libraries.Select(l => l.Name));
        Assert.True(Directory.Exists(aliceFolder));

        // Someone gives bob alice's library by hand: the check fails loudly, naming him.
        var aliceLibrary = server.State.Libraries.Single(l => l.Name == "AI Picks - alice");
        bob.Policy["EnabledFolders"]!.AsArray().Add(dialect == FakeDialect.Emby ? aliceLibrary.Guid : aliceLibrary.ItemId);
        var tampered = await (await admin.PostFormAsync("/admin/outputs?handler=Check", token, [], htmx: true)).Content.ReadAsStringAsync();
        Assert.Contains("data-check=\"failed\"", tampered, StringComparison.Ordinal);
        Assert.Contains("bob", tampered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_update_the_server_refuses_fails_the_run_naming_the_user_and_keeps_the_libraries_written()
    {
        var (server, app, _, alice, bob) = await StartAsync(FakeServerVersion.Jellyfin10_11);
        await using var _s = server;
        await using var _a = app;
        server.Faults.Add(FaultRule.OnPath($"/Users/{alice.Id}/Policy").OnMethod("POST").Respond(Fault.Status(500, "Database is locked")).Forever());

        var error = await Assert.ThrowsAsync<OutputSyncException>(() => app.RunJobAsync(JobNames.SyncStrm));

        Assert.Contains("access for alice", error.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(root, $"AI Picks - alice [{alice.Id[..8]}]", "movies")));
        Assert.True(Directory.Exists(Path.Combine(root, $"AI Picks - bob [{bob.Id[..8]}]", "movies")));
    }

    [Theory]
    [InlineData(FakeServerVersion.Jellyfin10_11)]
    [InlineData(FakeServerVersion.Emby4_8)]
    public async Task Sync_strm_with_media_files_Aperture_cannot_reach_fails_with_the_fix_creates_no_library_and_changes_no_policy(FakeServerVersion version)
    {
        var (server, app, admin, _, _) = await StartAsync(version);
        await using var _s = server;
        await using var _a = app;
        // The server's paths are no longer where Aperture looks (as on a machine where the media is mounted elsewhere).
        var moved = media + "-elsewhere";
        Directory.Move(media, moved);
        try
        {
            var librariesBefore = server.State.Libraries.Select(l => l.Name).Order().ToList();
            var policiesBefore = server.State.Users.ToDictionary(u => u.Id, u => u.Policy.ToJsonString());
            server.ClearCalls();

            var response = await admin.PostAsJsonAsync($"/api/jobs/{JobNames.SyncStrm}/run", new { });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var runId = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("runId").GetInt64();
            var run = await WaitForEndAsync(app, runId);

            Assert.Equal(JobRunStatus.Failed, run.Status);
            var picks = await app.WithDbAsync(db => db.Picks.CountAsync());
            Assert.StartsWith($"0 of {picks} picks written: their files are not at the paths Aperture sees (e.g. {media}/movies/", run.Error, StringComparison.Ordinal);
            Assert.Contains("set the media path mapping in Admin › Outputs", run.Error, StringComparison.Ordinal);
            Assert.Equal(librariesBefore, server.State.Libraries.Select(l => l.Name).Order().ToList());
            Assert.Equal(policiesBefore, server.State.Users.ToDictionary(u => u.Id, u => u.Policy.ToJsonString()));
            Assert.DoesNotContain(server.Calls, c => c.Method == "POST" && (c.Path.Contains("/Policy", StringComparison.Ordinal) || c.Path.Contains("VirtualFolders", StringComparison.Ordinal)));
            Assert.Empty(Directory.Exists(root) ? Directory.GetDirectories(root, "AI Picks - alice*") : []);
        }
        finally
        {
            Directory.Move(moved, media);
        }
    }

    [Fact]
    public async Task A_library_whose_refresh_failed_is_refreshed_by_the_next_run_even_when_no_file_changed()
    {
        var (server, app, _, _, _) = await StartAsync(FakeServerVersion.Jellyfin10_11);
        await using var _s = server;
        await using var _a = app;
        server.Faults.Add(FaultRule.OnPath("/Refresh").OnMethod("POST").Respond(Fault.Status(500, "Scan already running")).Forever());

        var error = await Assert.ThrowsAsync<OutputSyncException>(() => app.RunJobAsync(JobNames.SyncStrm));
        Assert.Contains("did not rescan the library", error.Message, StringComparison.Ordinal);
        Assert.True(await app.WithDbAsync(db => db.OutputLibraries.AllAsync(r => r.RefreshPending)));

        server.Faults.Clear();
        server.ClearCalls();
        var second = await app.RunJobAsync(JobNames.SyncStrm);
        Assert.Contains(second.Logs, l => l.Text.Contains("2 written, 0 unchanged", StringComparison.Ordinal));
        var libraryIds = server.State.Libraries.Where(l => l.Name.StartsWith("AI Picks - ", StringComparison.Ordinal)).Select(l => l.ItemId).ToList();
        Assert.Equal(2, libraryIds.Count);
        Assert.All(libraryIds, id => Assert.Contains(server.Calls, c => c.Method == "POST" && c.Path.Contains($"/Items/{id}/Refresh", StringComparison.OrdinalIgnoreCase)));
        Assert.False(await app.WithDbAsync(db => db.OutputLibraries.AnyAsync(r => r.RefreshPending)));

        // Done once: the run after that has nothing due.
        server.ClearCalls();
        var third = await app.RunJobAsync(JobNames.SyncStrm);
        Assert.Contains(third.Logs, l => l.Text.Contains("0 written, 2 unchanged", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Calls, c => c.Path.Contains("/Refresh", StringComparison.Ordinal));
    }

    private static async Task<JobRun> WaitForEndAsync(AppFactory app, long runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = await app.WithDbAsync(db => db.JobRuns.AsNoTracking().SingleAsync(r => r.Id == runId));
            if (!JobRunService.Active.Contains(run.Status))
            {
                return run;
            }
            Assert.True(DateTime.UtcNow < deadline, $"run {runId} still {run.Status} after 60 s");
            await Task.Delay(50);
        }
    }
}
