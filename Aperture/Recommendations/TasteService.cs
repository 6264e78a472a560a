using System.Text.Json.Serialization;
using Aperture.Catalog;
using Aperture.Browse;
using Aperture.Data;
using Aperture.MediaServers;
using Aperture.Narratives;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Recommendations;

// Genre analysis: how much of the user's viewing is in a genre against how much of the library is.
public sealed record GenreAnalysis(string Genre, double UserShare, double LibraryShare, bool Matches);

public sealed record RecentTitle(long TitleId, string Name, int? Year, DateTimeOffset? LastPlayedAt, bool Favorite, double? Rating, [property: JsonPropertyName("posterUrl")] TitleImage? Poster);

public sealed record TasteProfileView(string UserId, string UserName, string Kind, int WatchedCount, string? Synopsis, string? SynopsisSource,
    DateTimeOffset? GeneratedAt, IReadOnlyList<GenreAnalysis> Genres, IReadOnlyList<RecentTitle> Recent, IReadOnlyList<string> TopPeople,
    int? MedianYear, double? AverageOwnRating);

// A user's taste per kind in words and figures (My Taste, /api/users/{id}/taste-profile). The synopsis is
// written by the recommendation run and on "Regenerate"; the figures are read fresh each time.
public sealed class TasteService(AppDbContext db, NarrativeService narratives, TimeProvider time, CatalogBrowser browser, DataMemo userMemo)
{
    private const int RecentCount = 12;

    private sealed record Watched(long TitleId, string Name, int? Year, IReadOnlyList<string> Genres, List<string> People, DateTimeOffset? LastPlayedAt,
        bool Favorite, double? Rating, string? PrimaryImageTag);

    // Kept per user and data state (new history, a new synopsis or a catalogue change is a new state), see DataMemo.
    public Task<TasteProfileView?> GetAsync(string userId, MediaKind kind, CancellationToken ct) =>
        userMemo.ForUserAsync(db, userId, $"taste:{(int)kind}", c => ReadAsync(userId, kind, c), ct);

    private async Task<TasteProfileView?> ReadAsync(string userId, MediaKind kind, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.Id, u.Name }).FirstOrDefaultAsync(ct);
        if (user is null)
        {
            return null;
        }
        var watched = await WatchedAsync(userId, kind, ct);
        var stored = await db.TasteProfiles.AsNoTracking().FirstOrDefaultAsync(t => t.UserId == userId && t.Kind == kind, ct);
        var story = Story(user.Name, kind, watched);
        var library = await LibraryGenreSharesAsync(kind, ct);
        var userShares = story.TopGenres.ToDictionary(g => g.Genre, g => g.Share, StringComparer.OrdinalIgnoreCase);
        var genres = userShares.Keys.Union(library.OrderByDescending(kv => kv.Value).Take(8).Select(kv => kv.Key), StringComparer.OrdinalIgnoreCase)
            .Select(g => new GenreAnalysis(g, Math.Round(userShares.GetValueOrDefault(g), 3), Math.Round(library.GetValueOrDefault(g), 3),
                userShares.GetValueOrDefault(g) > 0 && userShares.GetValueOrDefault(g) >= library.GetValueOrDefault(g)))
            .OrderByDescending(g => g.UserShare).ThenByDescending(g => g.LibraryShare).ThenBy(g => g.Genre, StringComparer.OrdinalIgnoreCase)
            .ToList();
        var recent = watched.OrderByDescending(w => w.LastPlayedAt ?? DateTimeOffset.MinValue).ThenByDescending(w => w.TitleId).Take(RecentCount)
            .Select(w => new RecentTitle(w.TitleId, w.Name, w.Year, w.LastPlayedAt, w.Favorite, w.Rating, TitleImage.Of(w.TitleId, ServerImageType.Primary, w.PrimaryImageTag)))
            .ToList();
        return new TasteProfileView(user.Id, user.Name, kind.Slug(), watched.Count, stored?.Synopsis, stored?.SynopsisSource, stored?.GeneratedAt,
            genres, recent, story.TopPeople, story.MedianYear, story.AverageOwnRating);
    }

    // Writes (or rewrites) the synopsis: the model when one is configured, else the local writer.
    public async Task<TasteProfileView?> RegenerateAsync(string userId, MediaKind kind, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.Id, u.Name }).FirstOrDefaultAsync(ct);
        if (user is null)
        {
            return null;
        }
        var narrative = await narratives.DescribeTasteAsync(Story(user.Name, kind, await WatchedAsync(userId, kind, ct)), ct);
        var row = await db.TasteProfiles.FirstOrDefaultAsync(t => t.UserId == userId && t.Kind == kind, ct);
        if (row is null)
        {
            db.TasteProfiles.Add(row = new TasteProfileRecord { UserId = userId, Kind = kind });
        }
        row.Synopsis = narrative.Text;
        row.SynopsisSource = narrative.Source;
        row.GeneratedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return await GetAsync(userId, kind, ct);
    }

    // What a recommendation run's batches share: each title's people, read once per run instead of once per batch that watched it.
    public sealed class RunCache
    {
        internal Dictionary<long, List<string>> PeopleOf { get; } = [];

        // The run's catalogue: a batch's watch rows are then read without each title's name, year and genres (a JSON
        // column parsed once per watch otherwise); a title missing from it is read as before.
        public IReadOnlyDictionary<long, CatalogTitle>? Titles { get; init; }
    }

    private sealed record WatchRow(string UserId, long TitleId, string Name, int? Year, IReadOnlyList<string> Genres, string? PrimaryImageTag,
        DateTimeOffset? LastPlayedAt, bool IsFavorite, double? Rating, bool IsEpisode);

    private async Task<List<Watched>> WatchedAsync(string userId, MediaKind kind, CancellationToken ct) =>
        (await WatchedAsync([userId], kind, ct)).GetValueOrDefault(userId) ?? [];

    // Several users' watched titles in one query (and their people in one more): the recommendation run writes synopses for
    // a batch of users at a time.
    private async Task<Dictionary<string, List<Watched>>> WatchedAsync(IReadOnlyCollection<string> userIds, MediaKind kind, CancellationToken ct,
        RunCache? cache = null)
    {
        var watches = db.WatchStates.AsNoTracking()
            .Where(w => userIds.Contains(w.UserId) && w.Title.Kind == kind && (w.Played || w.PlayedPercentage > 0 || w.IsFavorite || w.Rating != null));
        List<WatchRow> rows;
        if (cache?.Titles is { } titles)
        {
            var bare = await watches.Select(w => new { w.UserId, w.TitleId, w.LastPlayedAt, w.IsFavorite, w.Rating, IsEpisode = w.EpisodeId != null })
                .ToListAsync(ct);
            var missing = bare.Select(r => r.TitleId).Where(id => !titles.ContainsKey(id)).Distinct().ToList();
            var others = missing.Count == 0 ? [] : await db.Titles.AsNoTracking().Where(t => missing.Contains(t.Id))
                .Select(t => new { t.Id, t.Name, t.Year, t.Genres }).ToDictionaryAsync(t => t.Id, ct);
            rows = bare.Select(r => titles.TryGetValue(r.TitleId, out var t)
                    ? new WatchRow(r.UserId, r.TitleId, t.Name, t.Year, t.Genres, null, r.LastPlayedAt, r.IsFavorite, r.Rating, r.IsEpisode)
                    : others.TryGetValue(r.TitleId, out var o)
                    ? new WatchRow(r.UserId, r.TitleId, o.Name, o.Year, o.Genres, null, r.LastPlayedAt, r.IsFavorite, r.Rating, r.IsEpisode)
                    : null)
                .OfType<WatchRow>().ToList();
        }
        else
        {
            rows = await watches.Select(w => new WatchRow(w.UserId, w.TitleId, w.Title.Name, w.Title.Year, w.Title.Genres, w.Title.PrimaryImageTag,
                w.LastPlayedAt, w.IsFavorite, w.Rating, w.EpisodeId != null)).ToListAsync(ct);
        }
        var peopleOf = cache?.PeopleOf ?? [];
        var ids = rows.Select(r => r.TitleId).Distinct().Where(id => !peopleOf.ContainsKey(id)).ToList();
        foreach (var chunk in ids.Chunk(5000))
        {
            foreach (var p in await db.Titles.AsNoTracking().Where(t => chunk.Contains(t.Id)).Select(t => new { t.Id, t.People }).ToListAsync(ct))
            {
                peopleOf[p.Id] = p.People.Where(x => x.Type is "Director" or "Actor").Take(4).Select(x => x.Name).ToList();
            }
        }
        return rows.GroupBy(r => r.UserId, StringComparer.Ordinal).ToDictionary(u => u.Key, u => u.GroupBy(r => r.TitleId).Select(g =>
        {
            var own = g.FirstOrDefault(r => !r.IsEpisode) ?? g.First();
            return new Watched(g.Key, own.Name, own.Year, own.Genres, peopleOf.GetValueOrDefault(g.Key) ?? [], g.Max(r => r.LastPlayedAt),
                g.Any(r => !r.IsEpisode && r.IsFavorite), g.Where(r => !r.IsEpisode).Select(r => r.Rating).FirstOrDefault(), own.PrimaryImageTag);
        }).ToList(), StringComparer.Ordinal);
    }

    // The recommendation run's synopses: a batch of users read in two queries and written in one save, instead of four
    // queries and a save per user (the figures My Taste shows are read when it is opened, not here).
    public async Task RegenerateManyAsync(IReadOnlyList<(string Id, string Name)> users, MediaKind kind, CancellationToken ct, RunCache? cache = null)
    {
        if (users.Count == 0)
        {
            return;
        }
        var ids = users.Select(u => u.Id).ToList();
        var watched = await WatchedAsync(ids, kind, ct, cache);
        var rows = await db.TasteProfiles.Where(t => ids.Contains(t.UserId) && t.Kind == kind).ToDictionaryAsync(t => t.UserId, StringComparer.Ordinal, ct);
        var now = time.GetUtcNow();
        foreach (var (id, name) in users)
        {
            var narrative = await narratives.DescribeTasteAsync(Story(name, kind, watched.GetValueOrDefault(id) ?? []), ct);
            if (!rows.TryGetValue(id, out var row))
            {
                db.TasteProfiles.Add(row = new TasteProfileRecord { UserId = id, Kind = kind });
                rows[id] = row;
            }
            row.Synopsis = narrative.Text;
            row.SynopsisSource = narrative.Source;
            row.GeneratedAt = now;
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    private static TasteStory Story(string userName, MediaKind kind, List<Watched> watched)
    {
        var genres = watched.SelectMany(w => w.Genres.Distinct(StringComparer.OrdinalIgnoreCase))
            .GroupBy(g => g, StringComparer.OrdinalIgnoreCase)
            .Select(g => new GenreShare(g.Key, g.Count() / (double)Math.Max(1, watched.Count)))
            .OrderByDescending(g => g.Share).ThenBy(g => g.Genre, StringComparer.OrdinalIgnoreCase).Take(8).ToList();
        var favourites = watched.Where(w => w.Favorite || w.Rating >= 8).OrderByDescending(w => w.Favorite).ThenByDescending(w => w.Rating)
            .ThenByDescending(w => w.LastPlayedAt).Take(5).Select(w => w.Name).ToList();
        var recent = watched.OrderByDescending(w => w.LastPlayedAt ?? DateTimeOffset.MinValue).Take(5).Select(w => w.Name).ToList();
        var people = watched.SelectMany(w => w.People).GroupBy(p => p).Where(g => g.Count() > 1)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(5).Select(g => g.Key).ToList();
        var years = watched.Where(w => w.Year is not null).Select(w => w.Year!.Value).Order().ToList();
        var ratings = watched.Where(w => w.Rating is not null).Select(w => w.Rating!.Value).ToList();
        return new TasteStory(kind, userName, watched.Count, genres, favourites, recent, people,
            years.Count == 0 ? null : years[years.Count / 2], ratings.Count == 0 ? null : Math.Round(ratings.Average(), 1));
    }

    // The share of the kind's titles in each genre: counted by the catalogue browser (once per catalogue state), so My
    // Taste's library column and Browse's genre list agree. SQLite's lower() folds ASCII only, so names that differ in the
    // case of other letters come as two genres: they are one here.
    private async Task<IReadOnlyDictionary<string, double>> LibraryGenreSharesAsync(MediaKind kind, CancellationToken ct)
    {
        var genres = await browser.GenreCountsAsync(kind, ct);
        return genres.Genres.GroupBy(g => g.Genre, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => Math.Min(1, g.Sum(c => c.Count) / (double)Math.Max(1, genres.Titles)), StringComparer.OrdinalIgnoreCase);
    }
}
