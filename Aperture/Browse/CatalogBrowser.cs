using Aperture.Catalog;
using Aperture.Data;
using Aperture.History;
using Aperture.MediaServers;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Browse;

// Reads the synced catalogue for the Browse pages and the catalogue API; one implementation for movies and series.
public sealed class CatalogBrowser(AppDbContext db, DatabaseTarget target, MediaServerSettings settings, CatalogMemo memo, DataMemo userMemo)
{
    public Task<bool> AnyAsync(MediaKind kind, CancellationToken ct) => db.Titles.AnyAsync(t => t.Kind == kind, ct);

    public async Task<BrowsePage> SearchAsync(MediaKind kind, BrowseQuery query, string userId, CancellationToken ct)
    {
        // "Watched" filters by the user's own history: that form is kept per user and data state (DataMemo). Every other
        // query's page (which titles, in which order, how many) is the same for everyone until the catalogue changes, so it
        // is computed once per catalogue state; the user's own marks (watched, favourite, episodes seen) on the page's titles
        // are kept per user and data state, apart and keyed by the titles they are for, so a user's memo holds a few ids, not
        // a copy of the cards.
        var key = $"browse:{(int)kind}:{query.ToQueryString()}";
        var page = query.Watched is null
            ? await memo.GetAsync(db, key, c => ReadPageAsync(kind, query, userId, c), ct)
            : await userMemo.ForUserAsync(db, userId, key, c => ReadPageAsync(kind, query, userId, c), ct);
        var ids = page.Rows.Select(r => r.Id).ToList();
        var marks = ids.Count == 0 ? [] : await userMemo.ForUserAsync(db, userId, $"marks:{string.Join(',', ids)}", async c => (IReadOnlyList<Mark>)await db.WatchStates.AsNoTracking()
            .Where(w => w.UserId == userId && ids.Contains(w.TitleId) && (w.Played || w.IsFavorite))
            .Select(w => new Mark(w.TitleId, w.EpisodeId, w.Played, w.IsFavorite))
            .ToListAsync(c), ct);
        var byTitle = marks.ToLookup(m => m.TitleId);
        var series = kind == MediaKind.Series;
        var items = page.Rows.Select(r =>
        {
            var own = byTitle[r.Id];
            return new TitleCard(r.Id, kind.Word(), r.Name, r.Year, r.CommunityRating, r.OfficialRating, r.Genres,
                TitleImage.Of(r.Id, ServerImageType.Primary, r.PrimaryImageTag), r.DateCreated,
                own.Any(m => m.Played), own.Any(m => m.EpisodeId is null && m.IsFavorite),
                series ? r.Episodes : null, series ? own.Count(m => m.EpisodeId is not null && m.Played) : null);
        }).ToList();
        return new BrowsePage(items, page.Total, query.Page, query.PageSize);
    }

    private sealed record Mark(long TitleId, long? EpisodeId, bool Played, bool IsFavorite);

    // One page of the catalogue for a query, without anything of the user's but the Watched filter (when asked for).
    private sealed record PageRows(int Total, IReadOnlyList<CardRow> Rows);

    private sealed record CardRow(long Id, string Name, int? Year, double? CommunityRating, string? OfficialRating, IReadOnlyList<string> Genres,
        string? PrimaryImageTag, DateTimeOffset? DateCreated, int Episodes);

    private async Task<PageRows> ReadPageAsync(MediaKind kind, BrowseQuery query, string userId, CancellationToken ct)
    {
        var titles = Filter(db.Titles.AsNoTracking().Where(t => t.Kind == kind), query, userId);
        var total = await titles.CountAsync(ct);
        var rows = await Sort(titles, query)
            .Skip((query.Page - 1) * query.PageSize)
            .Take(query.PageSize)
            .Select(t => new CardRow(t.Id, t.Name, t.Year, t.CommunityRating, t.OfficialRating, t.Genres, t.PrimaryImageTag, t.DateCreated,
                t.Episodes.Count))
            .ToListAsync(ct);
        return new PageRows(total, rows);
    }

    public async Task<IReadOnlyList<GenreCount>> GenresAsync(MediaKind kind, CancellationToken ct) => (await GenreCountsAsync(kind, ct)).Genres;

    // How many titles of the kind have each genre, and how many titles the kind has: Browse's genre list and My Taste's
    // library shares. Computed once per catalogue state (see CatalogMemo).
    public Task<CatalogGenres> GenreCountsAsync(MediaKind kind, CancellationToken ct) =>
        memo.GetAsync(db, $"genres:{(int)kind}", c => ReadGenresAsync(kind, c), ct);

    private async Task<CatalogGenres> ReadGenresAsync(MediaKind kind, CancellationToken ct)
    {
        // Unnesting a list column and grouping needs SQL APPLY in EF, which SQLite lacks: each database gets its own form.
        // Genres that differ only in case are one genre, as the Browse filter (lower() on both sides) treats them, and a title
        // counts once per genre however often its list names it.
        var rows = await (target.Provider == DatabaseProvider.Postgres
            ? db.Database.SqlQuery<GenreRow>($"""SELECT MIN(g) AS "Genre", COUNT(DISTINCT t."Id")::int AS "Count" FROM titles AS t, unnest(t."Genres") AS g WHERE t."Kind" = {(int)kind} GROUP BY lower(g)""")
            : db.Database.SqlQuery<GenreRow>($"""SELECT MIN(j.value) AS "Genre", COUNT(DISTINCT t."Id") AS "Count" FROM titles AS t, json_each(t."Genres") AS j WHERE t."Kind" = {(int)kind} GROUP BY lower(j.value)"""))
            .ToListAsync(ct);
        var titles = await db.Titles.CountAsync(t => t.Kind == kind, ct);
        // Sorted here: the two databases collate names differently.
        return new CatalogGenres(titles, [.. rows.Select(r => new GenreCount(r.Genre, r.Count)).OrderBy(g => g.Genre, StringComparer.OrdinalIgnoreCase)]);
    }

    private sealed class GenreRow
    {
        public string Genre { get; set; } = "";
        public int Count { get; set; }
    }

    // Kept per user and data state (the user's own watch state is on the page), see DataMemo.
    public Task<TitleDetails?> GetAsync(MediaKind kind, long id, string userId, CancellationToken ct) =>
        userMemo.ForUserAsync(db, userId, $"title:{(int)kind}:{id}", c => ReadTitleAsync(kind, id, userId, c), ct);

    private async Task<TitleDetails?> ReadTitleAsync(MediaKind kind, long id, string userId, CancellationToken ct)
    {
        var title = await db.Titles.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && t.Kind == kind, ct);
        if (title is null)
        {
            return null;
        }
        var library = await db.Libraries.Where(l => l.Id == title.LibraryId).Select(l => l.Name).FirstOrDefaultAsync(ct);
        var states = await db.WatchStates.AsNoTracking().Where(w => w.UserId == userId && w.TitleId == id).ToListAsync(ct);
        var own = states.FirstOrDefault(s => s.EpisodeId is null);
        SeriesEpisodes? episodes = null;
        var watch = own is null ? UserWatch.None
            : new UserWatch(own.Played, own.PlayCount, own.LastPlayedAt, own.IsFavorite, own.Rating, own.PlayedPercentage);
        if (kind == MediaKind.Series)
        {
            episodes = await EpisodesAsync(id, states, ct);
            var episodeStates = states.Where(s => s.EpisodeId is not null).ToList();
            watch = watch with
            {
                Played = states.Any(s => s.Played),
                PlayCount = episodeStates.Sum(s => s.PlayCount),
                LastPlayedAt = states.Max(s => s.LastPlayedAt),
                PlayedPercentage = null,
            };
        }
        var config = await settings.GetAsync(ct);

        return new TitleDetails(
            title.Id, kind.Word(), title.Name,
            string.Equals(title.OriginalTitle, title.Name, StringComparison.Ordinal) ? null : title.OriginalTitle,
            title.Year, title.PremiereDate, title.EndDate, title.RuntimeMinutes, title.CommunityRating, title.CriticRating,
            title.OfficialRating, title.Overview, title.Taglines, title.Genres, title.Tags, title.Studios,
            [.. title.People.Select((p, i) => (p, i)).OrderBy(x => PersonOrder(x.p.Type)).ThenBy(x => x.i)
                .Select(x => new PersonCredit(x.p.Name, x.p.Type, string.IsNullOrWhiteSpace(x.p.Role) ? null : x.p.Role))],
            title.Status, library, title.DateCreated, ExternalLinks(kind, title),
            TitleImage.Of(title.Id, ServerImageType.Primary, title.PrimaryImageTag),
            TitleImage.Of(title.Id, ServerImageType.Backdrop, title.BackdropImageTag),
            MediaServerLinks.ForItem(config.Detected, config.LinkBaseUrl, title.ServerItemId),
            watch, episodes);
    }

    // ToLower() here is SQL lower(), not .NET: the StringComparison overloads the analyzer suggests do not translate.
#pragma warning disable CA1862
    private IQueryable<Title> Filter(IQueryable<Title> titles, BrowseQuery query, string userId)
    {
        if (query.Genre is { } genre)
        {
            var wanted = genre.ToLowerInvariant();
            titles = titles.Where(t => t.Genres.Any(g => g.ToLower() == wanted));
        }
        if (query.YearFrom is { } from)
        {
            titles = titles.Where(t => t.Year >= from);
        }
        if (query.YearTo is { } to)
        {
            titles = titles.Where(t => t.Year <= to);
        }
        if (query.Search is { } search)
        {
            var text = search.ToLowerInvariant();
            titles = titles.Where(t => t.Name.ToLower().Contains(text) || (t.OriginalTitle != null && t.OriginalTitle.ToLower().Contains(text)));
        }
        if (query.Watched is { } watched)
        {
            // Watch states of a series carry the series id on every episode row, so one test covers both kinds:
            // a series counts as watched once any of its episodes (or the series itself) is played.
            titles = titles.Where(t => db.WatchStates.Any(w => w.UserId == userId && w.TitleId == t.Id && w.Played) == watched);
        }
        return titles;
    }
#pragma warning restore CA1862

    private static IOrderedQueryable<Title> Sort(IQueryable<Title> titles, BrowseQuery query)
    {
        var desc = query.IsDescending;
        // Missing years, ratings and dates go last in either direction (the databases disagree on where NULL sorts).
        var sorted = query.Sort switch
        {
            BrowseSort.Year => Direction(titles.OrderBy(t => t.Year == null), t => t.Year, desc),
            BrowseSort.Rating => Direction(titles.OrderBy(t => t.CommunityRating == null), t => t.CommunityRating, desc),
            BrowseSort.Added => Direction(titles.OrderBy(t => t.DateCreated == null), t => t.DateCreated, desc),
            BrowseSort.Relevance when query.Search is { } search => Direction(desc
                ? titles.OrderByDescending(Match(search.ToLowerInvariant()))
                : titles.OrderBy(Match(search.ToLowerInvariant())), t => t.Name.Length, desc),
            _ => desc ? titles.OrderByDescending(t => (t.SortName ?? t.Name).ToLower()) : titles.OrderBy(t => (t.SortName ?? t.Name).ToLower()),
        };
        return sorted.ThenBy(t => (t.SortName ?? t.Name).ToLower()).ThenBy(t => t.Id);
    }

    // How a title's names meet the search text, best first, as one SQL expression: 0 the whole name (or original title), 1 the
    // name's start (or its sort name's: "heat, the" for "The Heat"), 2 the start of a word in the name, 3 anywhere (which is
    // all the filter asks: "Heat" is in "Theater"); within each, the shorter name first, as the nearer to what was typed.
    // So a search for "heat" lists Heat before Heathers, Body Heat and City Heat, and all of them before Mystery Science
    // Theater.
#pragma warning disable CA1862
    private static System.Linq.Expressions.Expression<Func<Title, int>> Match(string text)
    {
        var word = " " + text;
        return t => t.Name.ToLower() == text || (t.OriginalTitle != null && t.OriginalTitle.ToLower() == text) ? 0
            : t.Name.ToLower().StartsWith(text) || (t.SortName != null && t.SortName.ToLower().StartsWith(text)) ? 1
            : (" " + t.Name.ToLower()).Contains(word) || (t.OriginalTitle != null && (" " + t.OriginalTitle.ToLower()).Contains(word)) ? 2
            : 3;
    }
#pragma warning restore CA1862

    private static IOrderedQueryable<Title> Direction<TKey>(IOrderedQueryable<Title> titles, System.Linq.Expressions.Expression<Func<Title, TKey>> key, bool desc) =>
        desc ? titles.ThenByDescending(key) : titles.ThenBy(key);

    private async Task<SeriesEpisodes> EpisodesAsync(long seriesId, List<WatchState> states, CancellationToken ct)
    {
        var byEpisode = states.Where(s => s.EpisodeId is not null).ToDictionary(s => s.EpisodeId!.Value);
        var episodes = await db.Episodes.AsNoTracking().Where(e => e.SeriesId == seriesId)
            .Select(e => new { e.Id, e.SeasonNumber, e.EpisodeNumber, e.Name, e.Overview, e.RuntimeMinutes, e.PremiereDate })
            .ToListAsync(ct);
        var rows = episodes.Select(e =>
        {
            var state = byEpisode.GetValueOrDefault(e.Id);
            return new EpisodeRow(e.Id, e.SeasonNumber, e.EpisodeNumber, e.Name, e.Overview, e.RuntimeMinutes, e.PremiereDate,
                state?.Played ?? false, state?.PlayCount ?? 0, state?.LastPlayedAt);
        }).ToList();
        var seasons = rows.GroupBy(e => e.SeasonNumber)
            // Numbered seasons first, then specials (season 0), then episodes the server could not place in a season.
            .OrderBy(g => g.Key switch { null => 2, 0 => 1, _ => 0 }).ThenBy(g => g.Key)
            .Select(g => new SeasonGroup(g.Key, SeasonLabel(g.Key), g.Count(e => e.Played),
                [.. g.OrderBy(e => e.EpisodeNumber is null).ThenBy(e => e.EpisodeNumber)
                    .ThenBy(e => e.PremiereDate is null).ThenBy(e => e.PremiereDate)
                    .ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase)]))
            .ToList();
        return new SeriesEpisodes(rows.Count, rows.Count(e => e.Played), seasons);
    }

    public static string SeasonLabel(int? number) => number switch
    {
        null => "Other episodes",
        0 => "Specials",
        _ => $"Season {number}",
    };

    private static int PersonOrder(string type) => type switch
    {
        "Director" => 0,
        "Writer" => 1,
        "Actor" => 2,
        "GuestStar" => 3,
        _ => 4,
    };

    private static List<ExternalLink> ExternalLinks(MediaKind kind, Title title)
    {
        var links = new List<ExternalLink>();
        if (title.ImdbId is { Length: > 0 } imdb)
        {
            links.Add(new("IMDb", imdb, $"https://www.imdb.com/title/{Uri.EscapeDataString(imdb)}/"));
        }
        if (title.TmdbId is { Length: > 0 } tmdb)
        {
            links.Add(new("TMDB", tmdb, $"https://www.themoviedb.org/{(kind == MediaKind.Movie ? "movie" : "tv")}/{Uri.EscapeDataString(tmdb)}"));
        }
        if (title.TvdbId is { Length: > 0 } tvdb)
        {
            links.Add(new("TVDB", tvdb, $"https://thetvdb.com/dereferrer/{(kind == MediaKind.Movie ? "movie" : "series")}/{Uri.EscapeDataString(tvdb)}"));
        }
        return links;
    }
}
