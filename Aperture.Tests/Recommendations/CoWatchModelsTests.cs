using Aperture.Data;
using Aperture.History;
using Aperture.Recommendations;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Tests.Recommendations;

// The co-watch model "More like this" and movie nights read is built once per state of the history and the settings, not
// on every request, and a history sync that only changes existing rows (a started film now played) still reaches it.
public sealed class CoWatchModelsTests
{
    private const int Users = 6;

    [Fact]
    public async Task The_model_is_kept_between_requests_and_rebuilt_when_a_run_finishes_or_its_settings_change()
    {
        await using var app = new AppFactory();
        var ids = await app.WithDbAsync(async db =>
        {
            db.Libraries.Add(new Library { Id = "lib", Name = "Movies", Kind = MediaKind.Movie, Enabled = true });
            // Enough titles watched together for a usable model (ItemCooccurrence.IsUsable: 100 pairs).
            var titles = new[] { "Alien", "Aliens", "Heat" }.Concat(Enumerable.Range(0, 16).Select(i => $"Film {i}")).Select(n => new Title { Kind = MediaKind.Movie, ServerItemId = n, LibraryId = "lib", Name = n }).ToList();
            db.Titles.AddRange(titles);
            await db.SaveChangesAsync();
            // Everyone played every film but Heat, which everyone only started (not yet a taste signal).
            for (var u = 0; u < Users; u++)
            {
                db.Users.Add(new AppUser { Id = $"u{u}", Name = $"user{u}" });
                foreach (var title in titles)
                {
                    var played = title.Name != "Heat";
                    db.WatchStates.Add(new WatchState
                    {
                        UserId = $"u{u}", TitleId = title.Id, ServerItemId = title.ServerItemId, Played = played, PlayCount = played ? 1 : 0,
                        LastPlayedAt = played ? TestCatalog.Epoch : null,
                    });
                }
            }
            await db.SaveChangesAsync();
            return titles.ToDictionary(t => t.Name, t => t.Id);
        });
        var models = app.Services.GetRequiredService<CoWatchModels>();
        var settings = new KindRecommendationSettings();
        Task<ItemCooccurrence?> ModelAsync(KindRecommendationSettings s) => app.WithDbAsync(db => models.ForAsync(db, s, MediaKind.Movie, CancellationToken.None));
        long[] Neighbours(ItemCooccurrence? model) => [.. Assert.IsType<ItemCooccurrence>(model).NeighboursOf(ids["Alien"]).Select(n => n.Item)];

        var first = await ModelAsync(settings);
        Assert.Contains(ids["Aliens"], Neighbours(first));
        Assert.DoesNotContain(ids["Heat"], Neighbours(first));
        Assert.Same(first, await ModelAsync(settings));

        // A history sync marks Heat played in the rows it already had: no row added, and the model is rebuilt once its run
        // has finished.
        await app.WithDbAsync(db => db.WatchStates.Where(w => w.TitleId == ids["Heat"])
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.Played, true).SetProperty(w => w.PlayCount, 1).SetProperty(w => w.LastPlayedAt, TestCatalog.Epoch)));
        await app.WithDbAsync(db =>
        {
            db.JobRuns.Add(new JobRun { JobName = "full-sync-watch-history", Trigger = "manual", Status = JobRunStatus.Succeeded, QueuedAt = TestCatalog.Epoch });
            return db.SaveChangesAsync();
        });
        var afterSync = await ModelAsync(settings);
        Assert.NotSame(first, afterSync);
        Assert.Contains(ids["Heat"], Neighbours(afterSync));
        Assert.Same(afterSync, await ModelAsync(settings));

        // Settings it reads: more users required than there are, then co-watch off, then back.
        Assert.Null(await ModelAsync(settings with { MinCollaborativeUsers = Users + 1 }));
        Assert.Null(await ModelAsync(settings with { UseCollaborative = false }));
        Assert.Contains(ids["Heat"], Neighbours(await ModelAsync(settings)));
    }
}
