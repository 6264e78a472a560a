using System.Net;
using System.Net.Http.Json;
using Aperture.Progress;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Outputs;
using Aperture.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Tests.Outputs;

// The output side against a misbehaving server (as SyncFaultTests does for the catalogue): each write step of sync-strm
// failing by a 500, a reset connection, a stall beyond the client timeout, invalid JSON or a body cut short fails the run
// naming the step, keeps what was there before, and the rerun completes.
public sealed class OutputFaultTests : IDisposable
{
    private readonly string media = Directory.CreateTempSubdirectory("aperture-media-").FullName;
    private readonly string root = Directory.CreateTempSubdirectory("aperture-out-").FullName;

    public void Dispose()
    {
        Directory.Delete(media, recursive: true);
        Directory.Delete(root, recursive: true);
    }

    // What each fault is called in the theories, and the words the run's error must then contain.
    internal static Fault Make(string fault) => fault switch
    {
        "500" => Fault.Status(500, "Database is locked"),
        "reset" => Fault.ResetConnection,
        // Longer than the test host's 2 s MediaServer:TimeoutSeconds.
        "stall" => Fault.Timeout,
        "bad-json" => Fault.BadJson,
        "truncated" => Fault.TruncatedJson,
        _ => throw new ArgumentOutOfRangeException(nameof(fault)),
    };

    internal static string Cause(string fault) => fault switch
    {
        "500" => "HTTP 500",
        "reset" => "reset the connection without answering",
        "stall" => "did not answer in time",
        "bad-json" => "malformed JSON",
        // A GET is asked three times; a POST once (it may have been done).
        _ => "was cut short",
    };

    private async Task<(FakeMediaServer Server, AppFactory App, FakeUser Alice, FakeUser Bob)> StartAsync(FakeServerVersion version)
    {
        FakeUser alice = null!, bob = null!;
        var server = await FakeMediaServer.StartAsync(version, b =>
        {
            b.User("Admin", "pw", admin: true);
            alice = b.User("alice", "pw");
            bob = b.User("bob", "pw");
            var movies = b.MovieLibrary("Movies", media + "/movies");
            for (var i = 0; i < 4; i++)
            {
                var h = b.Movie($"Haunted {i}", 1990 + i, genres: ["Horror"], overview: $"A haunted house {i}.", tmdb: $"h{i}", library: movies);
                var r = b.Movie($"Wedding {i}", 2000 + i, genres: ["Romance"], overview: $"A wedding {i}.", tmdb: $"r{i}", library: movies);
                if (i == 0)
                {
                    b.Played(alice, h, favorite: true);
                    b.Played(bob, r);
                }
            }
        });
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
        return (server, app, alice, bob);
    }

    private static bool IsPost(HttpRequest r) => HttpMethods.IsPost(r.Method);

    private static bool PathEnds(HttpRequest r, string end) =>
        (r.PathBase.Add(r.Path).Value ?? "").EndsWith(end, StringComparison.OrdinalIgnoreCase);

    public static TheoryData<FakeServerVersion, string> CreateFaults => Cases(["500", "reset", "stall"]);

    public static TheoryData<FakeServerVersion, string> ListingFaults => Cases(["bad-json", "truncated", "500"]);

    private static TheoryData<FakeServerVersion, string> Cases(string[] faults)
    {
        var data = new TheoryData<FakeServerVersion, string>();
        foreach (var version in new[] { FakeServerVersion.Jellyfin10_11, FakeServerVersion.Emby4_8 })
        {
            foreach (var fault in faults)
            {
                data.Add(version, fault);
            }
        }
        return data;
    }

    private Task<List<string>> FoldersAsync(FakeUser user) =>
        Task.FromResult(Directory.GetDirectories(Path.Combine(root, $"AI Picks - {user.Name} [{user.Id[..8]}]", "movies")).Select(f => Path.GetFileName(f)!).Order().ToList());

    [Theory]
    [MemberData(nameof(CreateFaults))]
    public async Task A_library_create_that_fails_fails_the_run_naming_the_library_changes_no_access_and_the_rerun_creates_it(FakeServerVersion version, string fault)
    {
        var (server, app, alice, bob) = await StartAsync(version);
        await using var _s = server;
        await using var _a = app;
        var policies = server.State.Users.ToDictionary(u => u.Id, u => u.Policy.ToJsonString());
        var rule = server.Faults.Add(FaultRule.Where(r => IsPost(r) && PathEnds(r, "/Library/VirtualFolders")).Respond(Make(fault)).Forever());

        var error = await Assert.ThrowsAsync<OutputSyncException>(() => app.RunJobAsync(JobNames.SyncStrm));

        Assert.Contains("creating the library 'AI Picks - alice'", error.Message, StringComparison.Ordinal);
        Assert.Contains("creating the library 'AI Picks - bob'", error.Message, StringComparison.Ordinal);
        Assert.Contains(Cause(fault), error.Message, StringComparison.Ordinal);
        Assert.True(rule.Fired >= 2);
        Assert.DoesNotContain(server.State.Libraries, l => l.Name.StartsWith("AI Picks", StringComparison.Ordinal));
        Assert.Equal(policies, server.State.Users.ToDictionary(u => u.Id, u => u.Policy.ToJsonString()));
        Assert.All(await app.WithDbAsync(db => db.OutputLibraries.AsNoTracking().ToListAsync()), r => Assert.Null(r.ServerItemId));

        server.Faults.Clear();
        await app.RunJobAsync(JobNames.SyncStrm);

        Assert.Contains(server.State.LibrariesVisibleTo(alice), l => l.Name == "AI Picks - alice");
        Assert.DoesNotContain(server.State.LibrariesVisibleTo(alice), l => l.Name == "AI Picks - bob");
        Assert.Contains(server.State.LibrariesVisibleTo(bob), l => l.Name == "AI Picks - bob");
        Assert.False(await app.WithDbAsync(db => db.OutputLibraries.AnyAsync(r => r.ServerItemId == null || r.LastError != null)));
    }

    [Theory]
    [MemberData(nameof(ListingFaults))]
    public async Task A_library_listing_that_fails_fails_the_run_naming_it_and_keeps_the_libraries_there(FakeServerVersion version, string fault)
    {
        var (server, app, alice, bob) = await StartAsync(version);
        await using var _s = server;
        await using var _a = app;
        await app.RunJobAsync(JobNames.SyncStrm);
        var before = await FoldersAsync(alice);
        var libraries = server.State.Libraries.Select(l => (l.Name, l.ItemId)).Order().ToList();
        var records = await app.WithDbAsync(db => db.OutputLibraries.AsNoTracking().OrderBy(r => r.UserId).Select(r => r.UserId + "=" + r.ServerItemId).ToListAsync());
        // alice's picks change (her last one goes), so the run has something to write.
        await app.WithDbAsync(db => db.Picks.Where(p => p.UserId == alice.Id && p.Rank == db.Picks.Where(q => q.UserId == alice.Id).Max(q => q.Rank)).ExecuteDeleteAsync());
        server.Faults.Add(FaultRule.Where(r => HttpMethods.IsGet(r.Method) && (r.Path.Value ?? "").Contains("/Library/VirtualFolders", StringComparison.OrdinalIgnoreCase))
            .Respond(Make(fault)).Forever());

        var error = await Assert.ThrowsAsync<OutputSyncException>(() => app.RunJobAsync(JobNames.SyncStrm));

        Assert.Contains("listing the media server's libraries", error.Message, StringComparison.Ordinal);
        Assert.Contains(Cause(fault), error.Message, StringComparison.Ordinal);
        Assert.Equal(libraries, server.State.Libraries.Select(l => (l.Name, l.ItemId)).Order().ToList());
        Assert.Equal(records, await app.WithDbAsync(db => db.OutputLibraries.AsNoTracking().OrderBy(r => r.UserId).Select(r => r.UserId + "=" + r.ServerItemId).ToListAsync()));
        Assert.Contains(server.State.LibrariesVisibleTo(alice), l => l.Name == "AI Picks - alice");
        Assert.Contains(server.State.LibrariesVisibleTo(bob), l => l.Name == "AI Picks - bob");

        server.Faults.Clear();
        server.ClearCalls();
        await app.RunJobAsync(JobNames.SyncStrm);

        Assert.Equal(before.Count - 1, (await FoldersAsync(alice)).Count);
        var aliceLibrary = server.State.Libraries.Single(l => l.Name == "AI Picks - alice").ItemId;
        Assert.Contains(server.Calls, c => c.Method == "POST" && c.Path.Contains($"/Items/{aliceLibrary}/Refresh", StringComparison.OrdinalIgnoreCase));
        Assert.False(await app.WithDbAsync(db => db.OutputLibraries.AnyAsync(r => r.RefreshPending || r.LastError != null)));
    }

    [Theory]
    [MemberData(nameof(CreateFaults))]
    public async Task A_library_refresh_that_fails_fails_the_run_naming_the_user_keeps_the_library_due_and_the_rerun_refreshes_it(FakeServerVersion version, string fault)
    {
        var (server, app, alice, bob) = await StartAsync(version);
        await using var _s = server;
        await using var _a = app;
        await app.RunJobAsync(JobNames.SyncStrm);
        var aliceLibrary = server.State.Libraries.Single(l => l.Name == "AI Picks - alice").ItemId;
        var bobLibrary = server.State.Libraries.Single(l => l.Name == "AI Picks - bob").ItemId;
        var before = await FoldersAsync(alice);
        await app.WithDbAsync(db => db.Picks.Where(p => p.UserId == alice.Id && p.Rank == db.Picks.Where(q => q.UserId == alice.Id).Max(q => q.Rank)).ExecuteDeleteAsync());
        server.Faults.Add(FaultRule.Where(r => IsPost(r) && PathEnds(r, $"/Items/{aliceLibrary}/Refresh")).Respond(Make(fault)).Forever());

        var error = await Assert.ThrowsAsync<OutputSyncException>(() => app.RunJobAsync(JobNames.SyncStrm));

        Assert.Contains("alice: the server did not rescan the library", error.Message, StringComparison.Ordinal);
        Assert.Contains(Cause(fault), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("bob", error.Message, StringComparison.Ordinal);
        // The files are the new ones; the library, its id and everyone's access stay; alice's library is still due.
        Assert.Equal(before.Count - 1, (await FoldersAsync(alice)).Count);
        Assert.Equal(aliceLibrary, server.State.Libraries.Single(l => l.Name == "AI Picks - alice").ItemId);
        Assert.Contains(server.State.LibrariesVisibleTo(alice), l => l.Name == "AI Picks - alice");
        var records = await app.WithDbAsync(db => db.OutputLibraries.AsNoTracking().ToDictionaryAsync(r => r.UserId));
        Assert.True(records[alice.Id].RefreshPending);
        Assert.False(records[bob.Id].RefreshPending);
        Assert.Equal((aliceLibrary, bobLibrary), (records[alice.Id].ServerItemId, records[bob.Id].ServerItemId));

        server.Faults.Clear();
        server.ClearCalls();
        await app.RunJobAsync(JobNames.SyncStrm);

        Assert.Contains(server.Calls, c => c.Method == "POST" && c.Path.Contains($"/Items/{aliceLibrary}/Refresh", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(server.Calls, c => c.Path.Contains($"/Items/{bobLibrary}/Refresh", StringComparison.OrdinalIgnoreCase));
        Assert.False(await app.WithDbAsync(db => db.OutputLibraries.AnyAsync(r => r.RefreshPending || r.LastError != null)));
    }

    [Theory]
    [MemberData(nameof(CreateFaults))]
    public async Task A_policy_update_that_fails_fails_the_run_naming_the_user_keeps_the_libraries_and_the_rerun_sets_it(FakeServerVersion version, string fault)
    {
        var (server, app, alice, bob) = await StartAsync(version);
        await using var _s = server;
        await using var _a = app;
        var alicePolicy = alice.Policy.ToJsonString();
        server.Faults.Add(FaultRule.Where(r => IsPost(r) && PathEnds(r, $"/Users/{alice.Id}/Policy")).Respond(Make(fault)).Forever());

        var error = await Assert.ThrowsAsync<OutputSyncException>(() => app.RunJobAsync(JobNames.SyncStrm));

        Assert.Contains("access for alice", error.Message, StringComparison.Ordinal);
        Assert.Contains(Cause(fault), error.Message, StringComparison.Ordinal);
        Assert.Equal(alicePolicy, alice.Policy.ToJsonString());
        Assert.NotEmpty(await FoldersAsync(alice));
        Assert.Contains(server.State.LibrariesVisibleTo(bob), l => l.Name == "AI Picks - bob");
        Assert.DoesNotContain(server.State.LibrariesVisibleTo(bob), l => l.Name == "AI Picks - alice");

        server.Faults.Clear();
        await app.RunJobAsync(JobNames.SyncStrm);

        Assert.Contains(server.State.LibrariesVisibleTo(alice), l => l.Name == "AI Picks - alice");
        Assert.DoesNotContain(server.State.LibrariesVisibleTo(alice), l => l.Name == "AI Picks - bob");
    }
}
