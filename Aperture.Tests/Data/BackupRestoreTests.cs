using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using Aperture.Progress;
using Aperture.Data;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.MediaServers;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aperture.Tests;

public sealed class BackupRestoreTests
{
    private static readonly string[] Horror = ["Horror"];

    private static async Task<(List<string> Users, List<string> Settings, List<string> Picks)> SnapshotAsync(AppFactory app) => (
        await app.WithDbAsync(db => db.Users.OrderBy(u => u.Id).Select(u => u.Id + "|" + u.Name + "|" + u.IsAdmin).ToListAsync()),
        await app.WithDbAsync(db => db.Settings.OrderBy(s => s.Key).Select(s => s.Key + "=" + s.Value).ToListAsync()),
        await app.WithDbAsync(db => db.Picks.OrderBy(p => p.UserId).ThenBy(p => p.Kind).ThenBy(p => p.Rank).Select(p => p.UserId + "|" + p.TitleId + "|" + p.Rank).ToListAsync()));

    [Fact]
    public async Task A_backup_restored_into_a_new_data_folder_starts_with_the_same_users_settings_picks_and_readable_secrets()
    {
        FakeUser alice = null!;
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "pw", admin: true);
            alice = b.User("alice", "pw");
            for (var i = 0; i < 8; i++)
            {
                var movie = b.Movie($"Haunted {i}", 1990 + i, genres: Horror, overview: $"A haunted house {i}.", tmdb: $"h{i}");
                if (i < 2)
                {
                    b.Played(alice, movie, favorite: true);
                }
            }
        });
        await using var app = new AppFactory();
        await app.ConnectAsync(server);
        var admin = await app.SignedInClientAsync("Admin", "pw");
        await app.RunJobAsync(JobNames.SyncMovies);
        await app.RunJobAsync(JobNames.SyncWatchHistory);
        await app.RunJobAsync(JobNames.GenerateEmbeddings);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/users/{alice.Id}", new { moviePicksEnabled = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync("/api/settings/recommendations/movies", new { picksPerUser = 5 })).StatusCode);
        await app.RunJobAsync(JobNames.GenerateRecommendations);
        var before = await SnapshotAsync(app);
        Assert.NotEmpty(before.Picks);

        // Admin › Database › Back up now (a form POST: antiforgery applies).
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostFormAsync("/admin/database?handler=Backup", null, [])).StatusCode);
        var posted = await admin.PostFormAsync("/admin/database?handler=Backup", await admin.AntiforgeryTokenAsync("/admin/database"), []);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var page = await admin.GetStringAsync(posted.Headers.Location!.OriginalString);
        var name = Assert.Single(new DirectoryInfo(Path.Combine(app.DataDirectory, "backups")).GetFiles("*.zip")).Name;
        Assert.Contains($"written", page, StringComparison.Ordinal);
        Assert.Matches($"href=\"/admin/database\\?[^\"]*handler=Download[^\"]*name={System.Text.RegularExpressions.Regex.Escape(name)}", page);

        // Downloads are for admins, and only of backups.
        var alicesClient = await app.SignedInClientAsync("alice", "pw");
        Assert.NotEqual(HttpStatusCode.OK, (await alicesClient.GetAsync($"/admin/database?handler=Download&name={name}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/database?handler=Download&name=..%2Faperture.db")).StatusCode);
        var download = await admin.GetAsync($"/admin/database?handler=Download&name={name}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
        var archive = Path.Combine(Directory.CreateTempSubdirectory("aperture-backup-").FullName, name);
        await File.WriteAllBytesAsync(archive, await download.Content.ReadAsByteArrayAsync());
        using (var zip = ZipFile.OpenRead(archive))
        {
            Assert.Contains(zip.Entries, e => e.FullName.StartsWith("keys/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal));
            Assert.Equal(!TestDatabase.IsPostgres, zip.GetEntry("aperture.db") is not null);
        }
        if (TestDatabase.IsPostgres)
        {
            // PostgreSQL's database is pg_dump's; the restore command says so rather than half-restoring.
            var target = DatabaseUrl.Resolve(app.DatabaseUrl, app.DataDirectory);
            var refused = await Assert.ThrowsAsync<RestoreException>(() => BackupRestore.RestoreAsync(archive, new AppPaths(app.DataDirectory), target, CancellationToken.None));
            Assert.Contains("pg_restore", refused.Message, StringComparison.Ordinal);
            return;
        }

        // While the instance runs on its data folder, a restore there is refused and changes nothing.
        var running = await Assert.ThrowsAsync<RestoreException>(() => BackupRestore.RestoreAsync(archive, new AppPaths(app.DataDirectory),
            DatabaseUrl.Resolve(null, app.DataDirectory), CancellationToken.None));
        Assert.Contains("stop it, then restore", running.Message, StringComparison.Ordinal);

        // A new machine: an empty data folder, restored from the archive.
        var folder = Directory.CreateTempSubdirectory("aperture-restored-").FullName;
        var summary = await BackupRestore.RestoreAsync(archive, new AppPaths(folder), DatabaseUrl.Resolve(null, folder), CancellationToken.None);
        Assert.Contains("before-restore-", summary, StringComparison.Ordinal);
        Assert.Single(Directory.GetDirectories(folder, "before-restore-*"));

        await using var restored = AppFactory.OnDataFolder(folder);
        var after = await SnapshotAsync(restored);
        Assert.Equal(before.Users, after.Users);
        Assert.Equal(before.Settings, after.Settings);
        Assert.Equal(before.Picks, after.Picks);
        // The media server's API key was stored encrypted: the restored key ring decrypts it, and the restored install works.
        await using (var scope = restored.Services.CreateAsyncScope())
        {
            var connection = await scope.ServiceProvider.GetRequiredService<MediaServerSettings>().GetConnectionAsync(CancellationToken.None);
            Assert.Equal(server.ApiKey, connection?.ApiKey);
        }
        await restored.RunJobAsync(JobNames.SyncMovies);
        var signedIn = await restored.SignedInClientAsync("alice", "pw");
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/picks/movies")).StatusCode);
    }

    // Admin › Database › Restore as a browser sends it: multipart, the antiforgery token as a field.
    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string? token, byte[] archive, string fileName = "aperture-backup.zip")
    {
        using var form = new MultipartFormDataContent();
        if (token is not null)
        {
            form.Add(new StringContent(token), "__RequestVerificationToken");
        }
        var file = new ByteArrayContent(archive);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/zip");
        form.Add(file, "archive", fileName);
        return await client.PostAsync("/admin/database?handler=Restore", form);
    }

    private static async Task<byte[]> BackupAsync(AppFactory app, HttpClient admin)
    {
        var posted = await admin.PostFormAsync("/admin/database?handler=Backup", await admin.AntiforgeryTokenAsync("/admin/database"), []);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var name = new DirectoryInfo(Path.Combine(app.DataDirectory, "backups")).GetFiles("*.zip").OrderByDescending(f => f.LastWriteTimeUtc).First().Name;
        return await admin.GetByteArrayAsync($"/admin/database?handler=Download&name={name}");
    }

    private static async Task<(FakeMediaServer Server, AppFactory App, HttpClient Admin)> InstallWithPicksAsync()
    {
        FakeUser alice = null!;
        var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "pw", admin: true);
            alice = b.User("alice", "pw");
            for (var i = 0; i < 8; i++)
            {
                var movie = b.Movie($"Haunted {i}", 1990 + i, genres: Horror, overview: $"A haunted house {i}.", tmdb: $"h{i}");
                if (i < 2)
                {
                    b.Played(alice, movie, favorite: true);
                }
            }
        });
        var app = new AppFactory();
        await app.ConnectAsync(server);
        var admin = await app.SignedInClientAsync("Admin", "pw");
        await app.RunJobAsync(JobNames.SyncMovies);
        await app.RunJobAsync(JobNames.SyncWatchHistory);
        await app.RunJobAsync(JobNames.GenerateEmbeddings);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/users/{alice.Id}", new { moviePicksEnabled = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync("/api/settings/recommendations/movies", new { picksPerUser = 5 })).StatusCode);
        await app.RunJobAsync(JobNames.GenerateRecommendations);
        return (server, app, admin);
    }

    [Fact]
    public async Task A_backup_uploaded_in_admin_database_is_staged_and_the_next_start_runs_on_it_with_the_same_users_settings_picks_and_secrets()
    {
        var (server, source, sourceAdmin) = await InstallWithPicksAsync();
        await using var _s = server;
        await using var _a = source;
        var before = await SnapshotAsync(source);
        var archive = await BackupAsync(source, sourceAdmin);

        // Another install (its own data folder, database and key ring) on the same media server: the machine being restored.
        var target = new AppFactory();
        await target.ConnectAsync(server);
        var admin = await target.SignedInClientAsync("Admin", "pw");
        var alice = await target.SignedInClientAsync("alice", "pw");
        var token = await admin.AntiforgeryTokenAsync("/admin/database");
        var pending = Path.Combine(target.DataDirectory, BackupRestore.PendingFileName);

        // Admins only, antiforgery, and only an admin gets the large body limit.
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(admin, null, archive)).StatusCode);
        Assert.NotEqual(HttpStatusCode.Redirect, (await UploadAsync(alice, token, archive)).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await UploadAsync(alice, token, new byte[200 * 1024])).StatusCode);
        Assert.False(File.Exists(pending));

        var staged = await UploadAsync(admin, token, archive);

        if (TestDatabase.IsPostgres)
        {
            // The honest refusal: PostgreSQL's database comes back with pg_restore, not through this page.
            Assert.Equal(HttpStatusCode.BadRequest, staged.StatusCode);
            Assert.Contains("pg_restore", WebUtility.HtmlDecode(await staged.Content.ReadAsStringAsync()), StringComparison.Ordinal);
            Assert.False(File.Exists(pending));
            await target.DisposeAsync();
            return;
        }
        Assert.Equal(HttpStatusCode.Redirect, staged.StatusCode);
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync(staged.Headers.Location!.OriginalString));
        Assert.Contains("Restart Aperture to restore it", page, StringComparison.Ordinal);
        Assert.Contains("id=\"pending-restore\"", page, StringComparison.Ordinal);
        // Nothing of the running install changed: it still has its own (empty) catalogue.
        Assert.Empty(await target.WithDbAsync(db => db.Picks.ToListAsync()));
        Assert.True(File.Exists(pending));

        var restarted = target.Restarted();
        await target.DisposeAsync();
        await using var _r = restarted;

        var after = await SnapshotAsync(restarted);
        Assert.Equal(before.Users, after.Users);
        Assert.Equal(before.Settings, after.Settings);
        Assert.Equal(before.Picks, after.Picks);
        Assert.False(File.Exists(pending));
        var aside = Assert.Single(Directory.GetDirectories(restarted.DataDirectory, "before-restore-*"));
        Assert.True(File.Exists(Path.Combine(aside, "aperture.db")));
        Assert.True(File.Exists(Path.Combine(aside, "restored-backup.zip")));
        // The API key was encrypted by the source's key ring: only the restored ring decrypts it.
        await using (var scope = restarted.Services.CreateAsyncScope())
        {
            var connection = await scope.ServiceProvider.GetRequiredService<MediaServerSettings>().GetConnectionAsync(CancellationToken.None);
            Assert.Equal(server.ApiKey, connection?.ApiKey);
        }
        await restarted.RunJobAsync(JobNames.SyncMovies);
        var signedIn = await restarted.SignedInClientAsync("alice", "pw");
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/picks/movies")).StatusCode);
    }

    [Fact]
    public async Task A_file_that_is_not_a_whole_sqlite_backup_is_refused_with_the_reason_and_nothing_is_lost()
    {
        var (server, app, admin) = await InstallWithPicksAsync();
        await using var _s = server;
        await using var _a = app;
        var good = await BackupAsync(app, admin);
        var token = await admin.AntiforgeryTokenAsync("/admin/database");
        var pending = Path.Combine(app.DataDirectory, BackupRestore.PendingFileName);
        if (TestDatabase.IsPostgres)
        {
            var refused = await UploadAsync(admin, token, good);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("pg_restore", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
            return;
        }
        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(admin, token, good)).StatusCode);
        var before = await SnapshotAsync(app);

        static byte[] Zip(Action<ZipArchive> fill)
        {
            using var buffer = new MemoryStream();
            using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            {
                fill(zip);
            }
            return buffer.ToArray();
        }
        static void Add(ZipArchive zip, string name, byte[] content)
        {
            using var stream = zip.CreateEntry(name).Open();
            stream.Write(content);
        }
        var manifest = System.Text.Encoding.UTF8.GetBytes("{\"format\":\"aperture-backup\",\"version\":1,\"provider\":\"sqlite\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"hasDatabase\":true,\"keys\":1}");
        var key = System.Text.Encoding.UTF8.GetBytes("<key/>");
        byte[] database;
        using (var zip = new ZipArchive(new MemoryStream(good), ZipArchiveMode.Read))
        using (var entry = zip.GetEntry("aperture.db")!.Open())
        using (var copy = new MemoryStream())
        {
            entry.CopyTo(copy);
            database = copy.ToArray();
        }
        var bad = new (string What, byte[] File, string Reason)[]
        {
            ("not a zip", System.Text.Encoding.UTF8.GetBytes("hello, this is a text file"), "is not a backup archive"),
            ("cut in half", good[..(good.Length / 2)], "is not a backup archive"),
            ("no manifest", Zip(z => Add(z, "aperture.db", [1, 2, 3])), "has no manifest.json"),
            ("key ring only", Zip(z => { Add(z, "manifest.json", System.Text.Encoding.UTF8.GetBytes("{\"format\":\"aperture-backup\",\"version\":1,\"provider\":\"postgres\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"hasDatabase\":false,\"keys\":1}")); Add(z, "keys/key-1.xml", key); }),
                "holds no database (it was taken from a postgres install)"),
            ("damaged database", Zip(z => { Add(z, "manifest.json", manifest); Add(z, "aperture.db", new byte[8192]); Add(z, "keys/key-1.xml", key); }), "The database in"),
            ("no key ring", Zip(z => { Add(z, "manifest.json", manifest); Add(z, "aperture.db", database); }), "holds no key ring"),
            ("escaping key name", Zip(z => { Add(z, "manifest.json", manifest); Add(z, "aperture.db", database); Add(z, "keys/../../evil.xml", key); }),
                "has an unexpected entry keys/../../evil.xml"),
        };
        foreach (var (what, file, reason) in bad)
        {
            var response = await UploadAsync(admin, token, file);
            var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {response.StatusCode}");
            Assert.Contains("Not staged:", body, StringComparison.Ordinal);
            Assert.True(body.Contains(reason, StringComparison.Ordinal), $"{what}: no '{reason}' in the page");
            // The restore staged before stays as it was, and so does the running install.
            Assert.Equal(good, await File.ReadAllBytesAsync(pending));
        }
        var after = await SnapshotAsync(app);
        Assert.Equal(before.Users, after.Users);
        Assert.Equal(before.Settings, after.Settings);
        Assert.Equal(before.Picks, after.Picks);
        Assert.Empty(Directory.GetFiles(app.DataDirectory, ".restore-*"));

        // Cancelled: nothing is restored at the next start.
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/database?handler=CancelRestore", token, [])).StatusCode);
        Assert.False(File.Exists(pending));
    }
}
