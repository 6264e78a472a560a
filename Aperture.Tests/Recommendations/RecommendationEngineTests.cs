using Aperture.Catalog;
using Aperture.Data;
using Aperture.Embeddings;
using Aperture.History;
using Aperture.Jobs;
using Aperture.Recommendations;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;

namespace Aperture.Tests.Recommendations;

// The engine on a hand-made catalogue where the right answer is obvious: four families of films
// (horror, romantic comedy, westerns, animation), each with its own words, people and genres.
public sealed class RecommendationEngineTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static readonly (string Family, string[] Genres, string[] Words, string Director)[] Families =
    [
        ("horror", ["Horror", "Thriller"], ["haunted", "demon", "nightmare", "ghost"], "Wes Craven"),
        ("romcom", ["Romance", "Comedy"], ["wedding", "love", "london", "kiss"], "Richard Curtis"),
        ("western", ["Western"], ["sheriff", "outlaw", "frontier", "saloon"], "Sergio Leone"),
        ("animation", ["Animation", "Family"], ["talking", "toys", "adventure", "friends"], "Pete Docter"),
    ];

    private readonly AppFactory app = new();
    private Dictionary<string, long> ids = [];

    public async ValueTask InitializeAsync()
    {
        ids = await app.WithDbAsync(async db =>
        {
            db.Libraries.Add(new Library { Id = "lib", Name = "Movies", Kind = MediaKind.Movie, Enabled = true });
            db.Libraries.Add(new Library { Id = "off", Name = "Hidden", Kind = MediaKind.Movie, Enabled = false });
            foreach (var (family, genres, words, director) in Families)
            {
                for (var i = 0; i < 8; i++)
                {
                    db.Titles.Add(new Title
                    {
                        Kind = MediaKind.Movie, ServerItemId = $"{family}-{i}", LibraryId = "lib", Name = $"{family} {i}", Year = 1990 + i,
                        Genres = [.. genres], Tags = [words[i % 4], words[(i + 1) % 4]], TmdbId = $"{family}{i}",
                        Overview = $"A {words[i % 4]} story with a {words[(i + 2) % 4]} and a {words[(i + 3) % 4]}.",
                        People = [new TitlePerson { Name = director, Type = "Director" }], CommunityRating = 6 + i % 3,
                    });
                }
            }
            // Another copy of horror 0 (same TMDB id) and a horror film in a library that is not enabled.
            db.Titles.Add(new Title
            {
                Kind = MediaKind.Movie, ServerItemId = "horror-0-4k", LibraryId = "lib", Name = "horror 0 (4K)", Year = 1990, Genres = ["Horror", "Thriller"],
                Tags = ["haunted", "demon"], TmdbId = "horror0", Overview = "A haunted story with a nightmare and a ghost.",
                People = [new TitlePerson { Name = "Wes Craven", Type = "Director" }],
            });
            db.Titles.Add(new Title
            {
                Kind = MediaKind.Movie, ServerItemId = "horror-hidden", LibraryId = "off", Name = "horror hidden", Genres = ["Horror", "Thriller"],
                Tags = ["haunted", "ghost"], Overview = "A haunted story with a demon and a ghost.",
                People = [new TitlePerson { Name = "Wes Craven", Type = "Director" }],
            });
            foreach (var name in new[] { "hugo", "rosa", "wyatt", "nobody" })
            {
                db.Users.Add(new AppUser { Id = name + "id", Name = name, CreatedAt = Now, PicksKinds = name != "nobody" ? MediaKindSet.Movie : MediaKindSet.None });
            }
            await db.SaveChangesAsync();
            var titles = await db.Titles.ToDictionaryAsync(t => t.Name, t => t.Id);
            void Watch(string user, string title, bool favorite = false, double? rating = null) => db.WatchStates.Add(new WatchState
            {
                UserId = user + "id", TitleId = titles[title], ServerItemId = title, Played = true, PlayCount = 1,
                LastPlayedAt = Now.AddDays(-3), IsFavorite = favorite, Rating = rating, SyncedAt = Now,
            });
            Watch("hugo", "horror 0", favorite: true);
            Watch("hugo", "horror 1", rating: 9);
            Watch("hugo", "horror 2");
            Watch("rosa", "romcom 0");
            Watch("rosa", "romcom 1", favorite: true);
            Watch("wyatt", "western 0");
            Watch("wyatt", "western 1");
            Watch("nobody", "animation 0");
            await db.SaveChangesAsync();
            return titles;
        });
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<EmbeddingService>().GenerateAsync(MediaKind.Movie, NullJobProgress.Instance, CancellationToken.None);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private async Task<RecommendationRunResult> RunAsync(IJobProgress? progress = null, CancellationToken ct = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RecommendationService>().GenerateAsync(MediaKind.Movie, progress ?? NullJobProgress.Instance, null, ct);
    }

    private Task<List<Pick>> PicksAsync(string user) => app.WithDbAsync(db =>
        db.Picks.AsNoTracking().Include(p => p.Title).Where(p => p.UserId == user + "id").OrderBy(p => p.Rank).ToListAsync());

    private async Task SetAsync(RecommendationSettingsPatch patch)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var settings = scope.ServiceProvider.GetRequiredService<RecommendationSettings>();
        var (result, errors) = RecommendationSettings.Apply(await settings.GetAsync(MediaKind.Movie, CancellationToken.None), patch);
        Assert.Empty(errors);
        await settings.SaveAsync(MediaKind.Movie, result, CancellationToken.None);
    }

    private static RecommendationSettingsPatch Patch(int? picks = null, double? diversity = null, double? popularity = null) =>
        new(picks, null, null, null, popularity, null, diversity, null, null, null, null, null, null);

    [Fact]
    public async Task A_horror_fan_gets_horror_first_and_never_a_watched_title_its_copy_or_a_title_from_a_disabled_library()
    {
        await SetAsync(Patch(picks: 10));
        var result = await RunAsync();

        Assert.Equal(3, result.Users);
        var picks = await PicksAsync("hugo");
        Assert.Equal(10, picks.Count);
        Assert.Equal(Enumerable.Range(1, 10), picks.Select(p => p.Rank));
        Assert.True(picks.Take(5).All(p => p.Title.Name.StartsWith("horror", StringComparison.Ordinal)), string.Join("\n", picks.Select(p => $"{p.Title.Name} s={p.Score:F3} sim={p.Similarity:F2} nov={p.Novelty:F2} rat={p.Rating:F2} pop={p.Popularity:F2} col={p.Collaborative:F2}")));
        var names = picks.Select(p => p.Title.Name).ToList();
        Assert.DoesNotContain("horror 0", names);
        Assert.DoesNotContain("horror 1", names);
        Assert.DoesNotContain("horror 2", names);
        Assert.DoesNotContain("horror 0 (4K)", names);
        Assert.DoesNotContain("horror hidden", names);

        // Each pick says why: the horror titles hugo watched pulled the first one in, with the favourite named.
        var first = picks[0];
        Assert.InRange(first.Evidence.Count, 3, 5);
        Assert.All(first.Evidence, e => Assert.StartsWith("horror", e.Name, StringComparison.Ordinal));
        Assert.Contains(first.Evidence, e => e.Name == "horror 0" && e.Reason == EvidenceKind.Favorite);
        Assert.Contains(first.Evidence, e => e.Name == "horror 1" && e.Reason == EvidenceKind.HighlyRated);
        Assert.Contains("Horror", first.MatchedGenres);
        Assert.InRange(first.MatchPercent, 80, 100);
        Assert.True(picks[^1].MatchPercent < first.MatchPercent);

        // The romance fan gets romance first: the same engine, another taste.
        Assert.All((await PicksAsync("rosa")).Take(4), p => Assert.StartsWith("romcom", p.Title.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Diversity_spreads_the_list_over_more_families()
    {
        await SetAsync(Patch(picks: 8, diversity: 0));
        await RunAsync();
        var focused = (await PicksAsync("hugo")).Select(p => p.Title.Name.Split(' ')[0]).ToList();

        await SetAsync(Patch(picks: 8, diversity: 0.9));
        await RunAsync();
        var varied = (await PicksAsync("hugo")).Select(p => p.Title.Name.Split(' ')[0]).ToList();

        Assert.NotEqual(focused, varied);
        Assert.True(varied.Take(4).Distinct().Count() > focused.Take(4).Distinct().Count(),
            $"focused: {string.Join(", ", focused)}; varied: {string.Join(", ", varied)}");
    }

    [Fact]
    public async Task Users_not_enabled_get_no_picks_and_a_user_switched_off_loses_theirs_at_the_next_run()
    {
        await RunAsync();
        Assert.Empty(await PicksAsync("nobody"));
        Assert.NotEmpty(await PicksAsync("wyatt"));

        await app.WithDbAsync(async db =>
        {
            (await db.Users.SingleAsync(u => u.Id == "wyattid")).SetPicksEnabled(MediaKind.Movie, false);
            return await db.SaveChangesAsync();
        });
        var result = await RunAsync();

        Assert.Equal(2, result.Users);
        Assert.Empty(await PicksAsync("wyatt"));
        Assert.NotEmpty(await PicksAsync("hugo"));
    }

    [Fact]
    public async Task Rebuild_clears_the_run_history_and_synopses_and_builds_again_skipping_a_kind_without_vectors()
    {
        await RunAsync();
        await RunAsync();
        Assert.Equal(6, await app.WithDbAsync(db => db.RecommendationRuns.CountAsync()));

        var progress = await app.RunJobAsync(JobNames.RebuildRecommendations);

        // Only the new runs remain (one per enabled user), each user has picks again and a fresh synopsis.
        Assert.Equal(3, await app.WithDbAsync(db => db.RecommendationRuns.CountAsync()));
        Assert.NotEmpty(await PicksAsync("hugo"));
        Assert.Equal(3, await app.WithDbAsync(db => db.TasteProfiles.CountAsync(t => t.Synopsis != null)));
        // This catalogue has no series: that kind is skipped with a warning naming the job to run, not a failed rebuild.
        Assert.Contains(progress.Logs, l => l.Level == JobLogLevel.Warning && l.Text.Contains(JobNames.GenerateSeriesEmbeddings, StringComparison.Ordinal));
    }

    private sealed class CancelAfterFirstUser(CancellationTokenSource cts) : IJobProgress
    {
        private int advanced;
        public void Stage(string name, long? total = null) { }
        public void SetTotal(long? total) { }
        public void Advance(long by = 1, string? message = null)
        {
            if (++advanced == 1)
            {
                cts.Cancel();
            }
        }
        public void Count(string name, long by = 1) { }
        public void Log(string text, JobLogLevel level = JobLogLevel.Info) { }
    }

    private sealed class FailAfterFirstUser : IJobProgress
    {
        private int advanced;
        public void Stage(string name, long? total = null) { }
        public void SetTotal(long? total) { }
        public void Advance(long by = 1, string? message = null)
        {
            if (++advanced == 1)
            {
                throw new InvalidOperationException("crash halfway");
            }
        }
        public void Count(string name, long by = 1) { }
        public void Log(string text, JobLogLevel level = JobLogLevel.Info) { }
    }

    [Fact]
    public async Task A_run_cancelled_or_crashing_halfway_leaves_every_other_user_with_their_complete_previous_picks()
    {
        await SetAsync(Patch(picks: 6));
        await RunAsync();
        var before = new Dictionary<string, List<long>>();
        foreach (var user in new[] { "hugo", "rosa", "wyatt" })
        {
            before[user] = (await PicksAsync(user)).Select(p => p.TitleId).ToList();
            Assert.Equal(6, before[user].Count);
        }

        await SetAsync(Patch(picks: 4));
        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(new CancelAfterFirstUser(cts), cts.Token));
        await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(new FailAfterFirstUser()));

        // Picks are written a batch of users at a time, each batch in one transaction: stopped after the first user was scored,
        // the batch under way (all three here) is not written, and everyone keeps their complete previous list.
        var counts = new List<int>();
        foreach (var user in new[] { "hugo", "rosa", "wyatt" })
        {
            var now = (await PicksAsync(user)).Select(p => p.TitleId).ToList();
            counts.Add(now.Count);
            Assert.True(now.Count == 4 || now.SequenceEqual(before[user]), $"{user}: {now.Count} picks, a mix of two runs");
            Assert.Single((await PicksAsync(user)).Select(p => p.RunId).Distinct());
        }
        Assert.All(counts, c => Assert.Equal(6, c));

        // Run to the end, every user has the new list.
        await RunAsync();
        foreach (var user in new[] { "hugo", "rosa", "wyatt" })
        {
            Assert.Equal(4, (await PicksAsync(user)).Count);
        }
    }
}
