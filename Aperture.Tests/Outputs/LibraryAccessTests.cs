using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Aperture.Fakes;
using Aperture.MediaServers;
using Aperture.Outputs;
using Aperture.Tests.Infrastructure;

namespace Aperture.Tests.Outputs;

public sealed class LibraryAccessTests
{
    // admin and alice have "all libraries" (the servers' default), bob an explicit list (Movies only), dave "all but Shows".
    // Picks: alice's by name, bob's by id, Top Picks shared, and a picks library whose user is gone (matched by prefix).
    private static async Task<FakeMediaServer> StartAsync(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        var server = await FakeMediaServer.StartAsync(version, b =>
        {
            b.User("admin", "pw", admin: true);
            b.User("alice", "pw");
            var bob = b.User("bob", "pw");
            var dave = b.User("dave", "pw");
            var movies = b.MovieLibrary("Movies");
            var shows = b.ShowLibrary("Shows");
            b.MovieLibrary("AI Picks - alice", "/picks/alice");
            b.MovieLibrary("AI Picks - bob", "/picks/bob");
            b.MovieLibrary("AI Picks - gone", "/picks/gone");
            b.MovieLibrary("Top Picks", "/picks/top");
            bob.EnableAllFolders = false;
            bob.EnabledFolders = [movies.Guid];
            dave.BlockedMediaFolders = [shows.Guid];
        });
        return server;
    }

    private static PicksLibraries Picks(FakeMediaServer server) => PicksLibraries.Of(
        new Dictionary<string, IReadOnlyList<string>>
        {
            [server.State.User("alice").Id] = ["AI Picks - alice"],
            [server.State.User("bob").Id] = [server.State.FindLibrary("AI Picks - bob")!.ItemId],
        },
        shared: ["Top Picks"],
        managedNamePrefixes: ["AI Picks - "]);

    private static string[] Sees(FakeMediaServer server, string user) =>
        [.. server.State.LibrariesVisibleTo(server.State.User(user)).Select(l => l.Name).Order(StringComparer.Ordinal)];

    private static IEnumerable<RecordedCall> PolicyPosts(FakeMediaServer server) =>
        server.Calls.Where(c => c.Method == "POST" && c.Path.EndsWith("/Policy", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task Apply_gives_each_user_their_own_picks_and_Top_Picks_and_converts_all_libraries_users(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        await using var server = await StartAsync(version);
        var access = new LibraryAccess(ServerLibrariesTests.ClientFor(server));

        var result = await access.ApplyAsync(Picks(server), LibraryAccessState.Empty, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(["AI Picks - alice", "Movies", "Shows", "Top Picks"], Sees(server, "alice"));
        Assert.Equal(["AI Picks - bob", "Movies", "Top Picks"], Sees(server, "bob"));
        Assert.Equal(["Movies", "Top Picks"], Sees(server, "dave"));
        Assert.Equal(["Movies", "Shows", "Top Picks"], Sees(server, "admin"));

        // "All libraries" (and "all but") users were converted, and the result says so for the admin page.
        Assert.Equal(["admin", "alice", "dave"], result.ConvertedNow.Select(u => u.UserName).Order(StringComparer.Ordinal));
        var alice = result.Users.Single(u => u.UserName == "alice");
        Assert.Equal(["AI Picks - bob", "AI Picks - gone"], alice.Removed);
        Assert.Empty(alice.Added);
        var bob = result.Users.Single(u => u.UserName == "bob");
        Assert.False(bob.Converted);
        Assert.Equal(["AI Picks - bob", "Top Picks"], bob.Added);
        Assert.Equal(["admin", "alice", "dave"], result.State.ConvertedUsers.Keys.Select(id => server.State.User(id).Name).Order(StringComparer.Ordinal));

        // The stored policy: an explicit list of the dialect's id kind, nothing blocked, every other field kept.
        var stored = server.State.User("alice");
        Assert.False(stored.EnableAllFolders);
        Assert.Empty(stored.BlockedMediaFolders);
        var kind = dialect == FakeDialect.Emby ? (Func<FakeLibrary, string>)(l => l.Guid) : l => l.ItemId;
        Assert.Equal(
            new[] { "Movies", "Shows", "AI Picks - alice", "Top Picks" }.Select(n => kind(server.State.FindLibrary(n)!)).Order(StringComparer.Ordinal),
            stored.EnabledFolders.Order(StringComparer.Ordinal));
        Assert.True(stored.Policy["EnableMediaPlayback"]!.GetValue<bool>());
        Assert.Equal(4, PolicyPosts(server).Count());
        foreach (var post in PolicyPosts(server))
        {
            var body = JsonNode.Parse(post.Body)!.AsObject();
            Assert.False(string.IsNullOrEmpty(body["AuthenticationProviderId"]?.ToString()));
            // Jellyfin requires both provider ids; Emby 4.8's UserPolicy has no PasswordResetProviderId.
            Assert.Equal(dialect == FakeDialect.Jellyfin, !string.IsNullOrEmpty(body["PasswordResetProviderId"]?.ToString()));
        }

        // Nothing changes on a second run, so nothing is written.
        server.ClearCalls();
        var again = await access.ApplyAsync(Picks(server), result.State, CancellationToken.None);
        Assert.True(again.Succeeded);
        Assert.All(again.Users, u => Assert.False(u.Changed));
        Assert.Empty(PolicyPosts(server));
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task Check_fails_before_apply_passes_after_and_fails_again_for_a_tampered_policy(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        await using var server = await StartAsync(version);
        var access = new LibraryAccess(ServerLibrariesTests.ClientFor(server));
        var picks = Picks(server);

        var before = await access.CheckAsync(picks, CancellationToken.None);
        Assert.False(before.Passed);
        var alice = before.Users.Single(u => u.UserName == "alice");
        Assert.Contains("sees 'AI Picks - bob', the picks library of bob", alice.Problems);
        Assert.Contains("sees 'AI Picks - gone', the picks library of no current user", alice.Problems);
        Assert.Equal(["does not see their own picks library 'AI Picks - bob'", "does not see the shared library 'Top Picks'"],
            before.Users.Single(u => u.UserName == "bob").Problems);

        await access.ApplyAsync(picks, LibraryAccessState.Empty, CancellationToken.None);
        var after = await access.CheckAsync(picks, CancellationToken.None);
        Assert.True(after.Passed, string.Join("; ", after.Users.SelectMany(u => u.Problems)));

        // Someone ticks "all libraries" again for alice, and gives bob alice's library.
        server.State.Write(_ =>
        {
            server.State.User("alice").EnableAllFolders = true;
            var bob = server.State.User("bob");
            var aliceLibrary = server.State.FindLibrary("AI Picks - alice")!;
            bob.EnabledFolders = [.. bob.EnabledFolders, dialect == FakeDialect.Emby ? aliceLibrary.Guid : aliceLibrary.ItemId];
        });
        var tampered = await access.CheckAsync(picks, CancellationToken.None);
        Assert.False(tampered.Passed);
        Assert.Contains("sees 'AI Picks - bob', the picks library of bob", tampered.Users.Single(u => u.UserName == "alice").Problems);
        Assert.Equal(["sees 'AI Picks - alice', the picks library of alice"], tampered.Users.Single(u => u.UserName == "bob").Problems);
        Assert.True(tampered.Users.Single(u => u.UserName == "dave").Passed);
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task A_real_library_added_later_reaches_converted_users_only_and_one_an_admin_took_away_stays_away(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        await using var server = await StartAsync(version);
        var access = new LibraryAccess(ServerLibrariesTests.ClientFor(server));
        var first = await access.ApplyAsync(Picks(server), LibraryAccessState.Empty, CancellationToken.None);

        server.Seed(b => b.MovieLibrary("Documentaries"));
        // The admin takes Shows away from alice by hand after the conversion.
        server.State.Write(_ =>
        {
            var alice = server.State.User("alice");
            var shows = server.State.FindLibrary("Shows")!;
            alice.EnabledFolders = [.. alice.EnabledFolders.Where(id => id != shows.ItemId && id != shows.Guid)];
        });

        var second = await access.ApplyAsync(Picks(server), first.State, CancellationToken.None);

        Assert.True(second.Succeeded);
        Assert.Equal(["AI Picks - alice", "Documentaries", "Movies", "Top Picks"], Sees(server, "alice"));
        Assert.Equal(["Documentaries", "Movies", "Shows", "Top Picks"], Sees(server, "admin"));
        Assert.Equal(["Documentaries", "Movies", "Top Picks"], Sees(server, "dave"));
        Assert.Equal(["AI Picks - bob", "Movies", "Top Picks"], Sees(server, "bob"));
        Assert.Equal(["Documentaries"], second.Users.Single(u => u.UserName == "alice").Added);
        Assert.Empty(second.ConvertedNow);

        // Without the memory of who was converted, nobody gets it automatically.
        server.Seed(b => b.MovieLibrary("Anime"));
        await access.ApplyAsync(Picks(server), LibraryAccessState.Empty, CancellationToken.None);
        Assert.DoesNotContain("Anime", Sees(server, "alice"));
    }

    [Theory]
    [MemberData(nameof(FakeServers.All), MemberType = typeof(FakeServers))]
    public async Task A_refused_policy_update_fails_loudly_naming_the_user_while_the_others_are_applied(FakeServerVersion version)
    {
        var dialect = version.Dialect();
        await using var server = await StartAsync(version);
        var alice = server.State.User("alice");
        server.Faults.Add(FaultRule.OnPath($"/Users/{alice.Id}/Policy").OnMethod("POST").Respond(Fault.Status(500, "Database is locked")).Forever());
        var access = new LibraryAccess(ServerLibrariesTests.ClientFor(server));

        var result = await access.ApplyAsync(Picks(server), LibraryAccessState.Empty, CancellationToken.None);

        Assert.False(result.Succeeded);
        var failed = Assert.Single(result.Failed);
        Assert.Equal("alice", failed.UserName);
        Assert.Contains("alice", failed.Error, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", failed.Error, StringComparison.Ordinal);
        var thrown = Assert.Throws<LibraryAccessException>(result.ThrowIfFailed);
        Assert.Contains("alice", thrown.Message, StringComparison.Ordinal);

        Assert.True(server.State.User("alice").EnableAllFolders);
        Assert.Equal(["AI Picks - bob", "Movies", "Top Picks"], Sees(server, "bob"));
        Assert.Equal(["Movies", "Top Picks"], Sees(server, "dave"));
        // Alice was not converted, so she is not remembered as converted.
        Assert.DoesNotContain(alice.Id, result.State.ConvertedUsers.Keys);
        Assert.False((await access.CheckAsync(Picks(server), CancellationToken.None)).Passed);
    }

    [Fact]
    public async Task Jellyfin_refuses_a_policy_without_its_required_provider_ids_and_the_client_fills_them()
    {
        await using var server = await StartAsync(FakeServerVersion.Jellyfin10_11);
        var client = ServerLibrariesTests.ClientFor(server);
        var bob = await client.GetUserAsync(server.State.User("bob").Id, CancellationToken.None);
        var policy = (JsonObject)bob.Policy!.DeepClone();
        policy.Remove("AuthenticationProviderId");
        policy.Remove("PasswordResetProviderId");
        policy["EnableContentDownloading"] = false;

        using var http = new HttpClient();
        using var raw = new HttpRequestMessage(HttpMethod.Post, $"{server.BaseUrl}/Users/{bob.Id}/Policy")
        {
            Content = new StringContent(policy.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        raw.Headers.TryAddWithoutValidation("Authorization", server.AuthorizationHeader(server.ApiKey));
        using var refused = await http.SendAsync(raw);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        await client.UpdateUserPolicyAsync(bob.Id, policy, CancellationToken.None);
        var stored = server.State.User("bob").Policy;
        Assert.False(stored["EnableContentDownloading"]!.GetValue<bool>());
        Assert.Equal("Jellyfin.Server.Implementations.Users.DefaultAuthenticationProvider", stored["AuthenticationProviderId"]!.ToString());
        Assert.Equal("CreateAndJoinGroups", stored["SyncPlayAccess"]!.ToString());
    }

    [Fact]
    public async Task Emby_ignores_numeric_folder_ids_so_the_plan_uses_Guids()
    {
        await using var server = await StartAsync(FakeServerVersion.Emby4_8);
        var movies = server.State.FindLibrary("Movies")!;
        server.State.Write(_ => server.State.User("bob").EnabledFolders = [movies.ItemId]);
        Assert.Empty(Sees(server, "bob"));

        var plan = await new LibraryAccess(ServerLibrariesTests.ClientFor(server)).PlanAsync(Picks(server), LibraryAccessState.Empty, CancellationToken.None);

        var bob = plan.Users.Single(u => u.UserName == "bob");
        Assert.True(bob.Changed);
        Assert.DoesNotContain(movies.Guid, bob.EnabledFolders);
        Assert.Contains(server.State.FindLibrary("AI Picks - bob")!.Guid, bob.EnabledFolders);
        Assert.All(plan.Libraries, l => Assert.Equal(32, l.AccessId.Length));
    }

    [Fact]
    public async Task The_service_remembers_converted_users_in_settings_between_runs()
    {
        await using var server = await StartAsync(FakeServerVersion.Jellyfin10_11);
        await using var app = new AppFactory();
        await app.ConnectAsync(server);

        async Task<LibraryAccessResult> ApplyAsync()
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<LibraryAccessService>().ApplyAsync(Picks(server), CancellationToken.None);
        }

        Assert.Equal(3, (await ApplyAsync()).ConvertedNow.Count);
        server.Seed(b => b.MovieLibrary("Documentaries"));
        var second = await ApplyAsync();

        Assert.Empty(second.ConvertedNow);
        Assert.Contains("Documentaries", Sees(server, "alice"));
        Assert.DoesNotContain("Documentaries", Sees(server, "bob"));
        await using var scope = app.Services.CreateAsyncScope();
        var check = await scope.ServiceProvider.GetRequiredService<LibraryAccessService>().CheckAsync(Picks(server), CancellationToken.None);
        Assert.True(check.Passed);
    }
}
