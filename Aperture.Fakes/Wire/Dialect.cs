using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aperture.Fakes.Wire;

// Everything that differs between Jellyfin and Emby on the wire lives here; the endpoints and the state are shared.
internal abstract class Dialect
{
    private readonly ConcurrentDictionary<string, string> nameIds = new(StringComparer.OrdinalIgnoreCase);

    public abstract FakeDialect Kind { get; }
    public abstract string DefaultVersion { get; }
    public abstract string DefaultClientName { get; }
    public abstract string NewItemId();

    // A playlist entry's id, what removal takes. Jellyfin: the item's own id (PlaylistsController.GetPlaylistItems sends
    // LinkedChild.ItemId as PlaylistItemId, on 10.11 and 12.0 alike); Emby: an id per entry.
    public abstract string PlaylistEntryId(string itemId);
    public abstract (string ItemId, string Guid) NewLibraryIds();

    // Metadata a BaseItemDto carries without being asked for in Fields (identity and series/season fields always come).
    public abstract bool AlwaysHas(string field);

    // Emby 4.8 reports PlayCount 0 and no LastPlayedDate unless UserDataPlayCount/UserDataLastPlayedDate are in Fields.
    public abstract bool GatesUserDataFields { get; }
    public abstract void WritePaging(Utf8JsonWriter w, int total, int startIndex);

    // Studios[].Id and GenreItems[].Id: Jellyfin a GUID string, Emby an int64 number.
    public abstract void WriteNameRefId(Utf8JsonWriter w, string kind, string name);
    public abstract string PersonId(string name);
    public abstract string MediaSourceId(FakeItem item);
    public abstract bool KnowsSortBy(string sortBy);
    public abstract int UnknownSortStatus { get; }
    public abstract void WriteProductInfo(Utf8JsonWriter w);
    public abstract void WriteVirtualFolderIds(Utf8JsonWriter w, FakeLibrary library);
    // What both servers' UserPolicy has; each adds its own fields and provider names.
    public JsonObject DefaultPolicy(bool admin)
    {
        var policy = new JsonObject
        {
            ["IsAdministrator"] = admin,
            ["IsHidden"] = false,
            ["IsDisabled"] = false,
            ["BlockedTags"] = new JsonArray(),
            ["EnableUserPreferenceAccess"] = true,
            ["AccessSchedules"] = new JsonArray(),
            ["BlockUnratedItems"] = new JsonArray(),
            ["EnableRemoteControlOfOtherUsers"] = admin,
            ["EnableSharedDeviceControl"] = true,
            ["EnableRemoteAccess"] = true,
            ["EnableLiveTvManagement"] = admin,
            ["EnableLiveTvAccess"] = true,
            ["EnableMediaPlayback"] = true,
            ["EnableAudioPlaybackTranscoding"] = true,
            ["EnableVideoPlaybackTranscoding"] = true,
            ["EnablePlaybackRemuxing"] = true,
            ["EnableContentDeletion"] = admin,
            ["EnableContentDeletionFromFolders"] = new JsonArray(),
            ["EnableContentDownloading"] = true,
            ["EnableSubtitleManagement"] = admin,
            ["EnableSyncTranscoding"] = true,
            ["EnableMediaConversion"] = true,
            ["EnabledDevices"] = new JsonArray(),
            ["EnableAllDevices"] = true,
            ["EnabledChannels"] = new JsonArray(),
            ["EnableAllChannels"] = true,
            ["EnabledFolders"] = new JsonArray(),
            ["EnableAllFolders"] = true,
            ["BlockedMediaFolders"] = new JsonArray(),
            ["InvalidLoginAttemptCount"] = 0,
            ["EnablePublicSharing"] = true,
            ["RemoteClientBitrateLimit"] = 0,
        };
        return Merge(policy, PolicyExtras(admin));
    }

    public JsonObject DefaultLibraryOptions(IEnumerable<string> paths)
    {
        var options = new JsonObject
        {
            ["EnablePhotos"] = true,
            ["EnableRealtimeMonitor"] = true,
            ["EnableChapterImageExtraction"] = false,
            ["SaveLocalMetadata"] = false,
            ["PreferredMetadataLanguage"] = "en",
            ["MetadataCountryCode"] = "US",
            ["PathInfos"] = new JsonArray([.. paths.Select(p => (JsonNode)new JsonObject { ["Path"] = p })]),
            ["TypeOptions"] = new JsonArray(),
        };
        return Merge(options, LibraryOptionsExtras());
    }

    public abstract string? RejectPolicy(JsonObject policy);
    protected abstract JsonObject PolicyExtras(bool admin);
    protected abstract JsonObject LibraryOptionsExtras();
    public abstract bool AcceptsAuthSource(AuthSource source, bool legacyDisabled);
    public abstract bool LoginNeedsClientInfo { get; }
    public abstract bool StreamNeedsAuth { get; }
    public abstract bool CollectionsNeedPermission { get; }
    public abstract bool AddToPlaylistReturnsCount { get; }

    // Jellyfin binds ParentId as one GUID, so a list is a 400; Emby just finds nothing.
    public abstract int? ParentIdListStatus { get; }

    public static Dialect For(FakeDialect dialect) => dialect == FakeDialect.Jellyfin ? new JellyfinDialect() : new EmbyDialect();

    // People, studios and genres are entities of their own: the same name always has the same id.
    protected string NameId(string kind, string name, Func<byte[], string> format) =>
        nameIds.GetOrAdd(kind + "\n" + name, key => format(SHA256.HashData(Encoding.UTF8.GetBytes(key))));

    protected static string HexId(byte[] hash) => Convert.ToHexStringLower(hash, 0, 16);

    protected static string NumericId(byte[] hash) => (BitConverter.ToUInt32(hash, 0) % 900_000_000 + 100_000_000).ToString();

    private static JsonObject Merge(JsonObject into, JsonObject extras)
    {
        foreach (var name in extras.Select(p => p.Key).ToList())
        {
            var value = extras[name];
            extras.Remove(name);
            into[name] = value;
        }
        return into;
    }
}

internal enum AuthSource { AuthorizationMediaBrowser, AuthorizationEmby, XEmbyAuthorization, XEmbyToken, QueryApiKey, QueryApiKeyLegacy }

internal sealed class JellyfinDialect : Dialect
{
    private static readonly HashSet<string> Always = new(StringComparer.OrdinalIgnoreCase)
    {
        "ProductionYear", "PremiereDate", "EndDate", "CommunityRating", "CriticRating", "OfficialRating", "RunTimeTicks", "Status",
    };

    private static readonly HashSet<string> SortNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Default", "AiredEpisodeOrder", "Album", "AlbumArtist", "Artist", "DateCreated", "OfficialRating", "DatePlayed", "PremiereDate",
        "StartDate", "SortName", "Name", "Random", "Runtime", "CommunityRating", "ProductionYear", "PlayCount", "CriticRating", "IsFolder",
        "IsUnplayed", "IsPlayed", "SeriesSortName", "VideoBitRate", "AirTime", "Studio", "IsFavoriteOrLiked", "DateLastContentAdded",
        "SeriesDatePlayed", "ParentIndexNumber", "IndexNumber", "SimilarityScore", "SearchScore",
    };

    public override FakeDialect Kind => FakeDialect.Jellyfin;
    public override string DefaultVersion => "10.11.11";
    public override string DefaultClientName => "Jellyfin Web";
    public override string NewItemId() => Ids.NewGuid();
    public override string PlaylistEntryId(string itemId) => itemId;

    public override (string ItemId, string Guid) NewLibraryIds()
    {
        var id = Ids.NewGuid();
        return (id, id);
    }

    public override bool AlwaysHas(string field) => Always.Contains(field);
    public override bool GatesUserDataFields => false;

    public override void WritePaging(Utf8JsonWriter w, int total, int startIndex)
    {
        w.WriteNumber("TotalRecordCount", total);
        w.WriteNumber("StartIndex", startIndex);
    }

    public override void WriteNameRefId(Utf8JsonWriter w, string kind, string name) => w.WriteString("Id", NameId(kind, name, HexId));
    public override string PersonId(string name) => NameId("Person", name, HexId);
    public override string MediaSourceId(FakeItem item) => item.Id;
    public override bool KnowsSortBy(string sortBy) => SortNames.Contains(sortBy);
    public override int UnknownSortStatus => 400;

    public override void WriteProductInfo(Utf8JsonWriter w)
    {
        w.WriteString("ProductName", "Jellyfin Server");
        w.WriteString("OperatingSystem", "");
        w.WriteBoolean("StartupWizardCompleted", true);
    }

    public override void WriteVirtualFolderIds(Utf8JsonWriter w, FakeLibrary library) => w.WriteString("ItemId", library.ItemId);

    protected override JsonObject PolicyExtras(bool admin) => new()
    {
        ["IsHidden"] = admin,
        // Emby 4.8's UserPolicy has no EnableCollectionManagement (contracts/emby-4.8.json).
        ["EnableCollectionManagement"] = admin,
        ["EnableLyricManagement"] = admin,
        ["AllowedTags"] = new JsonArray(),
        ["ForceRemoteSourceTranscoding"] = false,
        ["LoginAttemptsBeforeLockout"] = -1,
        ["MaxActiveSessions"] = 0,
        ["BlockedChannels"] = new JsonArray(),
        ["AuthenticationProviderId"] = "Jellyfin.Server.Implementations.Users.DefaultAuthenticationProvider",
        ["PasswordResetProviderId"] = "Jellyfin.Server.Implementations.Users.DefaultPasswordResetProvider",
        ["SyncPlayAccess"] = "CreateAndJoinGroups",
    };

    // UserPolicy marks both provider ids [Required]: model validation answers 400 before the controller runs. Its folder
    // lists are Guid[]: anything else fails to bind, also a 400.
    public override string? RejectPolicy(JsonObject policy)
    {
        foreach (var required in (string[])["AuthenticationProviderId", "PasswordResetProviderId"])
        {
            if (string.IsNullOrEmpty(Json.Prop(policy, required)?.ToString()))
            {
                return $"The {required} field is required.";
            }
        }
        foreach (var list in (string[])["EnabledFolders", "BlockedMediaFolders"])
        {
            if (Json.Prop(policy, list) is JsonArray ids && ids.FirstOrDefault(id => !System.Guid.TryParse(id?.ToString(), out _)) is { } bad)
            {
                return $"The JSON value could not be converted to System.Guid. Path: $.{list} ('{bad}').";
            }
        }
        return null;
    }

    protected override JsonObject LibraryOptionsExtras() => new()
    {
        ["Enabled"] = true,
        ["EnableLUFSScan"] = true,
        ["EnableAutomaticSeriesGrouping"] = false,
        ["EnableEmbeddedTitles"] = false,
        ["AutomaticRefreshIntervalDays"] = 0,
    };

    public override bool AcceptsAuthSource(AuthSource source, bool legacyDisabled) =>
        source is AuthSource.AuthorizationMediaBrowser or AuthSource.QueryApiKey || !legacyDisabled;

    public override bool LoginNeedsClientInfo => true;
    public override bool StreamNeedsAuth => false;
    public override bool CollectionsNeedPermission => true;
    public override bool AddToPlaylistReturnsCount => false;
    public override int? ParentIdListStatus => 400;
}

internal sealed class EmbyDialect : Dialect
{
    private static readonly HashSet<string> SortNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "AiredEpisodeOrder", "AirTime", "Album", "AlbumArtist", "Artist", "CommunityRating", "CriticRating", "DateCreated",
        "DateLastContentAdded", "DatePlayed", "IsFolder", "IsPlayed", "IsUnplayed", "Name", "OfficialRating", "PlayCount",
        "PremiereDate", "ProductionYear", "Random", "Runtime", "SeriesSortName", "SortName", "StartDate", "Studio", "VideoBitRate",
    };

    private long nextId = 914_000;

    public override FakeDialect Kind => FakeDialect.Emby;
    public override string DefaultVersion => "4.8.11.0";
    public override string DefaultClientName => "Emby Web";
    public override string NewItemId() => Interlocked.Increment(ref nextId).ToString();
    public override string PlaylistEntryId(string itemId) => NewItemId();
    public override (string ItemId, string Guid) NewLibraryIds() => (NewItemId(), Ids.NewGuid());

    // Emby 4.8 returns no metadata it is not asked for, not even ProductionYear or RunTimeTicks.
    public override bool AlwaysHas(string field) => false;
    public override bool GatesUserDataFields => true;
    public override void WritePaging(Utf8JsonWriter w, int total, int startIndex) => w.WriteNumber("TotalRecordCount", total);
    public override void WriteNameRefId(Utf8JsonWriter w, string kind, string name) => w.WriteNumber("Id", long.Parse(NameId(kind, name, NumericId)));
    public override string PersonId(string name) => NameId("Person", name, NumericId);
    public override string MediaSourceId(FakeItem item) => "mediasource_" + item.Id;
    public override bool KnowsSortBy(string sortBy) => SortNames.Contains(sortBy);
    public override int UnknownSortStatus => 500;

    public override void WriteProductInfo(Utf8JsonWriter w)
    {
        w.WriteStartArray("LocalAddresses");
        w.WriteEndArray();
        w.WriteStartArray("RemoteAddresses");
        w.WriteEndArray();
    }

    public override void WriteVirtualFolderIds(Utf8JsonWriter w, FakeLibrary library)
    {
        w.WriteString("ItemId", library.ItemId);
        w.WriteString("Id", library.ItemId);
        w.WriteString("Guid", library.Guid);
    }

    protected override JsonObject PolicyExtras(bool admin) => new()
    {
        ["IsHiddenRemotely"] = false,
        ["IsHiddenFromUnusedDevices"] = false,
        ["LockedOutDate"] = 0,
        ["AllowTagOrRating"] = false,
        ["IsTagBlockingModeInclusive"] = false,
        ["IncludeTags"] = new JsonArray(),
        ["RestrictedFeatures"] = new JsonArray(),
        ["EnableSubtitleDownloading"] = false,
        ["AuthenticationProviderId"] = "Emby.Server.Implementations.Library.DefaultAuthenticationProvider",
        ["ExcludedSubFolders"] = new JsonArray(),
        ["SimultaneousStreamLimit"] = 0,
        ["AllowCameraUpload"] = true,
        ["AllowSharingPersonalItems"] = false,
    };

    public override string? RejectPolicy(JsonObject policy) => null;

    protected override JsonObject LibraryOptionsExtras() => new()
    {
        ["EnableArchiveMediaFiles"] = false,
        ["EnableMarkerDetection"] = false,
        ["ImportCollections"] = false,
    };

    public override bool AcceptsAuthSource(AuthSource source, bool legacyDisabled) => source != AuthSource.QueryApiKey;
    public override bool LoginNeedsClientInfo => false;
    public override bool StreamNeedsAuth => true;
    public override bool CollectionsNeedPermission => false;
    public override bool AddToPlaylistReturnsCount => true;
    public override int? ParentIdListStatus => null;
}
