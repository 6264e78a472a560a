using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aperture.MediaServers;

public sealed partial class MediaServerClient
{
    // Jellyfin answers GET /Library/VirtualFolders with a plain array. Emby 4.8 lists them only under /Query, paged (its items
    // add Id and Guid); its description has no GET on the plain route. Both shapes are read whichever route answers.
    public async Task<IReadOnlyList<VirtualFolderDto>> GetVirtualFoldersAsync(CancellationToken ct)
    {
        var answer = await SendAsync<JsonElement>(HttpMethod.Get,
            connection.Type == MediaServerType.Emby ? "Library/VirtualFolders/Query" : "Library/VirtualFolders", null, connection.ApiKey, null, ct);

        var list = answer.ValueKind switch
        {
            JsonValueKind.Array => answer,
            JsonValueKind.Object when (answer.TryGetProperty("Items", out var items) || answer.TryGetProperty("items", out items))
                && items.ValueKind == JsonValueKind.Array => items,
            _ => throw new MediaServerException(MediaServerErrorKind.BadResponse,
                $"The media server's library list is neither an array nor a paged result ({answer.ValueKind})."),
        };
        try
        {
            return list.Deserialize<List<VirtualFolderDto>>(Json) ?? [];
        }
        catch (JsonException e)
        {
            throw new MediaServerException(MediaServerErrorKind.BadResponse, $"The media server's library list could not be read: {e.Message}", e);
        }
    }
}

public sealed partial class MediaServerClient
{
    // Jellyfin reads name, collectionType, paths and refreshLibrary from the query only (a Name in the body is ignored) and
    // takes just {LibraryOptions} as the body; Emby reads its body form. A name already taken is not an error on Jellyfin:
    // it silently becomes "Name2", so callers re-list and match by name (FindLibraryAsync). Emby guesses the collection type
    // from the files unless the folder already exists: create the folder on disk before calling this.
    public async Task CreateLibraryAsync(string name, string collectionType, IReadOnlyList<string> paths, JsonObject? libraryOptions,
        bool refreshLibrary, CancellationToken ct)
    {
        var options = libraryOptions?.DeepClone() as JsonObject ?? [];
        options["PathInfos"] = new JsonArray([.. paths.Select(p => (JsonNode)new JsonObject { ["Path"] = p })]);
        if (connection.Type == MediaServerType.Jellyfin)
        {
            var s = new StringBuilder("Library/VirtualFolders?");
            Add(s, "name", name);
            Add(s, "collectionType", collectionType);
            foreach (var path in paths)
            {
                Add(s, "paths", path);
            }
            Add(s, "refreshLibrary", refreshLibrary ? "true" : "false");
            await SendAsync<object>(HttpMethod.Post, s.ToString().TrimEnd('&'), new JsonObject { ["LibraryOptions"] = options }, connection.ApiKey, null, ct);
            return;
        }
        var body = new JsonObject
        {
            ["Name"] = name,
            ["CollectionType"] = collectionType,
            ["Paths"] = new JsonArray([.. paths.Select(p => (JsonNode)p)]),
            ["RefreshLibrary"] = refreshLibrary,
            ["LibraryOptions"] = options,
        };
        await SendAsync<object>(HttpMethod.Post, "Library/VirtualFolders", body, connection.ApiKey, null, ct);
    }

    // The library with exactly this name (case-insensitively as a fallback), read back from the server.
    public async Task<VirtualFolderDto?> FindLibraryAsync(string name, CancellationToken ct)
    {
        var all = await GetVirtualFoldersAsync(ct);
        return all.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.Ordinal))
            ?? all.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    // Jellyfin: DELETE ?name=; Emby: POST /Library/VirtualFolders/Delete {Id} with the folder's Id.
    public Task RemoveLibraryAsync(VirtualFolderDto library, bool refreshLibrary, CancellationToken ct)
    {
        if (connection.Type == MediaServerType.Jellyfin)
        {
            var s = new StringBuilder("Library/VirtualFolders?");
            Add(s, "name", library.Name);
            Add(s, "refreshLibrary", refreshLibrary ? "true" : "false");
            return SendAsync<object>(HttpMethod.Delete, s.ToString().TrimEnd('&'), null, connection.ApiKey, null, ct);
        }
        var id = library.Id ?? library.ItemId
            ?? throw new MediaServerException(MediaServerErrorKind.BadResponse, $"The media server listed the library '{library.Name}' without an Id.");
        return SendAsync<object>(HttpMethod.Post, "Library/VirtualFolders/Delete", new JsonObject { ["Id"] = id, ["RefreshLibrary"] = refreshLibrary },
            connection.ApiKey, null, ct);
    }

    // Jellyfin (LibraryStructureController.AddMediaPath): MediaPathDto {Name, Path, PathInfo} with refreshLibrary in the query.
    // Emby 4.8 (Library.AddMediaPath): {Id, Path, PathInfo, RefreshLibrary}, the library by its Id, nothing in the query.
    public Task AddLibraryPathAsync(VirtualFolderDto library, string path, bool refreshLibrary, CancellationToken ct)
    {
        var pathInfo = new JsonObject { ["Path"] = path };
        if (connection.Type == MediaServerType.Emby)
        {
            var id = library.Id ?? library.ItemId
                ?? throw new MediaServerException(MediaServerErrorKind.BadResponse, $"The media server listed the library '{library.Name}' without an Id.");
            var emby = new JsonObject { ["Id"] = id, ["Path"] = path, ["PathInfo"] = pathInfo, ["RefreshLibrary"] = refreshLibrary };
            return SendAsync<object>(HttpMethod.Post, "Library/VirtualFolders/Paths", emby, connection.ApiKey, null, ct);
        }
        var body = new JsonObject { ["Name"] = library.Name, ["Path"] = path, ["PathInfo"] = pathInfo };
        return SendAsync<object>(HttpMethod.Post, $"Library/VirtualFolders/Paths?refreshLibrary={(refreshLibrary ? "true" : "false")}", body, connection.ApiKey, null, ct);
    }

    // The posted object replaces the library's whole options: start from what the server listed and change only what must.
    public Task UpdateLibraryOptionsAsync(VirtualFolderDto library, Action<JsonObject> change, CancellationToken ct)
    {
        var id = library.LibraryId
            ?? throw new MediaServerException(MediaServerErrorKind.BadResponse, $"The media server listed the library '{library.Name}' without an id.");
        var options = library.LibraryOptions?.DeepClone() as JsonObject ?? [];
        change(options);
        return SendAsync<object>(HttpMethod.Post, "Library/VirtualFolders/LibraryOptions", new JsonObject { ["Id"] = id, ["LibraryOptions"] = options },
            connection.ApiKey, null, ct);
    }

    // Scans one library: new files are added, gone ones removed, metadata read where it is missing. Emby takes Recursive;
    // Jellyfin's RefreshItem has no such parameter (a folder's refresh always validates its children there).
    public Task RefreshLibraryAsync(string libraryId, CancellationToken ct) =>
        SendAsync<object>(HttpMethod.Post,
            $"Items/{Uri.EscapeDataString(libraryId)}/Refresh?{(connection.Type == MediaServerType.Emby ? "Recursive=true&" : "")}"
            + "MetadataRefreshMode=Default&ImageRefreshMode=Default&ReplaceAllMetadata=false&ReplaceAllImages=false",
            null, connection.ApiKey, null, ct);

    public Task RefreshAllLibrariesAsync(CancellationToken ct) =>
        SendAsync<object>(HttpMethod.Post, "Library/Refresh", null, connection.ApiKey, null, ct);
}
