using Aperture.Catalog;
using Aperture.Channels;
using Aperture.Data;
using Aperture.Embeddings;
using Aperture.History;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;

namespace Aperture.Tests.Channels;

// Channel generation on a hand-made catalogue where the right answer is obvious: five families of films, each with
// its own words, keywords, director and genres (noir alternates Mystery and Thriller as its second genre).
public sealed class ChannelGenerationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static readonly (string Family, string[] Words, string Director)[] Families =
    [
        ("noir", ["noir", "detective", "fatale", "rain"], "Howard Hawks"),
        ("horror", ["haunted", "demon", "nightmare", "ghost"], "Wes Craven"),
        ("romcom", ["wedding", "love", "london", "kiss"], "Richard Curtis"),
        ("western", ["sheriff", "outlaw", "frontier", "saloon"], "Sergio Leone"),
        ("animation", ["talking", "toys", "adventure", "friends"], "Pete Docter"),
    ];

    private static string[] GenresOf(string family, int i) => family switch
    {
        "noir" => ["Crime", i % 2 == 0 ? "Mystery" : "Thriller"],
        "horror" => ["Horror", "Thriller"],
        "romcom" => ["Romance", "Comedy"],
        "western" => ["Western"],
        _ => ["Animation", "Family"],
    };

    private readonly AppFactory app = new();
    private Dictionary<string, long> ids = [];

    public async ValueTask InitializeAsync()
    {
        ids = await app.WithDbAsync(async db =>
        {
            db.Libraries.Add(new Library { Id = "lib", Name = "Movies", Kind = MediaKind.Movie, Enabled = true });
            foreach (var (family, words, director) in Families)
            {
                for (var i = 0; i < 8; i++)
                {
                    db.Titles.Add(new Title
                    {
                        Kind = MediaKind.Movie, ServerItemId = $"{family}-{i}", LibraryId = "lib", Name = $"{family} {i}", Year = 1940 + i,
                        Genres = [.. GenresOf(family, i)], Tags = [words[i % 4], words[(i + 1) % 4]], TmdbId = $"{family}{i}",
                        Overview = $"A {words[i % 4]} story with a {words[(i + 2) % 4]} and a {words[(i + 3) % 4]}.",
                        People = [new TitlePerson { Name = director, Type = "Director" }], CommunityRating = 7,
                    });
                }
            }
            db.Users.Add(new AppUser { Id = "annid", Name = "ann", CreatedAt = Now });
            await db.SaveChangesAsync();
            var titles = await db.Titles.ToDictionaryAsync(t => t.Name, t => t.Id);
            foreach (var watched in new[] { "noir 0", "noir 1" })
            {
                db.WatchStates.Add(new WatchState
                {
                    UserId = "annid", TitleId = titles[watched], ServerItemId = watched, Played = true, PlayCount = 1,
                    LastPlayedAt = Now.AddDays(-3), SyncedAt = Now,
                });
            }
            await db.SaveChangesAsync();
            return titles;
        });
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<EmbeddingService>().GenerateAsync(MediaKind.Movie, NullJobProgress.Instance, CancellationToken.None);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private async Task<List<(string Name, string[] Genres, string Why, double Score)>> GenerateAsync(ChannelInput input)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<ChannelService>();
        var (channel, errors) = await service.CreateAsync("annid", input with { Name = input.Name ?? "Test" }, CancellationToken.None);
        Assert.Empty(errors);
        await service.GenerateAsync(channel!, CancellationToken.None);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return (await db.ChannelEntries.AsNoTracking().Where(e => e.ChannelId == channel!.Id).OrderBy(e => e.Rank)
            .Select(e => new { e.Title.Name, e.Title.Genres, e.Why, e.Score }).ToListAsync())
            .Select(e => (e.Name, e.Genres.ToArray(), e.Why, e.Score)).ToList();
    }

    private static string Show(IEnumerable<(string Name, string[] Genres, string Why, double Score)> entries) =>
        string.Join("\n", entries.Select(e => $"{e.Name} {e.Score:F3} [{string.Join(",", e.Genres)}] {e.Why}"));

    [Fact]
    public async Task A_noir_text_channel_ranks_noir_titles_first_and_says_why()
    {
        var entries = await GenerateAsync(new ChannelInput(Kind: "movies", Preference: "noir detective stories in the rain", Size: 10, ExcludeWatched: false));

        Assert.Equal(10, entries.Count);
        Assert.True(entries.Take(6).All(e => e.Name.StartsWith("noir", StringComparison.Ordinal)), Show(entries));
        // The why names what matched this title (its keywords, its overview words), never the channel's words wholesale.
        Assert.DoesNotContain("noir detective stories in the rain", entries[0].Why, StringComparison.Ordinal);
        Assert.All(entries.Where(e => e.Name.StartsWith("noir", StringComparison.Ordinal)), e => Assert.Matches("keyword \u201C(noir|detective|rain)\u201D", e.Why));
        Assert.True(entries[0].Score >= entries[^1].Score);
    }

    [Fact]
    public async Task Example_titles_pull_in_their_neighbours_and_are_not_repeated()
    {
        var entries = await GenerateAsync(new ChannelInput(Kind: "movies", Examples: [ids["western 0"], ids["western 3"]], Size: 6));

        Assert.Equal(6, entries.Count);
        Assert.All(entries, e => Assert.StartsWith("western", e.Name, StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Name is "western 0" or "western 3");
        Assert.Contains(entries, e => e.Why.Contains("like western 0 (1940)", StringComparison.Ordinal) || e.Why.Contains("like western 3 (1943)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Genre_exclusions_and_inclusions_hold()
    {
        var excluded = await GenerateAsync(new ChannelInput(Kind: "movies", Preference: "noir detective", ExcludeGenres: ["Thriller"], Size: 12, ExcludeWatched: false));
        Assert.NotEmpty(excluded);
        Assert.DoesNotContain(excluded, e => e.Genres.Contains("Thriller"));
        Assert.True(excluded.Take(4).All(e => e.Name.StartsWith("noir", StringComparison.Ordinal)), Show(excluded));

        var included = await GenerateAsync(new ChannelInput(Kind: "movies", Preference: "noir detective", IncludeGenres: ["Western"], Size: 5));
        Assert.Equal(5, included.Count);
        Assert.All(included, e => Assert.Contains("Western", e.Genres));
    }

    [Fact]
    public async Task Watched_titles_are_left_out_only_when_asked()
    {
        var fresh = await GenerateAsync(new ChannelInput(Kind: "movies", Preference: "noir detective fatale rain", Size: 8, ExcludeWatched: true));
        Assert.DoesNotContain(fresh, e => e.Name is "noir 0" or "noir 1");
        Assert.Equal(6, fresh.Count(e => e.Name.StartsWith("noir", StringComparison.Ordinal)));

        var all = await GenerateAsync(new ChannelInput(Kind: "movies", Preference: "noir detective fatale rain", Size: 8, ExcludeWatched: false));
        Assert.Contains(all, e => e.Name == "noir 0");
        Assert.Contains(all, e => e.Name == "noir 1");
    }

    [Fact]
    public async Task Nothing_matching_is_an_error_naming_the_field_and_keeps_the_last_entries()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<ChannelService>();
        var (channel, _) = await service.CreateAsync("annid", new ChannelInput(Name: "Noir", Kind: "movies", Preference: "noir", Size: 3), CancellationToken.None);
        await service.GenerateAsync(channel!, CancellationToken.None);

        // Filters that leave nothing: every Western watched.
        await app.WithDbAsync(async db =>
        {
            foreach (var i in Enumerable.Range(0, 8))
            {
                db.WatchStates.Add(new WatchState
                {
                    UserId = "annid", TitleId = ids[$"western {i}"], ServerItemId = $"western-{i}", Played = true, PlayCount = 1, LastPlayedAt = Now.AddDays(-1), SyncedAt = Now,
                });
            }
            return await db.SaveChangesAsync();
        });
        Assert.Empty(await service.UpdateAsync(channel!, new ChannelInput(IncludeGenres: ["Western"]), CancellationToken.None));
        var e = await Assert.ThrowsAsync<ChannelGenerationException>(() => service.GenerateAsync(channel!, CancellationToken.None));
        Assert.Equal("includeGenres", e.Field);

        var words = await service.CreateAsync("annid", new ChannelInput(Name: "Gibberish", Kind: "movies", Preference: "zzyzx qwerty"), CancellationToken.None);
        var unknown = await Assert.ThrowsAsync<ChannelGenerationException>(() => service.GenerateAsync(words.Channel!, CancellationToken.None));
        Assert.Equal("preference", unknown.Field);

        var kept = await app.WithDbAsync(db => db.ChannelEntries.CountAsync(x => x.ChannelId == channel!.Id));
        Assert.Equal(3, kept);
    }

    [Fact]
    public async Task A_local_description_is_written_from_the_facts()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<ChannelService>();
        var (channel, _) = await service.CreateAsync("annid", new ChannelInput(Name: "Rainy nights", Kind: "movies", Preference: "noir detective",
            Examples: [ids["noir 2"]], Size: 4), CancellationToken.None);
        var result = await service.GenerateAsync(channel!, CancellationToken.None);

        Assert.Equal("local", result.DescriptionSource);
        Assert.StartsWith("4 films chosen for \u201Cnoir detective\u201D, in the vein of noir 2 (1942).", result.Description, StringComparison.Ordinal);
        Assert.Contains("Crime", result.Description, StringComparison.Ordinal);
    }
}
