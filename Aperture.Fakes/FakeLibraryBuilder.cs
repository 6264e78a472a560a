using Aperture.Fakes.Wire;

namespace Aperture.Fakes;

// Short seeding: b.User("alice", "pw", admin: true); b.MovieLibrary("Movies"); b.Movie("Alien", 1979, ...); b.Played(alice, alien).
// Usable before start (StartAsync's seed) and after (server.Seed).
public sealed class FakeLibraryBuilder
{
    private const long TicksPerMinute = 600_000_000;

    internal FakeLibraryBuilder(FakeState state) => State = state;

    public FakeState State { get; }

    private DateTimeOffset Now => State.Time.GetUtcNow();

    public FakeUser User(string name, string password = "", bool admin = false, bool disabled = false)
    {
        var user = new FakeUser { Id = Ids.NewGuid(), Name = name, Password = password, Policy = State.Dialect.DefaultPolicy(admin) };
        user.IsDisabled = disabled;
        return State.AddUser(user);
    }

    public FakeLibrary MovieLibrary(string name = "Movies", params string[] paths) => Library(name, "movies", paths);

    public FakeLibrary ShowLibrary(string name = "Shows", params string[] paths) => Library(name, "tvshows", paths);

    // Without paths the library gets one location, /media/<name>.
    public FakeLibrary Library(string name, string? collectionType, params string[] paths) =>
        ExactLibrary(name, collectionType, paths.Length > 0 ? paths : ["/media/" + name.ToLowerInvariant().Replace(' ', '-')]);

    internal FakeLibrary ExactLibrary(string name, string? collectionType, IReadOnlyList<string> locations)
    {
        var (itemId, guid) = State.Dialect.NewLibraryIds();
        return State.AddLibrary(new FakeLibrary
        {
            ItemId = itemId,
            Guid = guid,
            Name = name,
            CollectionType = collectionType,
            Locations = [.. locations],
            LibraryOptions = State.Dialect.DefaultLibraryOptions(locations),
        });
    }

    public FakeItem Movie(
        string name,
        int? year = null,
        IEnumerable<string>? genres = null,
        string? overview = null,
        IEnumerable<FakePerson>? people = null,
        string? tmdb = null,
        string? imdb = null,
        double? communityRating = null,
        string? officialRating = null,
        IEnumerable<string>? studios = null,
        IEnumerable<string>? tags = null,
        int? runtimeMinutes = null,
        FakeLibrary? library = null,
        Action<FakeItem>? with = null) =>
        Movie(name, new FakeTitle(year, genres, overview, people, communityRating, officialRating, studios, tags, runtimeMinutes)
        {
            ProviderIds = Providers(("Tmdb", tmdb), ("Imdb", imdb)),
        }, library, with);

    public FakeItem Movie(string name, FakeTitle title, FakeLibrary? library = null, Action<FakeItem>? with = null)
    {
        var movie = NewTitle(FakeItemType.Movie, name, title, library ?? DefaultLibrary("movies", () => MovieLibrary()));
        movie.Path += $"/{Path.GetFileName(movie.Path)}.mkv";
        return Add(movie, with);
    }

    // seasons/episodesPerSeason generate numbered seasons and episodes; use Season and Episode for odd shapes.
    public FakeItem Series(
        string name,
        int? year = null,
        IEnumerable<string>? genres = null,
        string? overview = null,
        IEnumerable<FakePerson>? people = null,
        string? tvdb = null,
        string? tmdb = null,
        string? imdb = null,
        double? communityRating = null,
        string? officialRating = null,
        IEnumerable<string>? studios = null,
        IEnumerable<string>? tags = null,
        int seasons = 0,
        int episodesPerSeason = 0,
        string status = "Ended",
        FakeLibrary? library = null,
        Action<FakeItem>? with = null) =>
        Series(name, new FakeTitle(year, genres, overview, people, communityRating, officialRating, studios, tags)
        {
            ProviderIds = Providers(("Tvdb", tvdb), ("Tmdb", tmdb), ("Imdb", imdb)),
        }, seasons, episodesPerSeason, status, library, with);

    public FakeItem Series(
        string name,
        FakeTitle title,
        int seasons = 0,
        int episodesPerSeason = 0,
        string status = "Ended",
        FakeLibrary? library = null,
        Action<FakeItem>? with = null)
    {
        var series = NewTitle(FakeItemType.Series, name, title, library ?? DefaultLibrary("tvshows", () => ShowLibrary()));
        series.Status = status;
        Add(series, with);
        for (var s = 1; s <= seasons; s++)
        {
            var season = Season(series, s);
            for (var e = 1; e <= episodesPerSeason; e++)
            {
                Episode(season, e);
            }
        }
        return series;
    }

    public FakeItem Season(FakeItem series, int? number, string? name = null)
    {
        var season = NewItem(FakeItemType.Season, name ?? (number is { } n ? $"Season {n}" : "Season Unknown"), null, series);
        season.IndexNumber = number;
        season.SeriesId = series.Id;
        season.SeriesName = series.Name;
        season.Path = number is { } m ? $"{series.Path}/Season {m:00}" : series.Path;
        season.ProductionYear = series.ProductionYear;
        return Add(season, null);
    }

    // The parent may be a season, or the series itself for an episode outside any season folder.
    public FakeItem Episode(FakeItem parent, int? number, string? name = null, string? overview = null, int? runtimeMinutes = 45, Action<FakeItem>? with = null)
    {
        var series = parent.Type == FakeItemType.Series ? parent : State.ItemOrNull(parent.SeriesId ?? "") ?? parent;
        var season = parent.Type == FakeItemType.Season ? parent : null;
        var episode = NewItem(FakeItemType.Episode, name ?? (number is { } n ? $"Episode {n}" : "Special"), null, parent);
        episode.SeriesId = series.Id;
        episode.SeriesName = series.Name;
        episode.SeasonId = season?.Id;
        episode.SeasonName = season?.Name;
        episode.ParentIndexNumber = season?.IndexNumber;
        episode.IndexNumber = number;
        episode.Overview = overview;
        episode.RunTimeTicks = runtimeMinutes * TicksPerMinute;
        episode.ProductionYear = series.ProductionYear;
        var code = $"S{episode.ParentIndexNumber ?? 0:00}E{number ?? 0:00}";
        episode.Path = $"{parent.Path}/{series.Name} {code}.mkv";
        return Add(episode, with);
    }

    public FakeItem BoxSet(string name, params FakeItem[] members)
    {
        var set = NewItem(FakeItemType.BoxSet, name, null, null);
        set.Path = $"/config/data/collections/{name} [boxset]";
        set.LinkedItems.AddRange(members.Select(m => new FakeLinkedEntry(State.Dialect.NewItemId(), m.Id)));
        return Add(set, null);
    }

    public FakeItem Playlist(FakeUser owner, string name, IEnumerable<FakeItem> items, bool isPublic = false)
    {
        var playlist = NewItem(FakeItemType.Playlist, name, null, null);
        playlist.Path = $"/config/data/playlists/{name}/playlist.xml";
        playlist.Playlist = new FakePlaylistInfo { OwnerUserId = owner.Id, IsPublic = isPublic };
        playlist.LinkedItems.AddRange(items.Select(m => new FakeLinkedEntry(State.Dialect.PlaylistEntryId(m.Id), m.Id)));
        return Add(playlist, null);
    }

    public FakeUserData Played(FakeUser user, FakeItem item, int playCount = 1, DateTimeOffset? lastPlayed = null, bool favorite = false, double? rating = null) =>
        State.SetUserData(user, item, d =>
        {
            d.Played = true;
            d.PlayCount = playCount;
            d.LastPlayedDate = lastPlayed ?? Now;
            d.IsFavorite = favorite;
            d.Rating = rating;
            d.PlayedPercentage = null;
            d.PlaybackPositionTicks = 0;
        });

    public FakeUserData Favorite(FakeUser user, FakeItem item, bool favorite = true) => State.SetUserData(user, item, d => d.IsFavorite = favorite);

    // Part-watched: not Played, with a position and a percentage.
    public FakeUserData InProgress(FakeUser user, FakeItem item, double percentage, DateTimeOffset? lastPlayed = null) =>
        State.SetUserData(user, item, d =>
        {
            d.PlayedPercentage = percentage;
            d.PlaybackPositionTicks = (long)((item.RunTimeTicks ?? 0) * percentage / 100);
            d.LastPlayedDate = lastPlayed ?? Now;
        });

    // A running client that /Sessions?ControllableByUserId= lists and /Sessions/{id}/Playing can drive.
    public FakeSession Session(FakeUser user, string? client = null, string device = "Firefox", bool remoteControl = true) =>
        State.AddSession(new FakeSession
        {
            Id = Ids.NewGuid(),
            UserId = user.Id,
            UserName = user.Name,
            Client = client ?? State.Dialect.DefaultClientName,
            DeviceName = device,
            DeviceId = Ids.NewGuid(),
            ApplicationVersion = State.Dialect.DefaultVersion,
            SupportsRemoteControl = remoteControl,
            LastActivityDate = Now,
        });

    private FakeLibrary DefaultLibrary(string collectionType, Func<FakeLibrary> create) =>
        State.Libraries.LastOrDefault(l => l.CollectionType == collectionType) ?? create();

    private FakeItem NewItem(FakeItemType type, string name, FakeLibrary? library, FakeItem? parent)
    {
        var now = Now;
        return new FakeItem
        {
            Id = State.Dialect.NewItemId(),
            Type = type,
            Name = name,
            LibraryId = library?.ItemId ?? parent?.LibraryId,
            ParentId = library?.ItemId ?? parent?.Id,
            DateCreated = now,
            DateLastSaved = now,
            PrimaryImageTag = Ids.NewGuid(),
        };
    }

    // A movie or a series: one top-level title in a library folder named "Name (Year)".
    private FakeItem NewTitle(FakeItemType type, string name, FakeTitle title, FakeLibrary library)
    {
        var item = NewItem(type, name, library, parent: null);
        item.Path = $"{library.Locations.FirstOrDefault()}/{(title.Year is null ? name : $"{name} ({title.Year})")}";
        item.ProductionYear = title.Year;
        item.PremiereDate = title.Year is { } y ? new DateTimeOffset(y, 1, 1, 0, 0, 0, TimeSpan.Zero) : null;
        item.Overview = title.Overview;
        item.CommunityRating = title.CommunityRating;
        item.OfficialRating = title.OfficialRating;
        item.RunTimeTicks = title.RuntimeMinutes * TicksPerMinute;
        item.Genres.AddRange(title.Genres ?? []);
        item.People.AddRange(title.People ?? []);
        item.Studios.AddRange(title.Studios ?? []);
        item.Tags.AddRange(title.Tags ?? []);
        foreach (var (provider, id) in title.ProviderIds ?? new Dictionary<string, string>())
        {
            item.ProviderIds[provider] = id;
        }
        return item;
    }

    private static Dictionary<string, string> Providers(params (string Provider, string? Id)[] ids) =>
        ids.Where(p => p.Id is not null).ToDictionary(p => p.Provider, p => p.Id!);

    private FakeItem Add(FakeItem item, Action<FakeItem>? with)
    {
        with?.Invoke(item);
        return State.AddItem(item);
    }
}
