using Aperture.Browse;

namespace Aperture.Web;

// A Browse page's or GET /api/{movies|series}'s query string read into a BrowseQuery; what cannot be read is named in Errors.
public static class BrowseQueryParser
{
    public static (BrowseQuery Query, Dictionary<string, string> Errors) Parse(IQueryCollection query)
    {
        var errors = new Dictionary<string, string>();
        var paging = Paging.Parse(query, BrowseQuery.DefaultPageSize, errors);
        var yearFrom = QueryValues.Int(query, "yearFrom", 1, 9999, "a year such as 1999", errors);
        var yearTo = QueryValues.Int(query, "yearTo", 1, 9999, "a year such as 2024", errors);
        if (yearFrom > yearTo)
        {
            errors["yearTo"] = $"yearTo ({yearTo}) must not be before yearFrom ({yearFrom}).";
            yearTo = null;
        }
        var order = QueryValues.Choice(query, "order", BrowseQuery.Orders, errors);
        var search = QueryValues.Text(query, "q", errors);
        // Without a search there is nothing to match: "relevance" (left in the form after the box was cleared) is by name.
        var sort = QueryValues.Choice(query, "sort", BrowseQuery.Sorts, errors) is { } s ? Enum.Parse<BrowseSort>(s, ignoreCase: true) : BrowseQuery.DefaultSort(search);
        if (sort == BrowseSort.Relevance && search is null)
        {
            sort = BrowseSort.Name;
        }
        var result = new BrowseQuery
        {
            Page = paging.Page,
            PageSize = paging.PageSize,
            Genre = QueryValues.Text(query, "genre", errors),
            YearFrom = yearFrom,
            YearTo = yearTo,
            Search = search,
            Watched = QueryValues.Choice(query, "watched", BrowseQuery.WatchedValues, errors) is { } w ? w == "true" : null,
            Sort = sort,
            Descending = order is null ? null : order == "desc",
        };
        return (result, errors);
    }
}
