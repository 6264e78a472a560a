using Aperture.Fakes.Wire;

namespace Aperture.Fakes.Api;

// GET /Items and its relatives (/Users/{id}/Items, /Shows/{id}/Episodes, /Playlists/{id}/Items): one filter, sort and page
// engine over the state, with the §4 parameters.
internal sealed class ItemQuery
{
    private static readonly Comparer<object?> KeyComparer = Comparer<object?>.Create(CompareKeys);

    private readonly FakeRequest q;
    private readonly FakeUser? user;
    private readonly FakeState state;
    private readonly bool typed;
    private readonly string[] filters;

    // Every parameter present becomes one test, parsed once: a page over 40k items must not re-read the query per item.
    private readonly List<Func<FakeItem, bool>> tests = [];

    private ItemQuery(FakeRequest request, FakeUser? user)
    {
        q = request;
        this.user = user;
        state = request.State;
        filters = request.QueryList("Filters");
        var types = request.QueryList("IncludeItemTypes");
        typed = types.Length > 0;
        if (typed)
        {
            var wanted = ItemTypes(types);
            tests.Add(i => wanted.Contains(i.Type));
        }
        if (request.QueryList("ExcludeItemTypes") is { Length: > 0 } excluded)
        {
            var unwanted = ItemTypes(excluded);
            tests.Add(i => !unwanted.Contains(i.Type));
        }
        AddUserDataTests();
        AddMetadataTests();
    }

    // source: a fixed set of rows (episodes of a series, a playlist's entries); null means the §4 ParentId/Ids/Recursive rules.
    // keepOrder: without SortBy, keep the source's order (a playlist's own order) rather than the default one.
    public static Reply Run(FakeRequest request, FakeUser? user, IEnumerable<ItemRow>? source = null, bool keepOrder = false)
    {
        var query = new ItemQuery(request, user);
        var sortBy = request.QueryList("SortBy");
        if (sortBy.FirstOrDefault(s => !request.Dialect.KnowsSortBy(s)) is { } unknown)
        {
            return Reply.Text(request.Dialect.UnknownSortStatus, $"Unknown SortBy value '{unknown}'.");
        }
        var parentId = request.Query("ParentId");
        if (source is null && parentId?.Contains(',', StringComparison.Ordinal) == true)
        {
            return request.Dialect.ParentIdListStatus is { } status
                ? Reply.Text(status, "The value is not valid for ParentId.")
                : query.Respond([], 0);
        }
        if (source is null && parentId is null && request.Query("Ids") is null && request.QueryBool("Recursive") != true)
        {
            // Not recursive and no parent: the user's root folder, whose children are the libraries.
            return query.Views();
        }
        var start = Math.Max(0, request.QueryInt("StartIndex") ?? 0);
        var cacheKey = sortBy.Contains("Random", StringComparer.OrdinalIgnoreCase) ? null : CacheKey(request, user);
        var ordered = start > 0 && cacheKey is not null ? request.State.CachedResult(cacheKey) : null;
        if (ordered is null)
        {
            var rows = source ?? query.Source(parentId, out keepOrder);
            ordered = query.Ordered(rows, sortBy, keepOrder);
            if (cacheKey is not null)
            {
                request.State.CacheResult(cacheKey, ordered);
            }
        }
        var page = ordered.Skip(start).Take(request.QueryInt("Limit") ?? int.MaxValue).ToList();
        return query.Respond(page, ordered.Length);
    }

    // The same query with another StartIndex or Limit is the next page of the same result.
    private static string CacheKey(FakeRequest request, FakeUser? user) =>
        string.Join('&', request.Http.Request.Query
            .Where(p => !p.Key.Equals("StartIndex", StringComparison.OrdinalIgnoreCase) && !p.Key.Equals("Limit", StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
            .Select(p => $"{p.Key.ToLowerInvariant()}={p.Value}")
            .Prepend($"{request.Http.Request.Path.Value?.ToLowerInvariant()}|{user?.Id}"));

    public static ItemView View(FakeRequest request, FakeUser? user, bool allFields = false) => new(
        new FieldSet(request.Dialect, request.QueryList("Fields"), allFields),
        user,
        request.QueryBool("EnableUserData") ?? true,
        request.QueryBool("EnableImages") ?? true);

    private Reply Respond(IReadOnlyCollection<ItemRow> page, int total)
    {
        var writer = new ItemWriter(state);
        var view = View(q, user);
        var start = q.QueryInt("StartIndex") ?? 0;
        return Reply.Json(w => Dtos.Page(w, q.Dialect, page, total, start, (w, row) => writer.Write(w, row, view)));
    }

    private Reply Views()
    {
        var allowed = user is null ? null : state.AllowedLibraries(user);
        var views = typed ? [] : state.LibrariesList.Where(l => allowed?.Contains(l.ItemId) != false).ToList();
        var writer = new ItemWriter(state);
        return Reply.Json(w => Dtos.Page(w, q.Dialect, views, views.Count, 0, writer.WriteView));
    }

    private ItemRow[] Ordered(IEnumerable<ItemRow> rows, string[] sortBy, bool keepOrder)
    {
        var visible = state.Visibility(user);
        var matched = rows.Where(r => visible(r.Item) && Keep(r.Item)).ToArray();
        return sortBy.Length > 0 ? [.. Sort(matched, sortBy)] : keepOrder ? matched : [.. matched.OrderBy(r => r.Item, DefaultOrder.Instance)];
    }

    private IEnumerable<ItemRow> Source(string? parentId, out bool keepOrder)
    {
        keepOrder = false;
        if (q.QueryList("Ids") is { Length: > 0 } ids)
        {
            keepOrder = true;
            return ids.Select(state.ItemOrNull).OfType<FakeItem>().Select(i => new ItemRow(i));
        }
        var recursive = q.QueryBool("Recursive") == true;
        if (parentId is not null)
        {
            return Under(parentId, recursive, out keepOrder).Select(i => new ItemRow(i));
        }
        if (user is not null && (q.QueryBool("IsPlayed") == true || q.QueryBool("IsFavorite") == true
            || filters.Any(f => f.Equals("IsPlayed", StringComparison.OrdinalIgnoreCase) || f.Equals("IsFavorite", StringComparison.OrdinalIgnoreCase)
                || f.Equals("IsResumable", StringComparison.OrdinalIgnoreCase))))
        {
            // Watch history, favourites and part-watched items only touch items the user has data for: far fewer than the catalogue.
            return state.UserDataOf(user).Keys.Select(state.ItemOrNull).OfType<FakeItem>().Select(i => new ItemRow(i));
        }
        keepOrder = true;
        return state.ItemsInDefaultOrder().Select(i => new ItemRow(i));
    }

    private IEnumerable<FakeItem> Under(string parentId, bool recursive, out bool keepOrder)
    {
        keepOrder = false;
        var id = Ids.Normalize(parentId);
        if (state.LibrariesList.Any(l => l.ItemId == id))
        {
            keepOrder = recursive;
            return recursive ? state.ItemsInDefaultOrder().Where(i => i.LibraryId == id) : state.Children(id);
        }
        if (state.ItemOrNull(id) is not { } parent)
        {
            return [];
        }
        if (parent.Type == FakeItemType.BoxSet && user is null && q.Dialect.Kind == FakeDialect.Jellyfin)
        {
            // Jellyfin: ItemsController.GetItems → BoxSet.LoadChildren is empty; its members are linked children, which only
            // BoxSet.GetChildren(user, includeLinkedChildren) lists: without a userId the answer is empty.
            return [];
        }
        if (parent.Type is FakeItemType.BoxSet or FakeItemType.Playlist)
        {
            keepOrder = parent.Type == FakeItemType.Playlist;
            return parent.LinkedItems.Select(e => state.ItemOrNull(e.ItemId)).OfType<FakeItem>();
        }
        return recursive ? state.Descendants(parent) : state.Children(parent.Id);
    }

    private static HashSet<FakeItemType> ItemTypes(string[] names) =>
        [.. names.Select(n => Enum.TryParse<FakeItemType>(n, ignoreCase: true, out var t) ? t : (FakeItemType?)null).OfType<FakeItemType>()];

    private bool Keep(FakeItem item)
    {
        foreach (var test in tests)
        {
            if (!test(item))
            {
                return false;
            }
        }
        return true;
    }

    private void AddUserDataTests()
    {
        FakeUserData? Data(FakeItem i) => state.UserDataOrNull(user, i);
        bool Played(FakeItem i) => Data(i)?.Played == true;
        bool Favorite(FakeItem i) => Data(i)?.IsFavorite == true;
        if (q.QueryBool("IsPlayed") is { } isPlayed)
        {
            tests.Add(i => Played(i) == isPlayed);
        }
        if (q.QueryBool("IsFavorite") is { } isFavorite)
        {
            tests.Add(i => Favorite(i) == isFavorite);
        }
        foreach (var filter in filters)
        {
            Func<FakeItem, bool>? test = filter.ToLowerInvariant() switch
            {
                "isplayed" => Played,
                "isunplayed" => i => !Played(i),
                "isfavorite" => Favorite,
                "isfavoriteorlikes" => i => Favorite(i) || Data(i)?.Rating >= 5,
                "isresumable" => i => !Played(i) && Data(i)?.PlaybackPositionTicks > 0,
                "isfolder" => i => i.IsFolder,
                "isnotfolder" => i => !i.IsFolder,
                _ => null,
            };
            if (test is not null)
            {
                tests.Add(test);
            }
        }
    }

    private void AddMetadataTests()
    {
        // Before 10.11 Jellyfin ignored MinDateLastSaved; only MinDateLastSavedForUser filtered.
        if (q.Server.MinDateLastSavedWorks && q.QueryDate("MinDateLastSaved") is { } minSaved)
        {
            tests.Add(i => i.DateLastSaved >= minSaved);
        }
        if (q.QueryDate("MinDateLastSavedForUser") is { } minSavedForUser)
        {
            tests.Add(i => i.DateLastSaved >= minSavedForUser);
        }
        if (q.Query("SearchTerm") is { } term)
        {
            tests.Add(i => i.Name.Contains(term, StringComparison.OrdinalIgnoreCase));
        }
        if (q.QueryList("Genres", '|') is { Length: > 0 } genres)
        {
            tests.Add(i => genres.Any(g => i.Genres.Contains(g, StringComparer.OrdinalIgnoreCase)));
        }
        if (q.QueryList("Years") is { Length: > 0 } years)
        {
            tests.Add(i => years.Contains(i.ProductionYear?.ToString()));
        }
    }

    private IOrderedEnumerable<ItemRow> Sort(IEnumerable<ItemRow> rows, string[] sortBy)
    {
        var orders = q.QueryList("SortOrder");
        IOrderedEnumerable<ItemRow>? sorted = null;
        for (var i = 0; i < sortBy.Length; i++)
        {
            var key = Key(sortBy[i]);
            var order = orders.Length == 0 ? "Ascending" : orders[Math.Min(i, orders.Length - 1)];
            var descending = order.Equals("Descending", StringComparison.OrdinalIgnoreCase);
            sorted = (sorted, descending) switch
            {
                (null, false) => rows.OrderBy(r => key(r.Item), KeyComparer),
                (null, true) => rows.OrderByDescending(r => key(r.Item), KeyComparer),
                (_, false) => sorted.ThenBy(r => key(r.Item), KeyComparer),
                (_, true) => sorted.ThenByDescending(r => key(r.Item), KeyComparer),
            };
        }
        return sorted!.ThenBy(r => r.Item, DefaultOrder.Instance);
    }

    private Func<FakeItem, object?> Key(string sortBy) => sortBy.ToLowerInvariant() switch
    {
        "name" => i => i.Name,
        "dateplayed" => i => state.UserDataOrNull(user, i)?.LastPlayedDate,
        "playcount" => i => state.UserDataOrNull(user, i)?.PlayCount,
        "isplayed" => i => state.UserDataOrNull(user, i)?.Played == true,
        "isunplayed" => i => state.UserDataOrNull(user, i)?.Played != true,
        "isfavoriteorliked" => i => state.UserDataOrNull(user, i)?.IsFavorite == true,
        "datecreated" or "datelastcontentadded" => i => i.DateCreated,
        "premieredate" or "startdate" => i => i.PremiereDate,
        "productionyear" => i => i.ProductionYear,
        "communityrating" => i => i.CommunityRating,
        "criticrating" => i => i.CriticRating,
        "officialrating" => i => i.OfficialRating,
        "runtime" => i => i.RunTimeTicks,
        "seriessortname" => i => i.SeriesName,
        "indexnumber" => i => i.IndexNumber,
        "parentindexnumber" => i => i.ParentIndexNumber,
        "airedepisodeorder" => i => (i.ParentIndexNumber ?? 0) * 100_000L + (i.IndexNumber ?? 0),
        "isfolder" => i => i.IsFolder,
        "random" => _ => Random.Shared.Next(),
        _ => i => i.SortName,
    };

    private static int CompareKeys(object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        (string x, string y) => StringComparer.OrdinalIgnoreCase.Compare(x, y),
        (IComparable x, _) => x.CompareTo(b),
        _ => 0,
    };

    // The order without SortBy: series name, season, episode, sort name, id. Movies fall through to the sort name, and a
    // series' episodes come out in aired order with unnumbered ones last.
    internal sealed class DefaultOrder : IComparer<FakeItem>
    {
        public static DefaultOrder Instance { get; } = new();

        public int Compare(FakeItem? x, FakeItem? y)
        {
            if (x is null || y is null)
            {
                return x is null ? (y is null ? 0 : -1) : 1;
            }
            var c = string.CompareOrdinal(x.GroupSortName, y.GroupSortName);
            if (c == 0)
            {
                c = (x.ParentIndexNumber ?? int.MaxValue).CompareTo(y.ParentIndexNumber ?? int.MaxValue);
            }
            if (c == 0)
            {
                c = (x.IndexNumber ?? int.MaxValue).CompareTo(y.IndexNumber ?? int.MaxValue);
            }
            if (c == 0)
            {
                c = string.CompareOrdinal(x.SortName, y.SortName);
            }
            return c != 0 ? c : string.CompareOrdinal(x.Id, y.Id);
        }
    }
}
