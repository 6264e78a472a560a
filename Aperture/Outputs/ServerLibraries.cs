using System.Text.Json.Nodes;
using Aperture.Data;
using Aperture.MediaServers;

namespace Aperture.Outputs;

// A library on the media server as the outputs need it: ItemId for refreshes and ParentId, AccessId for user policies
// (Jellyfin: the ItemId GUID; Emby: the library's Guid, its numeric ids are silently ignored in EnabledFolders).
public sealed record ServerLibraryRef(string Name, string ItemId, string AccessId, string? CollectionType, IReadOnlyList<string> Locations);

// Creates, refreshes and removes the libraries Aperture writes (picks, Top Picks). The files are someone else's job.
public sealed class ServerLibraries(MediaServerClient client, TimeProvider? time = null)
{
    private static readonly string[] MovieTypes = ["Movie"];
    private static readonly string[] SeriesTypes = ["Series", "Season", "Episode"];

    // Jellyfin lists a library created without a scan with no ItemId until its folder item exists: re-list a few times.
    private const int IdAttempts = 5;

    public MediaServerClient Client => client;

    // Creates the library if there is none by that name (the server path is added when it is missing), makes sure the server
    // does not rewrite or re-download what Aperture writes, and returns its ids. Idempotent.
    // Emby: the folder must exist on the server's disk before this is called (Emby guesses the collection type from the files
    // of a folder it cannot see, and refuses a missing path); Jellyfin refuses a missing path too.
    public async Task<ServerLibraryRef> EnsureLibraryAsync(string name, MediaKind kind, string serverPath, CancellationToken ct)
    {
        var library = await FindAsync(name, ct);
        if (library is null)
        {
            await CreateAsync(name, kind, serverPath, ct);
            library = await FindAsync(name, ct)
                ?? throw new MediaServerException(MediaServerErrorKind.BadResponse,
                    $"The media server accepted the library '{name}' but does not list it (was the name changed?).");
        }
        else
        {
            if (!(library.Locations ?? []).Any(l => SamePath(l, serverPath)))
            {
                await client.AddLibraryPathAsync(library, serverPath, refreshLibrary: false, ct);
            }
            var wanted = WantedOptions(client.Connection.Type, library.LibraryOptions, kind);
            if (!JsonNode.DeepEquals(library.LibraryOptions, wanted))
            {
                await client.UpdateLibraryOptionsAsync(library, o => WantedOptions(client.Connection.Type, o, kind, inPlace: true), ct);
            }
        }

        for (var attempt = 1; ToRef(client.Connection.Type, library) is not { } found; attempt++)
        {
            if (attempt >= IdAttempts)
            {
                throw new MediaServerException(MediaServerErrorKind.BadResponse,
                    $"The media server lists the library '{name}' without the id Aperture needs; try again after its library scan.");
            }
            await Task.Delay(TimeSpan.FromSeconds(1), time ?? TimeProvider.System, ct);
            listing = null;
            library = await FindAsync(name, ct) ?? library;
        }
        return ToRef(client.Connection.Type, library)!;
    }

    // The server's library list as last read by this instance (one sync run): 600 users' libraries are one listing, not 600.
    // After a create the list is stale for names it lacks (read again when one is looked up); entries it has stay valid: each
    // library is ensured once per run, and changing one library's paths or options does not touch the others.
    private IReadOnlyList<VirtualFolderDto>? listing;
    private bool stale;

    private async Task<VirtualFolderDto?> FindAsync(string name, CancellationToken ct)
    {
        if (listing is null || (stale && Lookup(listing, name) is null))
        {
            listing = await client.GetVirtualFoldersAsync(ct);
            stale = false;
        }
        return Lookup(listing, name);
    }

    private static VirtualFolderDto? Lookup(IReadOnlyList<VirtualFolderDto> all, string name) =>
        all.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.Ordinal))
        ?? all.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase));

    // Whether the list read at the start of the run has a library by this name (libraries this run created are not in it).
    public async Task<bool> ListedAsync(string name, CancellationToken ct)
    {
        listing ??= await client.GetVirtualFoldersAsync(ct);
        return Lookup(listing, name) is not null;
    }

    // Creates a library without waiting for its ids: a run creates every missing library first and reads the list once after.
    public async Task CreateAsync(string name, MediaKind kind, string serverPath, CancellationToken ct)
    {
        // refreshLibrary=true: without it Jellyfin does not create the library's folder item, so it would have no ItemId.
        await client.CreateLibraryAsync(name, kind.CollectionType(), [serverPath], WantedOptions(client.Connection.Type, null, kind), refreshLibrary: true, ct);
        stale = true;
    }

    // False when there was no library by that name.
    public async Task<bool> RemoveLibraryAsync(string name, CancellationToken ct)
    {
        if (await client.FindLibraryAsync(name, ct) is not { } library)
        {
            return false;
        }
        await client.RemoveLibraryAsync(library, refreshLibrary: true, ct);
        listing = null;
        return true;
    }

    // Scans one library after its files were written: new titles appear, removed ones go.
    public Task RefreshLibraryAsync(string libraryItemId, CancellationToken ct) => client.RefreshLibraryAsync(libraryItemId, ct);

    public async Task<IReadOnlyList<ServerLibraryRef>> ListAsync(CancellationToken ct) =>
        [.. (await client.GetVirtualFoldersAsync(ct)).Select(l => ToRef(client.Connection.Type, l)).OfType<ServerLibraryRef>()];

    internal static ServerLibraryRef? ToRef(MediaServerType type, VirtualFolderDto library)
    {
        var itemId = library.LibraryId;
        var accessId = type == MediaServerType.Emby ? library.Guid : itemId;
        return string.IsNullOrEmpty(library.Name) || string.IsNullOrEmpty(itemId) || string.IsNullOrEmpty(accessId)
            ? null
            : new ServerLibraryRef(library.Name, itemId, accessId, library.CollectionType, library.Locations ?? []);
    }

    // The options Aperture's libraries need, over whatever the server had (the POST replaces the whole object):
    // - no metadata or image downloaders and no metadata savers: the NFOs and artwork Aperture writes are the metadata, and
    //   the server must not rewrite them. MetadataSavers must be an explicit empty list: Jellyfin treats a list as the
    //   whitelist that wins over SaveLocalMetadata, and null as "the server's defaults". Fetchers are per item type
    //   (TypeOptions); a type entry with empty lists turns them all off, while local readers (NFO, local images) stay on.
    // - no real-time monitor: Aperture refreshes the library itself once a write is complete, instead of the server scanning
    //   half-written folders.
    internal static JsonObject WantedOptions(MediaServerType server, JsonObject? current, MediaKind kind, bool inPlace = false)
    {
        var options = inPlace && current is not null ? current : current?.DeepClone() as JsonObject ?? [];
        options["EnableRealtimeMonitor"] = false;
        options["SaveLocalMetadata"] = false;
        options["MetadataSavers"] = new JsonArray();
        if (server == MediaServerType.Jellyfin)
        {
            // Jellyfin's LibraryOptions still has this switch; Emby 4.8's has none (its empty MetadataFetchers below do the job).
            options["EnableInternetProviders"] = false;
        }
        options["AutomaticRefreshIntervalDays"] = 0;
        options["EnableChapterImageExtraction"] = false;
        options["ExtractChapterImagesDuringLibraryScan"] = false;
        var typeOptions = options["TypeOptions"] as JsonArray ?? [];
        options["TypeOptions"] = typeOptions;
        foreach (var type in kind == MediaKind.Movie ? MovieTypes : SeriesTypes)
        {
            if (typeOptions.OfType<JsonObject>().FirstOrDefault(t => string.Equals(t["Type"]?.ToString(), type, StringComparison.OrdinalIgnoreCase)) is not { } entry)
            {
                entry = new JsonObject { ["Type"] = type };
                typeOptions.Add(entry);
            }
            foreach (var list in (string[])["MetadataFetchers", "MetadataFetcherOrder", "ImageFetchers", "ImageFetcherOrder"])
            {
                entry[list] = new JsonArray();
            }
        }
        return options;
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(a.TrimEnd('/', '\\'), b.TrimEnd('/', '\\'), StringComparison.Ordinal);
}
