using System.Text.Json.Serialization;
using Aperture.Catalog;
using Aperture.Data;
using Aperture.MediaServers;

namespace Aperture.Browse;

// What the Browse pages and the /api/{movies|series} routes return: one shape per concept, for both kinds.
public sealed record TitleCard(
    long Id,
    string Kind,
    string Name,
    int? Year,
    double? CommunityRating,
    string? OfficialRating,
    IReadOnlyList<string> Genres,
    [property: JsonPropertyName("posterUrl")] TitleImage? Poster,
    DateTimeOffset? DateAdded,
    bool Watched,
    bool IsFavorite,
    int? EpisodeCount,
    int? EpisodesWatched);

public sealed record BrowsePage(IReadOnlyList<TitleCard> Items, int Total, int Page, int PageSize)
{
    public int PageCount => Total == 0 ? 0 : (Total + PageSize - 1) / PageSize;
}

public sealed record GenreCount(string Genre, int Count);

// The genres of one kind's titles with their title counts, and the number of titles of that kind.
public sealed record CatalogGenres(int Titles, IReadOnlyList<GenreCount> Genres);

public sealed record PersonCredit(string Name, string Type, string? Role);

public sealed record ExternalLink(string Provider, string Id, string Url);

// The current user's own state. For a series, Played means "has played episodes of it" (the Browse filter's
// meaning), PlayCount sums its episodes' plays, LastPlayedAt is the latest of them; favourite and rating
// are the series' own.
public sealed record UserWatch(bool Played, int PlayCount, DateTimeOffset? LastPlayedAt, bool IsFavorite, double? Rating, double? PlayedPercentage)
{
    public static readonly UserWatch None = new(false, 0, null, false, null, null);
}

public sealed record EpisodeRow(
    long Id,
    int? SeasonNumber,
    int? EpisodeNumber,
    string Name,
    string? Overview,
    int? RuntimeMinutes,
    DateOnly? PremiereDate,
    bool Played,
    int PlayCount,
    DateTimeOffset? LastPlayedAt);

public sealed record SeasonGroup(int? Number, string Label, int Watched, IReadOnlyList<EpisodeRow> Episodes);

public sealed record SeriesEpisodes(int EpisodeCount, int EpisodesWatched, IReadOnlyList<SeasonGroup> Seasons);

public sealed record TitleDetails(
    long Id,
    string Kind,
    string Name,
    string? OriginalTitle,
    int? Year,
    DateOnly? PremiereDate,
    DateOnly? EndDate,
    int? RuntimeMinutes,
    double? CommunityRating,
    double? CriticRating,
    string? OfficialRating,
    string? Overview,
    IReadOnlyList<string> Taglines,
    IReadOnlyList<string> Genres,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Studios,
    IReadOnlyList<PersonCredit> People,
    string? Status,
    string? LibraryName,
    DateTimeOffset? DateAdded,
    IReadOnlyList<ExternalLink> ExternalLinks,
    [property: JsonPropertyName("posterUrl")] TitleImage? Poster,
    [property: JsonPropertyName("backdropUrl")] TitleImage? Backdrop,
    ServerLink? OpenInServer,
    UserWatch Watch,
    SeriesEpisodes? Episodes);
