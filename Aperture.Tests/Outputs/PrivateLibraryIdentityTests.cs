using System.Net;
using System.Net.Http.Json;
using Aperture.Fakes;
using Aperture.Jobs;
using Aperture.Outputs;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Aperture.Progress;

namespace Aperture.Tests.Outputs;

// Users whose names clean to the same folder name ("u5" and "u5.", or "u5\0", which sync reads as
// "u5": PostgreSQL cannot store a NUL) still get a folder each: the
// folder's identity is the user's server id, and Check access compares folders and owners, not only library ids.
public sealed class PrivateLibraryIdentityTests : IDisposable
{
    private static readonly string[] Horror = ["Horror"];

    private readonly string media = Directory.CreateTempSubdirectory("aperture-media-").FullName;
    private readonly string root = Directory.CreateTempSubdirectory("aperture-out-").FullName;

    public void Dispose()
    {
        Directory.Delete(media, recursive: true);
        Directory.Delete(root, recursive: true);
    }

    [Theory]
    [InlineData("u5.")]
    [InlineData("u5\0")]
    public async Task Users_whose_names_clean_alike_get_separate_folders_and_a_shared_folder_fails_the_check(string twinName)
    {
        FakeUser u5 = null!, twin = null!;
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            b.User("Admin", "pw", admin: true);
            u5 = b.User("u5", "pw");
            twin = b.User(twinName, "pw");
            var movies = b.MovieLibrary("Movies", media + "/movies");
            for (var i = 0; i < 6; i++)
            {
                var h = b.Movie($"Haunted {i}", 1990 + i, genres: Horror, overview: $"A haunted house {i}.", tmdb: $"h{i}", library: movies);
                if (i == 0)
                {
                    b.Played(u5, h, favorite: true);
                }
                if (i == 1)
                {
                    b.Played(twin, h, favorite: true);
                }
            }
        });
        foreach (var item in server.State.Items.Where(i => i.Type == FakeItemType.Movie))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(item.Path!)!);
            await File.WriteAllTextAsync(item.Path!, "video");
        }
        await using var app = new AppFactory().With("MEDIA_SERVER_STRM_ROOT", root);
        await app.ConnectAsync(server);
        var admin = await app.SignedInClientAsync("Admin", "pw");
        foreach (var job in new[] { JobNames.SyncMovies, JobNames.SyncWatchHistory, JobNames.GenerateEmbeddings })
        {
            await app.RunJobAsync(job);
        }
        foreach (var user in new[] { u5, twin })
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/users/{user.Id}", new { moviePicksEnabled = true })).StatusCode);
        }
        await app.RunJobAsync(JobNames.GenerateRecommendations);

        await app.RunJobAsync(JobNames.SyncStrm);

        var records = await app.WithDbAsync(db => db.OutputLibraries.AsNoTracking().ToListAsync());
        Assert.Equal(2, records.Count);
        Assert.NotEqual(records[0].FolderName, records[1].FolderName);
        Assert.NotEqual(records[0].LibraryName, records[1].LibraryName);
        var byUser = records.ToDictionary(r => r.UserId);
        Assert.EndsWith($"[{u5.Id[..8]}]/movies", byUser[u5.Id].FolderName, StringComparison.Ordinal);
        Assert.EndsWith($"[{twin.Id[..8]}]/movies", byUser[twin.Id].FolderName, StringComparison.Ordinal);
        // On the server each library points at its own user's folder, and the two folders are different.
        var u5Library = server.State.FindLibrary(byUser[u5.Id].LibraryName)!;
        var twinLibrary = server.State.FindLibrary(byUser[twin.Id].LibraryName)!;
        Assert.Equal([byUser[u5.Id].ServerPath!], u5Library.Locations);
        Assert.Equal([byUser[twin.Id].ServerPath!], twinLibrary.Locations);
        Assert.NotEqual(u5Library.Locations[0], twinLibrary.Locations[0]);

        using (var scope = app.Services.CreateScope())
        {
            var outputs = scope.ServiceProvider.GetRequiredService<OutputSyncService>();
            var access = scope.ServiceProvider.GetRequiredService<LibraryAccessService>();
            var check = await access.CheckAsync(await outputs.PicksLibrariesAsync(CancellationToken.None), CancellationToken.None);
            Assert.True(check.Passed, string.Join("; ", check.Users.SelectMany(u => u.Problems)));

            // Someone points the twin's library at u5's folder: the library ids are still right, but the check fails.
            server.State.Write(_ => twinLibrary.Locations.Add(byUser[u5.Id].ServerPath!));
            var shared = await access.CheckAsync(await outputs.PicksLibrariesAsync(CancellationToken.None), CancellationToken.None);
            Assert.False(shared.Passed);
            var problems = shared.Users.Single(u => u.UserId == twin.Id).Problems;
            Assert.Contains(problems, p => p.Contains(byUser[u5.Id].ServerPath!, StringComparison.Ordinal) && p.Contains("u5", StringComparison.Ordinal));
        }
    }
}
