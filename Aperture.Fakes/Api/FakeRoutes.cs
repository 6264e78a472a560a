namespace Aperture.Fakes.Api;

// Every route both fakes answer, in one table; a route only one server has says so.
internal static class FakeRoutes
{
    public static void Map(RouteTable r)
    {
        var jellyfin = r.Dialect == FakeDialect.Jellyfin;
        var emby = !jellyfin;

        r.Get("/System/Info/Public", Access.Anonymous, SystemApi.PublicInfo);
        r.Get("/System/Info", Access.User, SystemApi.Info);
        r.Get("/System/Ping", Access.Anonymous, SystemApi.Ping);
        r.Post("/System/Ping", Access.Anonymous, SystemApi.Ping);

        r.Post("/Users/AuthenticateByName", Access.Anonymous, UserApi.Authenticate);
        r.Get("/Users", Access.User, UserApi.List);
        r.Get("/Users/{userId}", Access.User, UserApi.Get);
        r.Post("/Users/{userId}/Policy", Access.Admin, UserApi.SetPolicy);
        r.Post("/Sessions/Logout", Access.User, SessionApi.Logout);

        r.Get("/Library/VirtualFolders", Access.Admin, LibraryApi.List);
        r.Post("/Library/VirtualFolders", Access.Admin, LibraryApi.Create);
        r.Delete("/Library/VirtualFolders", Access.Admin, LibraryApi.Remove);
        r.Post("/Library/VirtualFolders/LibraryOptions", Access.Admin, LibraryApi.SetOptions);
        r.Post("/Library/VirtualFolders/Paths", Access.Admin, LibraryApi.AddPath);
        r.Delete("/Library/VirtualFolders/Paths", Access.Admin, LibraryApi.RemovePath);
        r.Post("/Library/Refresh", Access.Admin, LibraryApi.Refresh);
        r.Post("/Items/{itemId}/Refresh", Access.Admin, ItemApi.Refresh);

        r.Get("/Items", Access.User, ItemApi.Items);
        r.Get("/Users/{userId}/Items", Access.User, ItemApi.Items);
        r.Get("/Users/{userId}/Items/{itemId}", Access.User, ItemApi.Item);
        r.Delete("/Items/{itemId}", Access.User, ItemApi.Delete);
        r.Get("/Users/{userId}/Views", Access.User, ItemApi.Views);
        r.Get("/Shows/{seriesId}/Episodes", Access.User, ItemApi.Episodes);
        r.Get("/Shows/{seriesId}/Seasons", Access.User, ItemApi.Seasons);
        r.Get("/Items/{itemId}/Images/{imageType}", Access.Anonymous, ItemApi.Image);
        r.Get("/Items/{itemId}/Images/{imageType}/{imageIndex}", Access.Anonymous, ItemApi.Image);

        // Jellyfin's stream endpoint has no auth attribute; Emby wants api_key in the URL.
        var streamAccess = emby ? Access.User : Access.Anonymous;
        r.Get("/Videos/{itemId}/stream", streamAccess, ItemApi.Stream);
        r.Get("/Videos/{itemId}/stream.{container}", streamAccess, ItemApi.Stream);

        r.Post("/Playlists", Access.User, PlaylistApi.Create);
        r.Get("/Playlists/{playlistId}/Items", Access.User, PlaylistApi.Items);
        r.Post("/Playlists/{playlistId}/Items", Access.User, PlaylistApi.AddItems);
        r.Delete("/Playlists/{playlistId}/Items", Access.User, PlaylistApi.RemoveItems);
        r.Post("/Collections", Access.User, PlaylistApi.CreateCollection);
        r.Post("/Collections/{collectionId}/Items", Access.User, PlaylistApi.AddToCollection);
        r.Delete("/Collections/{collectionId}/Items", Access.User, PlaylistApi.RemoveFromCollection);

        r.Get("/Sessions", Access.User, SessionApi.List);
        r.Post("/Sessions/{sessionId}/Playing", Access.User, SessionApi.Play);

        if (jellyfin)
        {
            r.Get("/Users/Me", Access.User, UserApi.Me);
            r.Get("/Items/{itemId}", Access.User, ItemApi.Item);
            r.Get("/UserViews", Access.User, ItemApi.Views);
            r.Get("/Playlists/{playlistId}", Access.User, PlaylistApi.Get);
            r.Post("/Playlists/{playlistId}", Access.User, PlaylistApi.Update);
            r.Get("/Playlists/{playlistId}/Users", Access.User, PlaylistApi.Users);
            r.Get("/Playlists/{playlistId}/Users/{userId}", Access.User, PlaylistApi.User);
            r.Post("/Playlists/{playlistId}/Users/{userId}", Access.User, PlaylistApi.SetUser);
            r.Delete("/Playlists/{playlistId}/Users/{userId}", Access.User, PlaylistApi.RemoveUser);
        }

        if (emby)
        {
            r.Get("/Users/Query", Access.Admin, UserApi.Query);
            r.Get("/Library/VirtualFolders/Query", Access.Admin, LibraryApi.Query);
            r.Post("/Library/VirtualFolders/Delete", Access.Admin, LibraryApi.Remove);
            r.Post("/Items/{itemId}/Delete", Access.User, ItemApi.Delete);
            r.Post("/Playlists/{playlistId}/Items/Delete", Access.User, PlaylistApi.RemoveItems);
            r.Post("/Collections/{collectionId}/Items/Delete", Access.User, PlaylistApi.RemoveFromCollection);
        }
    }
}
