namespace Aperture.Fakes;

public sealed record FakeCatalog(
    IReadOnlyList<FakeUser> Users,
    FakeLibrary MovieLibrary,
    FakeLibrary ShowLibrary,
    IReadOnlyList<FakeItem> Movies,
    IReadOnlyList<FakeItem> Series,
    int Episodes,
    int HistoryRows);

// A large, varied catalogue for the benchmark: the same seed gives the same titles, people, ratings and history
// (item ids are the server's own, so they differ between runs on Jellyfin).
public static class FakeCatalogGenerator
{
    private const long TicksPerMinute = 600_000_000;
    private static readonly DateTimeOffset Epoch = new(2019, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Adjectives =
    [
        "Silent", "Broken", "Crimson", "Hidden", "Last", "Lonely", "Golden", "Frozen", "Burning", "Distant", "Electric", "Forgotten",
        "Hollow", "Iron", "Midnight", "Northern", "Pale", "Quiet", "Restless", "Savage", "Secret", "Shattered", "Velvet", "Wild",
        "Bitter", "Endless", "Fallen", "Gentle", "Haunted", "Infinite", "Lucky", "Neon", "Painted", "Rising", "Scarlet", "Twisted",
    ];

    private static readonly string[] Nouns =
    [
        "Harbor", "Empire", "Garden", "Horizon", "Kingdom", "Letter", "Machine", "Mirror", "Mountain", "Ocean", "Orchard", "Promise",
        "River", "Road", "Shadow", "Signal", "Storm", "Summer", "Tide", "Tower", "Valley", "Voyage", "Winter", "Witness",
        "Circus", "Detective", "Engine", "Frontier", "Hotel", "Island", "Jungle", "Lighthouse", "Orbit", "Planet", "Station", "Theory",
    ];

    private static readonly string[] FirstNames =
    [
        "Ava", "Ben", "Clara", "Daniel", "Elena", "Felix", "Grace", "Hugo", "Iris", "Jonas", "Kara", "Leo", "Maya", "Nico", "Olivia",
        "Paul", "Quinn", "Rosa", "Samuel", "Tara", "Umar", "Vera", "Walter", "Xenia", "Yusuf", "Zoe", "Marta", "Theo", "Lena", "Oscar",
    ];

    private static readonly string[] LastNames =
    [
        "Abbott", "Bergström", "Castillo", "Dubois", "Eriksen", "Fontaine", "García", "Hartmann", "Ibsen", "Jovanović", "Kowalski",
        "Lindqvist", "Moreau", "Nakamura", "O'Neill", "Petrov", "Quintero", "Rossi", "Schneider", "Tanaka", "Ulrich", "Varga",
        "Whitaker", "Yilmaz", "Zhang", "Okafor", "Brennan", "Sato", "Novak", "Haddad",
    ];

    private static readonly string[] Genres =
    [
        "Action", "Adventure", "Animation", "Comedy", "Crime", "Documentary", "Drama", "Family", "Fantasy", "History", "Horror",
        "Music", "Mystery", "Romance", "Science Fiction", "Thriller", "War", "Western",
    ];

    private static readonly string[] Studios =
    [
        "Northlight Pictures", "Blue Harbor Films", "Paper Moon Studios", "Iron Gate Entertainment", "Red Kite Productions",
        "Silver Fern Media", "Lanterna Films", "Orchard Street", "Meridian Pictures", "Halcyon Works", "Tall Pine Studios",
        "Quartz Motion", "Seventh Wave", "Copperfield Films", "Atlas Frame",
    ];

    private static readonly string[] Tags =
    [
        "based on novel", "time travel", "heist", "coming of age", "dystopia", "road trip", "small town", "revenge", "friendship",
        "space", "artificial intelligence", "family drama", "courtroom", "survival", "conspiracy", "sequel", "remake", "true story",
    ];

    private static readonly string[] OfficialRatings = ["G", "PG", "PG-13", "R", "NC-17", "NR", "TV-14", "TV-MA"];

    private static readonly string[] Subjects =
    [
        "a retired detective", "two estranged sisters", "a young engineer", "an ambitious chef", "a stranded crew", "a small-town mayor",
        "a reluctant heir", "a rookie pilot", "an exiled scientist", "a wandering musician", "a grieving father", "a teenage hacker",
    ];

    private static readonly string[] Verbs =
    [
        "uncovers", "chases", "protects", "rebuilds", "escapes", "investigates", "defends", "searches for", "confronts", "inherits",
    ];

    private static readonly string[] Objects =
    [
        "a buried secret", "a stolen map", "the last working radio", "a forgotten city", "an impossible signal", "a family fortune",
        "a dangerous prototype", "the truth about the lighthouse", "a missing witness", "an ancient treaty",
    ];

    private static readonly string[] Twists =
    [
        "before the storm arrives", "while the whole town watches", "with nothing but an old notebook", "against every warning",
        "as winter closes in", "and nothing will be the same", "in a race against time", "with help from an unlikely ally",
    ];

    public static FakeCatalog Generate(
        FakeLibraryBuilder b,
        int movies = 20000,
        int series = 1000,
        int episodesPerSeries = 20,
        int users = 50,
        int historyRows = 200000,
        int seed = 42)
    {
        FakeCatalog? catalog = null;
        // One lock for the whole seeding: the generator is the bulk of a benchmark's setup time.
        b.State.Write(_ => catalog = new Generator(b, new Random(seed)).Run(movies, series, episodesPerSeries, users, historyRows));
        return catalog!;
    }

    private sealed class Generator(FakeLibraryBuilder b, Random random)
    {
        private readonly string[] people = [.. FirstNames.SelectMany(f => LastNames.Select(l => $"{f} {l}"))];

        public FakeCatalog Run(int movieCount, int seriesCount, int episodesPerSeries, int userCount, int historyRows)
        {
            var userList = Enumerable.Range(1, userCount).Select(i => b.User($"user{i:000}", "password", admin: i == 1)).ToList();
            var movieLibrary = b.MovieLibrary("Movies", "/media/movies");
            var showLibrary = b.ShowLibrary("Shows", "/media/tv");
            var movieList = Enumerable.Range(0, movieCount).Select(i => Movie(i, movieLibrary)).ToList();
            var seriesList = Enumerable.Range(0, seriesCount).Select(i => Series(i, showLibrary, episodesPerSeries)).ToList();
            var playable = movieList.Concat(seriesList.SelectMany(b.State.EpisodesOf)).ToList();
            var rows = History(userList, playable, historyRows);
            return new FakeCatalog(userList, movieLibrary, showLibrary, movieList, seriesList, playable.Count - movieList.Count, rows);
        }

        private FakeItem Movie(int index, FakeLibrary library)
        {
            var title = Draw(firstYear: 1950, ratingFloor: 3, ratings: OfficialRatings[..6], studios: 2, tags: 3) with
            {
                RuntimeMinutes = random.Next(80, 181),
                ProviderIds = new Dictionary<string, string> { ["Tmdb"] = (10_000 + index).ToString(), ["Imdb"] = $"tt{1_000_000 + index * 7:0000000}" },
            };
            var movie = b.Movie(Name(), title, library);
            Finish(movie, title.Year!.Value);
            return movie;
        }

        private FakeItem Series(int index, FakeLibrary library, int episodeCount)
        {
            var title = Draw(firstYear: 1990, ratingFloor: 4, ratings: OfficialRatings[3..], studios: 1, tags: 2) with
            {
                ProviderIds = new Dictionary<string, string> { ["Tvdb"] = (70_000 + index).ToString(), ["Tmdb"] = (500_000 + index).ToString() },
            };
            var year = title.Year!.Value;
            var show = b.Series(Name(), title, status: year < 2020 || random.Next(3) == 0 ? "Ended" : "Continuing", library: library);
            Finish(show, year);
            var seasons = Math.Clamp(random.Next(1, 6), 1, Math.Max(1, episodeCount));
            for (var s = 1; s <= seasons; s++)
            {
                // Now and then a season or an episode without a number, as real scans produce.
                var season = b.Season(show, random.Next(200) == 0 ? null : s);
                var count = episodeCount / seasons + (s <= episodeCount % seasons ? 1 : 0);
                for (var e = 1; e <= count; e++)
                {
                    var episode = b.Episode(season, random.Next(100) == 0 ? null : e, $"{Adjectives[random.Next(Adjectives.Length)]} {Nouns[random.Next(Nouns.Length)]}",
                        overview: Overview(), runtimeMinutes: random.Next(22, 61));
                    Finish(episode, year + s - 1);
                    episode.CommunityRating = Math.Round(5 + random.NextDouble() * 4.5, 1);
                }
            }
            return show;
        }

        private int History(List<FakeUser> users, List<FakeItem> playable, int rows)
        {
            var seen = new HashSet<long>();
            var written = 0;
            for (var attempt = 0; written < rows && attempt < rows * 4 && playable.Count > 0 && users.Count > 0; attempt++)
            {
                // Skewed: a few heavy users and a head of popular titles, like real watch history.
                var u = (int)(Math.Pow(random.NextDouble(), 1.6) * users.Count);
                var i = (int)(Math.Pow(random.NextDouble(), 2.2) * playable.Count);
                if (!seen.Add((long)u * playable.Count + i))
                {
                    continue;
                }
                var when = Epoch.AddMinutes(random.Next(0, 6 * 365 * 24 * 60));
                if (random.Next(25) == 0)
                {
                    b.InProgress(users[u], playable[i], Math.Round(5 + random.NextDouble() * 80, 1), when);
                }
                else
                {
                    b.Played(users[u], playable[i], random.Next(5) == 0 ? random.Next(2, 6) : 1, when,
                        favorite: random.Next(20) == 0, rating: random.Next(10) == 0 ? random.Next(1, 11) : null);
                }
                written++;
            }
            return written;
        }

        private void Finish(FakeItem item, int year)
        {
            item.PremiereDate = new DateTimeOffset(year, random.Next(1, 13), random.Next(1, 29), 0, 0, 0, TimeSpan.Zero);
            item.DateCreated = Epoch.AddMinutes(random.Next(0, 6 * 365 * 24 * 60));
            item.DateLastSaved = item.DateCreated.AddDays(random.Next(0, 60));
            item.CriticRating = random.Next(3) == 0 ? null : random.Next(10, 101);
            if (random.Next(3) == 0)
            {
                item.Taglines.Add($"{Adjectives[random.Next(Adjectives.Length)]} things come to those who wait.");
            }
            if (random.Next(10) == 0)
            {
                item.OriginalTitle = $"{item.Name} ({LastNames[random.Next(LastNames.Length)]} cut)";
            }
            if (random.Next(15) == 0)
            {
                item.PrimaryImageTag = null;
            }
        }

        // Movies and series draw their metadata the same way, from different ranges.
        private FakeTitle Draw(int firstYear, double ratingFloor, string[] ratings, int studios, int tags) => new(
            random.Next(firstYear, 2026),
            Pick(Genres, 1, 3),
            Overview(),
            Cast(),
            Math.Round(ratingFloor + random.NextDouble() * (9.5 - ratingFloor), 1),
            ratings[random.Next(ratings.Length)],
            Pick(Studios, 1, studios),
            Pick(Tags, 0, tags));

        private string Name() => random.Next(4) switch
        {
            0 => $"The {Adjectives[random.Next(Adjectives.Length)]} {Nouns[random.Next(Nouns.Length)]}",
            1 => $"{Nouns[random.Next(Nouns.Length)]} of the {Nouns[random.Next(Nouns.Length)]}",
            2 => $"{Adjectives[random.Next(Adjectives.Length)]} {Nouns[random.Next(Nouns.Length)]}",
            _ => $"{FirstNames[random.Next(FirstNames.Length)]}'s {Nouns[random.Next(Nouns.Length)]}",
        };

        private string Overview() =>
            $"{Capitalise(Subjects[random.Next(Subjects.Length)])} {Verbs[random.Next(Verbs.Length)]} {Objects[random.Next(Objects.Length)]} "
            + $"{Twists[random.Next(Twists.Length)]}. {Capitalise(Subjects[random.Next(Subjects.Length)])} {Verbs[random.Next(Verbs.Length)]} "
            + $"{Objects[random.Next(Objects.Length)]}.";

        private List<FakePerson> Cast()
        {
            var cast = new List<FakePerson> { FakePerson.Director(Person()), FakePerson.Writer(Person()) };
            var actors = random.Next(3, 7);
            for (var a = 0; a < actors; a++)
            {
                cast.Add(FakePerson.Actor(Person(), FirstNames[random.Next(FirstNames.Length)]));
            }
            return cast;
        }

        // A popular head of people recurs across titles, as real casts do.
        private string Person() => people[(int)(Math.Pow(random.NextDouble(), 1.8) * people.Length)];

        private List<string> Pick(string[] from, int min, int max) =>
            [.. from.OrderBy(_ => random.Next()).Take(random.Next(min, max + 1))];

        private static string Capitalise(string s) => char.ToUpperInvariant(s[0]) + s[1..];
    }
}
