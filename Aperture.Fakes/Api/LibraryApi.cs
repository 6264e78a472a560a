using System.Text.Json.Nodes;
using Aperture.Fakes.Wire;

namespace Aperture.Fakes.Api;

internal static class LibraryApi
{
    private static readonly HashSet<string> CollectionTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "movies", "tvshows", "music", "musicvideos", "homevideos", "boxsets", "books", "mixed", "playlists", "photos",
    };

    public static Reply List(FakeRequest q) => Reply.Array(q.State.LibrariesList, (w, l) => Dtos.VirtualFolder(w, q.Dialect, l));

    public static Reply Query(FakeRequest q)
    {
        var all = q.State.LibrariesList.ToList();
        return Reply.Json(w => Dtos.Page(w, q.Dialect, all, all.Count, 0, (w, l) => Dtos.VirtualFolder(w, q.Dialect, l)));
    }

    // Jellyfin reads name, collectionType and paths from the query only (a Name in the body is ignored);
    // Emby reads its body form, falling back to the query.
    public static Reply Create(FakeRequest q)
    {
        var emby = q.Dialect.Kind == FakeDialect.Emby;
        var body = emby ? q.Body : null;
        var name = Json.PropString(body, "Name") ?? q.Query("name");
        var collectionType = Json.PropString(body, "CollectionType") ?? q.Query("collectionType");
        var paths = Json.PropStrings(body, "Paths") ?? [.. q.QueryValues("paths")];
        if (string.IsNullOrWhiteSpace(name))
        {
            return Reply.BadRequest("A name is required.");
        }
        if (collectionType is not null && !CollectionTypes.Contains(collectionType))
        {
            return Reply.BadRequest($"The value '{collectionType}' is not valid for collectionType.");
        }
        if (q.Server.RequireExistingPaths && paths.FirstOrDefault(p => !Directory.Exists(p)) is { } missing)
        {
            return Reply.BadRequest($"The path {missing} does not exist.");
        }
        var library = new FakeLibraryBuilder(q.State).ExactLibrary(UniqueName(q.State, name), collectionType?.ToLowerInvariant(), paths);
        if (Json.Prop(q.Body, "LibraryOptions") is JsonObject options)
        {
            library.LibraryOptions = (JsonObject)options.DeepClone();
        }
        return Reply.NoContent();
    }

    // Jellyfin: DELETE ?name=; Emby: POST /Library/VirtualFolders/Delete {Id} (its DELETE ?name= also works).
    public static Reply Remove(FakeRequest q)
    {
        var key = Json.PropString(q.Body, "Id") ?? Json.PropString(q.Body, "Name") ?? q.Query("name") ?? q.Query("id");
        if (key is null || q.State.FindLibrary(key) is not { } library)
        {
            return Reply.NotFound("The media folder does not exist.");
        }
        q.State.RemoveLibrary(library);
        return Reply.NoContent();
    }

    // Replaces the whole options object: callers GET, merge and POST.
    public static Reply SetOptions(FakeRequest q)
    {
        if (Json.PropString(q.Body, "Id") is not { } id || q.State.FindLibrary(id) is not { } library)
        {
            return Reply.NotFound("Library not found.");
        }
        if (Json.Prop(q.Body, "LibraryOptions") is not JsonObject options)
        {
            return Reply.BadRequest("LibraryOptions is required.");
        }
        library.LibraryOptions = (JsonObject)options.DeepClone();
        return Reply.NoContent();
    }

    // {Name, PathInfo:{Path}} adds a location to a library.
    // Jellyfin: LibraryStructureController.AddMediaPath → MediaPathDto {Name, Path, PathInfo}, 400 when both paths are missing.
    // Emby 4.8 (Library.AddMediaPath): {Id, Path, PathInfo, RefreshLibrary}; it has no Name, so a body naming the library by Name
    // finds none.
    public static Reply AddPath(FakeRequest q)
    {
        var path = Json.PropString(Json.Prop(q.Body, "PathInfo") as JsonObject, "Path") ?? Json.PropString(q.Body, "Path");
        var key = q.Dialect.Kind == FakeDialect.Emby ? Json.PropString(q.Body, "Id") : Json.PropString(q.Body, "Name");
        if (key is null || q.State.FindLibrary(key) is not { } library)
        {
            return Reply.NotFound("Library not found.");
        }
        if (path is null)
        {
            return Reply.BadRequest("PathInfo and Path can't both be null.");
        }
        library.Locations.Add(path);
        return Reply.NoContent();
    }

    public static Reply RemovePath(FakeRequest q)
    {
        if (q.Query("name") is not { } name || q.State.FindLibrary(name) is not { } library)
        {
            return Reply.NotFound("Library not found.");
        }
        library.Locations.RemoveAll(l => l == q.Query("path"));
        return Reply.NoContent();
    }

    public static Reply Refresh(FakeRequest q) => Reply.NoContent();

    // Jellyfin appends 2, 3, ... to a name already taken instead of failing: callers must re-list and match.
    private static string UniqueName(FakeState state, string name)
    {
        var candidate = name;
        for (var n = 2; state.LibrariesList.Any(l => string.Equals(l.Name, candidate, StringComparison.OrdinalIgnoreCase)); n++)
        {
            candidate = name + n;
        }
        return candidate;
    }
}
