using Aperture.Catalog;
using Aperture.Data;
using Aperture.Fakes;
using Aperture.History;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Tests.Infrastructure;

// A hand-made catalogue written straight into the database, as the sync would leave it. The same nine
// titles exist as movies and as series, so every browse test can run unchanged for both kinds.
public static class TestCatalog
{
    public sealed record Row(string Name, int? Year, string[] Genres, double? Rating, int? AddedDay, int Runtime,
        string? OriginalTitle = null, string? SortName = null);

    public static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Sort names as the servers send them: lower case, leading article dropped.
    public static readonly Row[] Rows =
    [
        new("Alien", 1979, ["Horror", "Science Fiction"], 8.5, 5, 117),
        new("Aliens", 1986, ["Action", "Science Fiction"], 8.4, 1, 137),
        new("Amélie", 2001, ["Comedy", "Romance"], 7.9, 9, 122, OriginalTitle: "Le Fabuleux Destin d'Amélie Poulain"),
        new("Blade Runner", 1982, ["Science Fiction", "Drama"], 8.1, 3, 117),
        new("Casablanca", 1942, ["Drama", "Romance"], 8.6, 2, 102),
        new("Heat", 1995, ["Crime", "Drama"], 8.3, 8, 170),
        new("The Thing", 1982, ["Horror"], 8.2, 4, 109, SortName: "thing"),
        new("Untitled", null, ["Drama"], null, null, 90),
        new("Zodiac", 2007, ["Crime", "Mystery"], 7.7, 7, 157),
    ];

    public const int EpisodeRuntime = 50;

    // What each user has done, the same for both kinds (for a series: with its first episode):
    // alice played Alien twice (and made it a favourite, rated 9) and Heat once, and started Casablanca;
    // bob played Zodiac. Movie plays fall on March 1/5/7 and 10, series plays a day later.
    public static async Task<Dictionary<string, long>> SeedAsync(AppFactory app, MediaKind kind, string aliceId, string bobId)
    {
        return await app.WithDbAsync(async db =>
        {
            var library = new Library { Id = $"lib-{kind.Slug()}", Name = kind == MediaKind.Movie ? "Movies" : "Shows", Kind = kind, Enabled = true };
            db.Libraries.Add(library);
            var titles = Rows.Select((r, i) => new Title
            {
                Kind = kind,
                ServerItemId = $"{kind.Slug()}-{i}",
                LibraryId = library.Id,
                Name = r.Name,
                OriginalTitle = r.OriginalTitle,
                SortName = r.SortName ?? r.Name.ToLowerInvariant(),
                Year = r.Year,
                Genres = [.. r.Genres],
                CommunityRating = r.Rating,
                RuntimeMinutes = kind == MediaKind.Movie ? r.Runtime : EpisodeRuntime,
                DateCreated = r.AddedDay is { } day ? Epoch.AddDays(day) : null,
                SyncedAt = Epoch,
                Episodes = kind == MediaKind.Movie ? [] :
                [
                    new Episode { ServerItemId = $"ep-{i}-1", SeasonNumber = 1, EpisodeNumber = 1, Name = "Pilot", RuntimeMinutes = EpisodeRuntime, SyncedAt = Epoch },
                    new Episode { ServerItemId = $"ep-{i}-2", SeasonNumber = 1, EpisodeNumber = 2, Name = "Second", RuntimeMinutes = EpisodeRuntime, SyncedAt = Epoch },
                ],
            }).ToList();
            db.Titles.AddRange(titles);
            await db.SaveChangesAsync();

            var byName = titles.ToDictionary(t => t.Name);
            var shift = kind == MediaKind.Movie ? 0 : 1;
            void Watch(string user, string name, bool played, int plays, int day, double? percent = null)
            {
                var title = byName[name];
                var episode = title.Episodes.FirstOrDefault(e => e.EpisodeNumber == 1);
                db.WatchStates.Add(new WatchState
                {
                    UserId = user,
                    TitleId = title.Id,
                    EpisodeId = episode?.Id,
                    ServerItemId = episode?.ServerItemId ?? title.ServerItemId,
                    Played = played,
                    PlayCount = plays,
                    LastPlayedAt = new DateTimeOffset(2024, 3, day + shift, 20, 0, 0, TimeSpan.Zero),
                    PlayedPercentage = percent,
                    SyncedAt = Epoch,
                });
            }
            Watch(aliceId, "Alien", played: true, plays: 2, day: 1);
            Watch(aliceId, "Heat", played: true, plays: 1, day: 5);
            Watch(aliceId, "Casablanca", played: false, plays: 0, day: 7, percent: 40);
            Watch(bobId, "Zodiac", played: true, plays: 1, day: 10);
            // The title's own favourite and rating (for a series: the series row, which has no play of its own).
            var alien = byName["Alien"];
            if (kind == MediaKind.Movie)
            {
                var own = db.WatchStates.Local.Single(w => w.TitleId == alien.Id && w.UserId == aliceId);
                own.IsFavorite = true;
                own.Rating = 9;
            }
            else
            {
                db.WatchStates.Add(new WatchState
                {
                    UserId = aliceId, TitleId = alien.Id, ServerItemId = alien.ServerItemId, IsFavorite = true, Rating = 9, SyncedAt = Epoch,
                });
            }
            await db.SaveChangesAsync();
            return titles.ToDictionary(t => t.Name, t => t.Id);
        });
    }
}

// One app with alice, bob and an admin signed in and the catalogue seeded for both kinds; shared by the
// read-only tests of a class.
public sealed class CatalogWorld : IAsyncLifetime
{
    public FakeMediaServer Server { get; private set; } = null!;
    public AppFactory App { get; private set; } = null!;
    public FakeUser AliceUser { get; private set; } = null!;
    public FakeUser BobUser { get; private set; } = null!;
    public FakeUser AdminUser { get; private set; } = null!;
    public HttpClient Alice { get; private set; } = null!;
    public HttpClient Bob { get; private set; } = null!;
    public HttpClient Admin { get; private set; } = null!;
    public HttpClient Anonymous { get; private set; } = null!;
    public Dictionary<MediaKind, Dictionary<string, long>> Ids { get; } = [];

    public async ValueTask InitializeAsync()
    {
        Server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b =>
        {
            AliceUser = b.User("alice", "pw");
            BobUser = b.User("bob", "pw");
            AdminUser = b.User("Admin", "pw", admin: true);
        });
        App = new AppFactory();
        await App.ConnectAsync(Server);
        Alice = await App.SignedInClientAsync("alice", "pw");
        Bob = await App.SignedInClientAsync("bob", "pw");
        Admin = await App.SignedInClientAsync("Admin", "pw");
        Anonymous = App.CreateBrowserlessClient();
        foreach (var kind in Enum.GetValues<MediaKind>())
        {
            Ids[kind] = await TestCatalog.SeedAsync(App, kind, AliceUser.Id, BobUser.Id);
        }
        await App.WithDbAsync(async db =>
        {
            // Details for the title pages: credits, links and taglines on the movie Alien; episodes outside
            // any numbered season (a special, and one the server could not place at all) on the series Untitled.
            var alien = await db.Titles.SingleAsync(t => t.Id == Ids[MediaKind.Movie]["Alien"]);
            alien.People =
            [
                new TitlePerson { Name = "Sigourney Weaver", Type = "Actor", Role = "Ellen Ripley" },
                new TitlePerson { Name = "Ridley Scott", Type = "Director" },
                new TitlePerson { Name = "Tom Skerritt", Type = "Actor", Role = "Dallas" },
                new TitlePerson { Name = "Dan O'Bannon", Type = "Writer" },
            ];
            alien.ImdbId = "tt0078748";
            alien.TmdbId = "348";
            alien.Taglines = ["In space no one can hear you scream."];
            alien.Studios = ["20th Century Fox"];
            alien.OfficialRating = "R";
            alien.Overview = "The crew of the Nostromo answers a distress call.";
            var untitled = Ids[MediaKind.Series]["Untitled"];
            db.Episodes.AddRange(
                new Episode { SeriesId = untitled, ServerItemId = "ep-special", SeasonNumber = 0, EpisodeNumber = 1, Name = "Making of", SyncedAt = TestCatalog.Epoch },
                new Episode { SeriesId = untitled, ServerItemId = "ep-lost", SeasonNumber = null, EpisodeNumber = null, Name = "Lost tape", SyncedAt = TestCatalog.Epoch });
            await db.SaveChangesAsync();
            return 0;
        });
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Server.DisposeAsync();
    }
}
