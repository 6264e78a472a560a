namespace Aperture.Fakes.Api;

// Every route both fakes answer, in one table; a route only one server has says so. Each names the Jellyfin controller
// action behind it (jellyfin/jellyfin v10.11.11, unchanged in v12.0-rc5 for these) and what the fake copies of it; Emby
// follows its OpenAPI description (shared/contracts/emby-4.8.json).
internal static class FakeRoutes
{
    public static void Map(RouteTable r)
    {
        var jellyfin = r.Dialect == FakeDialect.Jellyfin;
        var emby = !jellyfin;

        // Jellyfin: SystemController.GetPublicSystemInfo, anonymous
        r.Get("/System/Info/Public", Access.Anonymous, SystemApi.PublicInfo);
        // Jellyfin: SystemController.GetSystemInfo (FirstTimeSetupOrIgnoreParentalControl: any signed-in caller)
        r.Get("/System/Info", Access.User, SystemApi.Info);
        // Jellyfin: SystemController.PingSystem, anonymous
        r.Get("/System/Ping", Access.Anonymous, SystemApi.Ping);
        // Jellyfin: SystemController.PingSystem, anonymous
        r.Post("/System/Ping", Access.Anonymous, SystemApi.Ping);

        // Jellyfin: UserController.AuthenticateUserByName → 401 on wrong credentials
        r.Post("/Users/AuthenticateByName", Access.Anonymous, UserApi.Authenticate);
        // Jellyfin: UserController.GetUsers
        r.Get("/Users", Access.User, UserApi.List);
        // Jellyfin: UserController.GetUserById
        r.Get("/Users/{userId}", Access.User, UserApi.Get);
        // Jellyfin: UserController.UpdateUserPolicy, administrators only (RequiresElevation)
        r.Post("/Users/{userId}/Policy", Access.Admin, UserApi.SetPolicy);
        // Jellyfin: SessionController.ReportSessionEnded
        r.Post("/Sessions/Logout", Access.User, SessionApi.Logout);

        // Jellyfin: LibraryStructureController.GetVirtualFolders (FirstTimeSetupOrElevated)
        r.Get("/Library/VirtualFolders", Access.Admin, LibraryApi.List);
        // Jellyfin: LibraryStructureController.AddVirtualFolder, name/collectionType/paths in the query
        r.Post("/Library/VirtualFolders", Access.Admin, LibraryApi.Create);
        // Jellyfin: LibraryStructureController.RemoveVirtualFolder
        r.Delete("/Library/VirtualFolders", Access.Admin, LibraryApi.Remove);
        // Jellyfin: LibraryStructureController.UpdateLibraryOptions, the whole object
        r.Post("/Library/VirtualFolders/LibraryOptions", Access.Admin, LibraryApi.SetOptions);
        // Jellyfin: LibraryStructureController.AddMediaPath
        r.Post("/Library/VirtualFolders/Paths", Access.Admin, LibraryApi.AddPath);
        // Jellyfin: LibraryStructureController.RemoveMediaPath
        r.Delete("/Library/VirtualFolders/Paths", Access.Admin, LibraryApi.RemovePath);
        // Jellyfin: LibraryController.RefreshLibrary (RequiresElevation)
        r.Post("/Library/Refresh", Access.Admin, LibraryApi.Refresh);
        // Jellyfin: ItemRefreshController.RefreshItem (RequiresElevation)
        r.Post("/Items/{itemId}/Refresh", Access.Admin, ItemApi.Refresh);

        // Jellyfin: ItemsController.GetItems: without userId no UserData and no box set members
        r.Get("/Items", Access.User, ItemApi.Items);
        // Jellyfin: ItemsController.GetItemsByUserIdLegacy (obsolete since 10.9)
        r.Get("/Users/{userId}/Items", Access.User, ItemApi.Items);
        // Jellyfin: UserLibraryController.GetItemLegacy
        r.Get("/Users/{userId}/Items/{itemId}", Access.User, ItemApi.Item);
        // Jellyfin: LibraryController.DeleteItem: an API key any item, a user what BaseItem.CanDelete allows (else 401)
        r.Delete("/Items/{itemId}", Access.User, ItemApi.Delete);
        // Jellyfin: UserViewsController.GetUserViewsLegacy
        r.Get("/Users/{userId}/Views", Access.User, ItemApi.Views);
        // Jellyfin: TvShowsController.GetEpisodes
        r.Get("/Shows/{seriesId}/Episodes", Access.User, ItemApi.Episodes);
        // Jellyfin: TvShowsController.GetSeasons
        r.Get("/Shows/{seriesId}/Seasons", Access.User, ItemApi.Seasons);
        // Jellyfin: ImageController.GetItemImage, anonymous
        r.Get("/Items/{itemId}/Images/{imageType}", Access.Anonymous, ItemApi.Image);
        // Jellyfin: ImageController.GetItemImageByIndex, anonymous
        r.Get("/Items/{itemId}/Images/{imageType}/{imageIndex}", Access.Anonymous, ItemApi.Image);

        // Jellyfin's stream endpoint has no auth attribute; Emby wants api_key in the URL.
        var streamAccess = emby ? Access.User : Access.Anonymous;
        // Jellyfin: VideosController.GetVideoStream (no auth attribute); Emby: Container required
        r.Get("/Videos/{itemId}/stream", streamAccess, ItemApi.Stream);
        // Jellyfin: VideosController.GetVideoStreamByContainer
        r.Get("/Videos/{itemId}/stream.{container}", streamAccess, ItemApi.Stream);

        // Jellyfin: PlaylistsController.CreatePlaylist → PlaylistManager.CreatePlaylist; Emby: the caller owns it
        r.Post("/Playlists", Access.User, PlaylistApi.Create);
        // Jellyfin: PlaylistsController.GetPlaylistItems: as userId or the caller
        r.Get("/Playlists/{playlistId}/Items", Access.User, PlaylistApi.Items);
        // Jellyfin: PlaylistsController.AddItemToPlaylist: owner or editor, 400 for a key without userId
        r.Post("/Playlists/{playlistId}/Items", Access.User, PlaylistApi.AddItems);
        // Jellyfin: PlaylistsController.RemoveItemFromPlaylist: API keys allowed
        r.Delete("/Playlists/{playlistId}/Items", Access.User, PlaylistApi.RemoveItems);
        // Jellyfin: CollectionController.CreateCollection (CollectionManagement policy)
        r.Post("/Collections", Access.User, PlaylistApi.CreateCollection);
        // Jellyfin: CollectionController.AddToCollection (CollectionManagement policy)
        r.Post("/Collections/{collectionId}/Items", Access.User, PlaylistApi.AddToCollection);
        // Jellyfin: CollectionController.RemoveFromCollection (CollectionManagement policy)
        r.Delete("/Collections/{collectionId}/Items", Access.User, PlaylistApi.RemoveFromCollection);

        // Jellyfin: UserLibraryController.MarkFavoriteItemLegacy (obsolete, still in 10.11 and 12.0); Emby: the only form
        r.Post("/Users/{userId}/FavoriteItems/{itemId}", Access.User, UserDataApi.Favorite);
        // Jellyfin: UserLibraryController.UnmarkFavoriteItemLegacy; Emby: DELETE form
        r.Delete("/Users/{userId}/FavoriteItems/{itemId}", Access.User, UserDataApi.Unfavorite);

        // Jellyfin: SessionController.GetSessions
        r.Get("/Sessions", Access.User, SessionApi.List);
        // Jellyfin: SessionController.Play
        r.Post("/Sessions/{sessionId}/Playing", Access.User, SessionApi.Play);

        if (jellyfin)
        {
            // Jellyfin: UserController.GetCurrentUser: 400 for an API key (no user)
            r.Get("/Users/Me", Access.User, UserApi.Me);
            // Jellyfin: UserLibraryController.MarkFavoriteItem (10.9+), userId in the query
            r.Post("/UserFavoriteItems/{itemId}", Access.User, UserDataApi.Favorite);
            // Jellyfin: UserLibraryController.UnmarkFavoriteItem (10.9+)
            r.Delete("/UserFavoriteItems/{itemId}", Access.User, UserDataApi.Unfavorite);
            // Jellyfin: UserLibraryController.GetItem
            r.Get("/Items/{itemId}", Access.User, ItemApi.Item);
            // Jellyfin: UserViewsController.GetUserViews
            r.Get("/UserViews", Access.User, ItemApi.Views);
            // Jellyfin: PlaylistsController.GetPlaylist: as the caller (API key: 400)
            r.Get("/Playlists/{playlistId}", Access.User, PlaylistApi.Get);
            // Jellyfin: PlaylistsController.UpdatePlaylist: owner or editor as the caller (API key: 400)
            r.Post("/Playlists/{playlistId}", Access.User, PlaylistApi.Update);
            // Jellyfin: PlaylistsController.GetPlaylistUsers: owner only (API key: 400)
            r.Get("/Playlists/{playlistId}/Users", Access.User, PlaylistApi.Users);
            // Jellyfin: PlaylistsController.GetPlaylistUser (API key: 400)
            r.Get("/Playlists/{playlistId}/Users/{userId}", Access.User, PlaylistApi.User);
            // Jellyfin: PlaylistsController.UpdatePlaylistUser: owner only (API key: 400)
            r.Post("/Playlists/{playlistId}/Users/{userId}", Access.User, PlaylistApi.SetUser);
            // Jellyfin: PlaylistsController.RemoveUserFromPlaylist: owner or editor (API key: 400)
            r.Delete("/Playlists/{playlistId}/Users/{userId}", Access.User, PlaylistApi.RemoveUser);
        }

        if (emby)
        {
            // Emby 4.7.5+: paged users
            r.Get("/Users/Query", Access.Admin, UserApi.Query);
            // Emby 4.8: paged libraries with Id and Guid
            r.Get("/Library/VirtualFolders/Query", Access.Admin, LibraryApi.Query);
            // Emby: {Id, RefreshLibrary}
            r.Post("/Library/VirtualFolders/Delete", Access.Admin, LibraryApi.Remove);
            // Emby: POST form of DELETE /Users/{UserId}/FavoriteItems/{Id}
            r.Post("/Users/{userId}/FavoriteItems/{itemId}/Delete", Access.User, UserDataApi.Unfavorite);
            // Emby: POST form of DELETE /Items/{Id}
            r.Post("/Items/{itemId}/Delete", Access.User, ItemApi.Delete);
            // Emby: POST form of DELETE /Playlists/{Id}/Items
            r.Post("/Playlists/{playlistId}/Items/Delete", Access.User, PlaylistApi.RemoveItems);
            // Emby: POST form of DELETE /Collections/{Id}/Items
            r.Post("/Collections/{collectionId}/Items/Delete", Access.User, PlaylistApi.RemoveFromCollection);
        }
    }
}
