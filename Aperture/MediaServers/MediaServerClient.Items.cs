using System.Globalization;
using System.Text;

namespace Aperture.MediaServers;

// Sort names both servers know: Emby answers HTTP 500 to one it does not know, so nothing else is sent.
public static class ItemSortBy
{
    public const string SortName = "SortName";
    public const string DateCreated = "DateCreated";
    public const string DatePlayed = "DatePlayed";
}

// The parameters of GET /Items that the sync uses (MEDIA-SERVER-API.md §4). Paging is the caller's.
public sealed record ItemsQuery
{
    public IReadOnlyList<string> IncludeItemTypes { get; init; } = [];
    public string? UserId { get; init; }

    // One id only: Jellyfin answers 400 to a list, Emby silently finds nothing.
    public string? ParentId { get; init; }
    public IReadOnlyList<string> Ids { get; init; } = [];
    public IReadOnlyList<string> Fields { get; init; } = [];
    public bool Recursive { get; init; } = true;
    public IReadOnlyList<string> SortBy { get; init; } = [];
    public bool Descending { get; init; }
    public bool? IsPlayed { get; init; }
    public bool? IsFavorite { get; init; }
    public string? Filters { get; init; }
    public DateTimeOffset? MinDateLastSaved { get; init; }

    // Jellyfin up to 10.10 ignores MinDateLastSaved; only MinDateLastSavedForUser filters there.
    public DateTimeOffset? MinDateLastSavedForUser { get; init; }
    public bool EnableImages { get; init; } = true;

    // How many tags per image type (a backdrop list can be long); null leaves the server's default.
    public int? ImageTypeLimit { get; init; }
    public bool EnableUserData { get; init; }
}

public sealed partial class MediaServerClient
{
    // The metadata the catalogue sync stores. Jellyfin sends ratings, dates, run time and status unasked; Emby 4.8 sends
    // nothing it is not asked for. MediaSources, ChildCount and RecursiveItemCount are left out: nothing stored comes from
    // them (episode counts are counted from the synced episodes, so they agree with what Aperture has), and MediaSources
    // is the heaviest part of an item.
    private static readonly string[] CatalogFieldsJellyfin =
    [
        "Overview", "Genres", "People", "Studios", "Taglines", "ProviderIds", "DateCreated", "ParentId",
        "Path", "Tags", "OriginalTitle", "SortName",
    ];

    private static readonly string[] EmbyOnlyFields =
    [
        "ProductionYear", "PremiereDate", "EndDate", "CommunityRating", "CriticRating", "OfficialRating", "RunTimeTicks", "Status",
    ];

    // Without these Emby 4.8 reports PlayCount 0 and no LastPlayedDate in UserData.
    private static readonly string[] EmbyUserDataFields = ["UserDataPlayCount", "UserDataLastPlayedDate"];

    public IReadOnlyList<string> CatalogFields => connection.Type == MediaServerType.Emby
        ? [.. CatalogFieldsJellyfin, .. EmbyOnlyFields]
        : CatalogFieldsJellyfin;

    public IReadOnlyList<string> UserDataFields => connection.Type == MediaServerType.Emby ? EmbyUserDataFields : [];

    // Jellyfin before 10.11 ignored MinDateLastSaved (only MinDateLastSavedForUser filtered).
    public static bool MinDateLastSavedWorks(ServerFacts facts) =>
        facts.Type == MediaServerType.Emby || !Version.TryParse(facts.Version, out var v) || v >= new Version(10, 11);

    public async Task<ItemPage> GetItemsAsync(ItemsQuery query, int startIndex, int limit, CancellationToken ct)
    {
        var page = await SendAsync<QueryResultDto<BaseItemDto>>(HttpMethod.Get, ItemsPath(query, startIndex, limit), null, connection.ApiKey, null, ct)
            ?? throw new MediaServerException(MediaServerErrorKind.BadResponse, "The media server answered /Items with an empty body.");
        // Emby's envelope has no StartIndex: the page starts where it was asked to.
        return new ItemPage(page.Items ?? [], page.TotalRecordCount, startIndex);
    }

    private string ItemsPath(ItemsQuery q, int startIndex, int limit)
    {
        var s = new StringBuilder();
        // Emby's documented per-user route; Jellyfin's /Users/{id}/Items is obsolete since 10.9.
        if (q.UserId is not null && connection.Type == MediaServerType.Emby)
        {
            s.Append("Users/").Append(Uri.EscapeDataString(q.UserId)).Append("/Items?");
        }
        else
        {
            s.Append("Items?");
            Add(s, "userId", q.UserId);
        }
        Add(s, "IncludeItemTypes", q.IncludeItemTypes);
        Add(s, "ParentId", q.ParentId);
        Add(s, "Ids", q.Ids);
        Add(s, "Recursive", q.Recursive ? "true" : null);
        Add(s, "Fields", q.Fields);
        Add(s, "SortBy", q.SortBy);
        Add(s, "SortOrder", q.SortBy.Count > 0 ? (q.Descending ? "Descending" : "Ascending") : null);
        Add(s, "IsPlayed", Bool(q.IsPlayed));
        Add(s, "IsFavorite", Bool(q.IsFavorite));
        Add(s, "Filters", q.Filters);
        Add(s, "MinDateLastSaved", Date(q.MinDateLastSaved));
        Add(s, "MinDateLastSavedForUser", Date(q.MinDateLastSavedForUser));
        Add(s, "EnableImages", q.EnableImages ? null : "false");
        Add(s, "ImageTypeLimit", q.ImageTypeLimit?.ToString(CultureInfo.InvariantCulture));
        Add(s, "EnableUserData", q.EnableUserData ? "true" : "false");
        Add(s, "StartIndex", startIndex.ToString(CultureInfo.InvariantCulture));
        Add(s, "Limit", limit.ToString(CultureInfo.InvariantCulture));
        return s.ToString().TrimEnd('&');

        static string? Bool(bool? value) => value is { } b ? (b ? "true" : "false") : null;

        static string? Date(DateTimeOffset? value) => value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
    }

    private static void Add(StringBuilder s, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            s.Append(name).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
        }
    }

    private static void Add(StringBuilder s, string name, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            s.Append(name).Append('=').AppendJoin(',', values.Select(Uri.EscapeDataString)).Append('&');
        }
    }
}
