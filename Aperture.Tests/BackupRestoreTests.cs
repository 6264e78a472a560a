using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using Aperture.Data;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.MediaServers;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Aperture.Progress;

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
}
