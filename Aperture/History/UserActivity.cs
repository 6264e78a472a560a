using System.Text.Json.Serialization;
using Aperture.Catalog;
using Aperture.Browse;
using Aperture.Data;
using Aperture.MediaServers;
using Microsoft.EntityFrameworkCore;
using Aperture.Wording;

namespace Aperture.History;

public sealed record UserSummary(string Id, string Name, bool IsAdmin, bool IsDisabled, bool PresentOnServer,
    DateTimeOffset? FirstLoginAt, DateTimeOffset? LastLoginAt, [property: System.Text.Json.Serialization.JsonIgnore] MediaKindSet PicksKinds)
{
    // The slugs of the kinds this user gets picks of ("movies", "series").
    public IReadOnlyList<string> Picks => [.. MediaKinds.All.Where(k => PicksKinds.Contains(k)).Select(k => k.Slug())];
}

// One movie or episode the user played (or started).
public sealed record HistoryEntry(
    string Kind,
    long TitleId,
    string TitleName,
    int? Year,
    long? EpisodeId,
    string? EpisodeName,
    int? SeasonNumber,
    int? EpisodeNumber,
    bool Played,
    int PlayCount,
    DateTimeOffset? LastPlayedAt,
    double? PlayedPercentage,
    bool IsFavorite,
    double? Rating,
    [property: JsonPropertyName("posterUrl")] TitleImage? Poster);

public sealed record HistoryPage(IReadOnlyList<HistoryEntry> Items, int Total, int Page, int PageSize);

// Per kind: titles watched (a series once any episode is played), episodes watched (series only),
// favourites, hours watched (runtime × play count of every played movie or episode; part-watched items
// are not counted), and the genres the user watches most (each watched title counted once).
public sealed record KindStats(int Watched, int? EpisodesWatched, int Favorites, double HoursWatched, IReadOnlyList<GenreCount> TopGenres);

public sealed record UserStats(string UserId, string Name, KindStats Movies, KindStats Series, double HoursWatched);

// A user's own activity, read from the synced watch states.
public sealed class UserActivity(AppDbContext db)
{
    public const int TopGenreCount = 10;

    public async Task<IReadOnlyList<UserSummary>> UsersAsync(CancellationToken ct) =>
        [.. (await Summaries(db.Users.AsNoTracking()).ToListAsync(ct)).OrderBy(u => u.Name, NaturalOrder.Instance)];

    public Task<UserSummary?> UserAsync(string id, CancellationToken ct) =>
        Summaries(db.Users.AsNoTracking().Where(u => u.Id == id)).FirstOrDefaultAsync(ct);

    // Newest first; an item with no known play date (marked played by hand) comes after every dated one.
    public async Task<HistoryPage> HistoryAsync(string userId, int page, int pageSize, CancellationToken ct)
    {
        var rows = db.WatchStates.AsNoTracking()
            .Where(w => w.UserId == userId && (w.Played || w.LastPlayedAt != null)
                && (w.EpisodeId != null || w.Title.Kind == MediaKind.Movie));
        var total = await rows.CountAsync(ct);
        var items = await rows
            .OrderBy(w => w.LastPlayedAt == null).ThenByDescending(w => w.LastPlayedAt).ThenByDescending(w => w.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(w => new
            {
                w.TitleId,
                TitleName = w.Title.Name,
                w.Title.Year,
                w.Title.PrimaryImageTag,
                w.EpisodeId,
                EpisodeName = w.Episode == null ? null : w.Episode.Name,
                SeasonNumber = w.Episode == null ? null : w.Episode.SeasonNumber,
                EpisodeNumber = w.Episode == null ? null : w.Episode.EpisodeNumber,
                w.Played,
                w.PlayCount,
                w.LastPlayedAt,
                w.PlayedPercentage,
                w.IsFavorite,
                w.Rating,
            })
            .ToListAsync(ct);
        return new HistoryPage([.. items.Select(i => new HistoryEntry(i.EpisodeId is null ? "movie" : "episode", i.TitleId, i.TitleName, i.Year,
            i.EpisodeId, i.EpisodeName, i.SeasonNumber, i.EpisodeNumber, i.Played, i.PlayCount, i.LastPlayedAt, i.PlayedPercentage,
            i.IsFavorite, i.Rating, TitleImage.Of(i.TitleId, ServerImageType.Primary, i.PrimaryImageTag)))],
            total, page, pageSize);
    }

    public async Task<UserStats?> StatsAsync(string userId, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.Id, u.Name }).FirstOrDefaultAsync(ct);
        if (user is null)
        {
            return null;
        }
        var movies = await KindStatsAsync(userId, MediaKind.Movie, ct);
        var series = await KindStatsAsync(userId, MediaKind.Series, ct);
        return new UserStats(user.Id, user.Name, movies, series, Math.Round(movies.HoursWatched + series.HoursWatched, 1));
    }

    private async Task<KindStats> KindStatsAsync(string userId, MediaKind kind, CancellationToken ct)
    {
        var states = db.WatchStates.AsNoTracking().Where(w => w.UserId == userId && w.Title.Kind == kind);
        var watchedTitles = db.Titles.AsNoTracking()
            .Where(t => t.Kind == kind && db.WatchStates.Any(w => w.UserId == userId && w.TitleId == t.Id && w.Played));
        var watched = await watchedTitles.CountAsync(ct);
        int? episodes = kind == MediaKind.Series ? await states.CountAsync(w => w.EpisodeId != null && w.Played, ct) : null;
        var favorites = await states.CountAsync(w => w.EpisodeId == null && w.IsFavorite, ct);
        // A series' own row has no runtime of its own to count: its episodes carry the time.
        var minutes = await states
            .Where(w => w.Played && (w.EpisodeId != null || kind == MediaKind.Movie))
            .SumAsync(w => (long)((w.EpisodeId != null ? w.Episode!.RuntimeMinutes : w.Title.RuntimeMinutes) ?? 0) * (w.PlayCount > 1 ? w.PlayCount : 1), ct);
        var genres = await watchedTitles.Select(t => t.Genres).ToListAsync(ct);
        var top = genres.SelectMany(g => g.Distinct(StringComparer.OrdinalIgnoreCase))
            .GroupBy(g => g, StringComparer.OrdinalIgnoreCase)
            .Select(g => new GenreCount(g.Key, g.Count()))
            .OrderByDescending(g => g.Count).ThenBy(g => g.Genre, StringComparer.OrdinalIgnoreCase)
            .Take(TopGenreCount)
            .ToList();
        return new KindStats(watched, episodes, favorites, Math.Round(minutes / 60.0, 1), top);
    }

    private static IQueryable<UserSummary> Summaries(IQueryable<AppUser> users) =>
        users.Select(u => new UserSummary(u.Id, u.Name, u.IsAdmin, u.IsDisabled, u.PresentOnServer, u.FirstLoginAt, u.LastLoginAt, u.PicksKinds));
}
