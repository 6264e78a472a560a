using System.Text.Json.Nodes;

namespace Aperture.Fakes;

public enum FakeDialect { Jellyfin, Emby }

public enum FakeItemType { Movie, Series, Season, Episode, BoxSet, Playlist }

public sealed class FakeUser
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public string Password { get; set; } = "";
    public DateTimeOffset? LastLoginDate { get; set; }

    // The whole policy as the server received it, so fields the fake does not model survive a GET, edit, POST round trip.
    public required JsonObject Policy { get; set; }

    public bool IsAdministrator { get => PolicyFlag(nameof(IsAdministrator)); set => Policy[nameof(IsAdministrator)] = value; }
    public bool IsDisabled { get => PolicyFlag(nameof(IsDisabled)); set => Policy[nameof(IsDisabled)] = value; }
    public bool EnableAllFolders { get => PolicyFlag(nameof(EnableAllFolders)); set => Policy[nameof(EnableAllFolders)] = value; }
    public bool EnableCollectionManagement { get => PolicyFlag(nameof(EnableCollectionManagement)); set => Policy[nameof(EnableCollectionManagement)] = value; }

    public IReadOnlyList<string> EnabledFolders { get => PolicyList(nameof(EnabledFolders)); set => Policy[nameof(EnabledFolders)] = ToArray(value); }
    public IReadOnlyList<string> BlockedMediaFolders { get => PolicyList(nameof(BlockedMediaFolders)); set => Policy[nameof(BlockedMediaFolders)] = ToArray(value); }

    private bool PolicyFlag(string name) => Policy[name] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private List<string> PolicyList(string name) =>
        Policy[name] is JsonArray a ? [.. a.Select(n => n?.ToString()).OfType<string>()] : [];

    private static JsonArray ToArray(IEnumerable<string> values) => [.. values.Select(v => (JsonNode)v)];
}

public sealed class FakeLibrary
{
    // What items point at with ParentId and what refresh/options take: Jellyfin a 32-hex GUID, Emby a numeric string.
    public required string ItemId { get; init; }

    // Emby's name for ItemId in /Library/VirtualFolders/Query.
    public string Id => ItemId;

    // Jellyfin: the same as ItemId. Emby: a separate 32-hex GUID, the only form its policy EnabledFolders accepts.
    public required string Guid { get; init; }
    public required string Name { get; set; }
    public string? CollectionType { get; set; }
    public List<string> Locations { get; init; } = [];
    public required JsonObject LibraryOptions { get; set; }
}

public sealed record FakePerson(string Name, string Type = "Actor", string? Role = null)
{
    public static FakePerson Actor(string name, string? role = null) => new(name, "Actor", role);
    public static FakePerson Director(string name) => new(name, "Director");
    public static FakePerson Writer(string name) => new(name, "Writer");
    public static FakePerson GuestStar(string name, string? role = null) => new(name, "GuestStar", role);
}

// The metadata movies and series share; b.Movie(name, title) and b.Series(name, title) take it whole.
public sealed record FakeTitle(
    int? Year = null,
    IEnumerable<string>? Genres = null,
    string? Overview = null,
    IEnumerable<FakePerson>? People = null,
    double? CommunityRating = null,
    string? OfficialRating = null,
    IEnumerable<string>? Studios = null,
    IEnumerable<string>? Tags = null,
    int? RuntimeMinutes = null)
{
    public IReadOnlyDictionary<string, string>? ProviderIds { get; init; }
}

// A member of a box set or a playlist; EntryId is the playlist's PlaylistItemId.
public sealed record FakeLinkedEntry(string EntryId, string ItemId);

public sealed record FakePlaylistShare(string UserId, bool CanEdit);

public sealed class FakePlaylistInfo
{
    public required string OwnerUserId { get; set; }
    public bool IsPublic { get; set; }
    public string MediaType { get; set; } = "Video";
    public List<FakePlaylistShare> Shares { get; init; } = [];
}

public sealed class FakeItem
{
    public required string Id { get; init; }
    private string name = "";
    private string? seriesName;
    private string? sortName;
    private string? sortNameOverride;
    private string? groupName;

    public required FakeItemType Type { get; init; }

    public required string Name
    {
        get => name;
        set => (name, sortName, groupName) = (value, null, null);
    }

    public string? OriginalTitle { get; set; }
    public string? SortNameOverride
    {
        get => sortNameOverride;
        set => (sortNameOverride, sortName, groupName) = (value, null, null);
    }

    // Lower case like Jellyfin's, and cached: sorting a 40k-item catalogue reads it a million times.
    public string SortName => sortName ??= SortNameOverride?.ToLowerInvariant() ?? MakeSortName(Name);

    // What the default order groups by: the series' sort name for seasons and episodes, the item's own otherwise.
    internal string GroupSortName => groupName ??= SeriesName is { } series ? MakeSortName(series) : SortName;
    public string? Overview { get; set; }
    public string? Path { get; set; }
    public string Container { get; set; } = "mkv";

    // The library the item lives in (null for box sets and playlists); drives per-user folder access.
    public string? LibraryId { get; set; }
    public string? ParentId { get; set; }
    public string? SeriesId { get; set; }

    public string? SeriesName
    {
        get => seriesName;
        set => (seriesName, groupName) = (value, null);
    }

    public string? SeasonId { get; set; }
    public string? SeasonName { get; set; }
    public int? ParentIndexNumber { get; set; }
    public int? IndexNumber { get; set; }

    public int? ProductionYear { get; set; }
    public DateTimeOffset? PremiereDate { get; set; }
    public DateTimeOffset? EndDate { get; set; }
    public DateTimeOffset DateCreated { get; set; }
    public DateTimeOffset DateLastSaved { get; set; }
    public double? CommunityRating { get; set; }
    public double? CriticRating { get; set; }
    public string? OfficialRating { get; set; }
    public long? RunTimeTicks { get; set; }
    public string? Status { get; set; }

    public List<string> Genres { get; init; } = [];
    public List<string> Tags { get; init; } = [];
    public List<string> Taglines { get; init; } = [];
    public List<string> Studios { get; init; } = [];
    public List<FakePerson> People { get; init; } = [];
    public Dictionary<string, string> ProviderIds { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    // Null means the item has no such image: the image endpoint answers 404.
    public string? PrimaryImageTag { get; set; }
    public string? BackdropImageTag { get; set; }

    public List<FakeLinkedEntry> LinkedItems { get; init; } = [];
    public FakePlaylistInfo? Playlist { get; set; }

    public bool IsFolder => Type is FakeItemType.Series or FakeItemType.Season or FakeItemType.BoxSet or FakeItemType.Playlist;
    public bool IsVideo => Type is FakeItemType.Movie or FakeItemType.Episode;

    private static string MakeSortName(string name)
    {
        foreach (var article in (string[])["The ", "A ", "An "])
        {
            if (name.StartsWith(article, StringComparison.OrdinalIgnoreCase) && name.Length > article.Length)
            {
                return name[article.Length..].ToLowerInvariant();
            }
        }
        return name.ToLowerInvariant();
    }
}

public sealed class FakeUserData
{
    public double? Rating { get; set; }
    public double? PlayedPercentage { get; set; }
    public long PlaybackPositionTicks { get; set; }
    public int PlayCount { get; set; }
    public bool IsFavorite { get; set; }
    public DateTimeOffset? LastPlayedDate { get; set; }
    public bool Played { get; set; }
}

public sealed class FakeToken
{
    public required string Token { get; init; }

    // Null for an API key: the Administrator role and no user.
    public string? UserId { get; init; }
    public string? DeviceId { get; init; }
    public string? Client { get; init; }
    public string? Device { get; init; }
    public string? Version { get; init; }
}

public sealed class FakeSession
{
    public required string Id { get; init; }
    public string? UserId { get; set; }
    public string? UserName { get; set; }
    public string Client { get; set; } = "Jellyfin Web";
    public string DeviceName { get; set; } = "Firefox";
    public string DeviceId { get; set; } = "";
    public string ApplicationVersion { get; set; } = "10.11.6";
    public bool SupportsRemoteControl { get; set; }
    public DateTimeOffset LastActivityDate { get; set; }
}

public sealed record FakePlayCommand(string SessionId, string Command, IReadOnlyList<string> ItemIds, long? StartPositionTicks, DateTimeOffset Time);

public sealed record RecordedCall(
    DateTimeOffset Time,
    string Method,
    string Path,
    string QueryString,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    string? Token,
    int Status)
{
    public string? Query(string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(QueryString).TryGetValue(name, out var v) ? v.ToString() : null;

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}
