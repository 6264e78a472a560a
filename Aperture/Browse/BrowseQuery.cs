
namespace Aperture.Browse;

// Relevance: how well the name matches the search (the whole name, then its start, then the start of a word, then anywhere);
// the default while searching, Name otherwise.
public enum BrowseSort { Name, Year, Rating, Added, Relevance }

// What a Browse page or GET /api/{movies|series} asks for. One record for both kinds and both surfaces.
public sealed record BrowseQuery
{
    public const int DefaultPageSize = 48;

    public static readonly IReadOnlyList<string> Sorts = ["name", "year", "rating", "added", "relevance"];
    public static readonly IReadOnlyList<string> Orders = ["asc", "desc"];
    public static readonly IReadOnlyList<string> WatchedValues = ["true", "false"];

    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = DefaultPageSize;
    public string? Genre { get; init; }
    public int? YearFrom { get; init; }
    public int? YearTo { get; init; }
    public string? Search { get; init; }

    // Null: everything; true: what the current user has played (a series: any of its episodes); false: the rest.
    public bool? Watched { get; init; }
    public BrowseSort Sort { get; init; } = BrowseSort.Name;

    // Null: the sort's natural direction (names A→Z; years, ratings and dates newest/highest first).
    public bool? Descending { get; init; }

    public bool IsDescending => Descending ?? Sort is not (BrowseSort.Name or BrowseSort.Relevance);

    // What a query without a sort is sorted by: best match first while searching, names A→Z otherwise.
    public static BrowseSort DefaultSort(string? search) => search is null ? BrowseSort.Name : BrowseSort.Relevance;

    public bool HasFilters => Genre is not null || YearFrom is not null || YearTo is not null || Search is not null || Watched is not null;

    // The canonical query string (defaults left out), so the address bar shows only what was chosen.
    public string ToQueryString(int? page = null)
    {
        var values = new List<KeyValuePair<string, string?>>();
        void Add(string key, object? value)
        {
            if (value is not null)
            {
                values.Add(new(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
        Add("q", Search);
        Add("genre", Genre);
        Add("yearFrom", YearFrom);
        Add("yearTo", YearTo);
        Add("watched", Watched is { } w ? (w ? "true" : "false") : null);
        Add("sort", Sort == DefaultSort(Search) ? null : Sort.ToString().ToLowerInvariant());
        Add("order", Descending is { } d ? (d ? "desc" : "asc") : null);
        Add("pageSize", PageSize == DefaultPageSize ? null : PageSize);
        var p = page ?? Page;
        Add("page", p == 1 ? null : p);
        return QueryString.Create(values).Value ?? "";
    }

    public string Url(string path, int? page = null) => path + ToQueryString(page);
}
