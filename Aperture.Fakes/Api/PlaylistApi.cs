using System.Text.Json.Nodes;
using Aperture.Fakes.Wire;

namespace Aperture.Fakes.Api;

// Playlists and collections: both are items holding an ordered list of linked entries.
internal static class PlaylistApi
{
    // Jellyfin: body {Name, Ids, UserId, MediaType, Users, IsPublic} where IsPublic defaults to true, or the obsolete query
    // form (private). Emby: query only, answering {Id, Name, ItemAddedCount}.
    // Jellyfin: PlaylistsController.CreatePlaylist → RequestHelpers.GetUserId (another user's id needs an administrator; an API key
    // without one has no user: 400) → PlaylistManager.CreatePlaylist (query values win over the body's).
    public static Reply Create(FakeRequest q)
    {
        var body = q.Dialect.Kind == FakeDialect.Jellyfin ? q.Body : null;
        var name = q.Query("Name") ?? Json.PropString(body, "Name");
        // Emby 4.8: the playlist is the caller's (POST /Playlists has no UserId): a user token's user, or for an API key the UserId
        // of its authorization header.
        var ownerId = q.Dialect.Kind == FakeDialect.Emby
            ? q.Me.User?.Id ?? q.Auth.Field("UserId")
            : q.Query("UserId") ?? Json.PropString(body, "UserId") ?? q.Me.User?.Id;
        if (string.IsNullOrWhiteSpace(name))
        {
            return Reply.BadRequest("A name is required.");
        }
        if (ownerId is null)
        {
            return q.Dialect.Kind == FakeDialect.Jellyfin ? NoUser() : Reply.BadRequest("A playlist needs a user: the caller's, or UserId in the authorization header.");
        }
        if (q.State.FindUser(ownerId) is not { } owner)
        {
            return Reply.BadRequest("A valid UserId is required.");
        }
        if (!q.Me.IsAdmin && !q.Me.Is(owner))
        {
            return Reply.Forbidden();
        }
        IEnumerable<string> ids = q.QueryList("Ids") is { Length: > 0 } queryIds ? queryIds : Json.PropStrings(body, "Ids") ?? [];
        var items = ids.Select(q.State.ItemOrNull).OfType<FakeItem>().ToList();
        if (!q.Server.PlaylistAllowsRepeats)
        {
            items = [.. items.DistinctBy(i => i.Id)];
        }
        var playlist = new FakeLibraryBuilder(q.State).Playlist(owner, name, items, isPublic: body is not null && (Json.PropBool(body, "IsPublic") ?? true));
        playlist.Playlist!.MediaType = Json.PropString(body, "MediaType") ?? q.Query("MediaType") ?? "Video";
        ReplaceShares(playlist.Playlist, body);
        return Reply.Object(w =>
        {
            w.WriteString("Id", playlist.Id);
            if (q.Dialect.Kind == FakeDialect.Emby)
            {
                w.WriteString("Name", playlist.Name);
                w.WriteNumber("ItemAddedCount", items.Count);
            }
        });
    }

    // Jellyfin: PlaylistsController.AddItemToPlaylist → the userId (the caller's own without one: an API key has none, 400) must own
    // the playlist or hold an editable share, administrators included (403); PlaylistManager.AddToPlaylistInternal skips items
    // already in the playlist on 10.11 and appends them again on 12.0.
    public static Reply AddItems(FakeRequest q)
    {
        if (q.Dialect.Kind == FakeDialect.Jellyfin)
        {
            if (ActingUser(q, q.Query("userId"), adminMayActAsOthers: true, out var user) is { } refused)
            {
                return refused;
            }
            if (JellyfinFind(q, user, out var jellyfinPlaylist) is { } missing)
            {
                return missing;
            }
            if (!CanEdit(jellyfinPlaylist, user))
            {
                return JellyfinForbid();
            }
            Link(q, jellyfinPlaylist, allowRepeats: q.Server.PlaylistAllowsRepeats);
            q.State.Touch(jellyfinPlaylist);
            return Reply.NoContent();
        }
        if (Find(q, edit: true, out var playlist) is { } denied)
        {
            return denied;
        }
        var added = Link(q, playlist, allowRepeats: true);
        return q.Dialect.AddToPlaylistReturnsCount ? Reply.Object(w => w.WriteNumber("ItemAddedCount", added)) : Reply.NoContent();
    }

    // Jellyfin: PlaylistsController.RemoveItemFromPlaylist → an API key may remove; a user must own or hold an editable share (403).
    // PlaylistManager.RemoveItemFromPlaylistAsync drops every entry whose id is listed (on Jellyfin an entry's id is its item's).
    public static Reply RemoveItems(FakeRequest q)
    {
        if (q.Dialect.Kind == FakeDialect.Jellyfin)
        {
            if (q.Me.User is { } caller)
            {
                if (JellyfinFind(q, caller, out var visible) is { } missing)
                {
                    return missing;
                }
                if (!CanEdit(visible, caller))
                {
                    return JellyfinForbid();
                }
            }
            if (q.State.ItemOrNull(q.Route("playlistId"))?.Playlist is null)
            {
                return new Reply(404, [], null);
            }
        }
        else if (Find(q, edit: true, out _) is { } denied)
        {
            return denied;
        }
        var playlist = q.State.ItemOrNull(q.Route("playlistId"))!;
        var entryIds = q.QueryList("EntryIds").ToHashSet(StringComparer.OrdinalIgnoreCase);
        playlist.LinkedItems.RemoveAll(e => entryIds.Contains(e.EntryId));
        q.State.Touch(playlist);
        return Reply.NoContent();
    }

    // Jellyfin: PlaylistsController.GetPlaylistItems → as userId (no administrator check) or the caller (an API key alone: 400);
    // 404 unless visible to that user, 403 unless public, owned or shared; PlaylistItemId is the entry's LinkedChild.ItemId.
    public static Reply Items(FakeRequest q)
    {
        FakeUser? user;
        FakeItem playlist;
        if (q.Dialect.Kind == FakeDialect.Jellyfin)
        {
            if (ActingUser(q, q.Query("userId"), adminMayActAsOthers: null, out var acting) is { } refused)
            {
                return refused;
            }
            if (JellyfinFind(q, acting, out playlist) is { } missing)
            {
                return missing;
            }
            user = acting;
        }
        else
        {
            if (Find(q, edit: false, out playlist) is { } denied)
            {
                return denied;
            }
            if (q.ResolveUser(out user) is { } forbidden)
            {
                return forbidden;
            }
        }
        var rows = playlist.LinkedItems
            .Select(e => (Item: q.State.ItemOrNull(e.ItemId), e.EntryId))
            .Where(r => r.Item is not null)
            .Select(r => new ItemRow(r.Item!, r.EntryId));
        return ItemQuery.Run(q, user ?? q.Me.User, rows, keepOrder: true);
    }

    // Jellyfin 10.9+: PlaylistsController.UpdatePlaylist → acts as the calling user (an API key has none: 400), who must own the
    // playlist or hold an editable share, administrators included (403); only what the body holds changes.
    public static Reply Update(FakeRequest q)
    {
        if (ActingUser(q, null, adminMayActAsOthers: false, out var user) is { } refused)
        {
            return refused;
        }
        if (JellyfinFind(q, user, out var playlist) is { } missing)
        {
            return missing;
        }
        if (!CanEdit(playlist, user))
        {
            return JellyfinForbid();
        }
        playlist.Name = Json.PropString(q.Body, "Name") ?? playlist.Name;
        playlist.Playlist!.IsPublic = Json.PropBool(q.Body, "IsPublic") ?? playlist.Playlist.IsPublic;
        if (Json.PropStrings(q.Body, "Ids") is { } ids)
        {
            var items = ids.Select(q.State.ItemOrNull).OfType<FakeItem>();
            playlist.LinkedItems.Clear();
            playlist.LinkedItems.AddRange((q.Server.PlaylistAllowsRepeats ? items : items.DistinctBy(i => i.Id))
                .Select(i => new FakeLinkedEntry(q.Dialect.PlaylistEntryId(i.Id), i.Id)));
        }
        ReplaceShares(playlist.Playlist, q.Body);
        q.State.Touch(playlist);
        return Reply.NoContent();
    }

    // Jellyfin: PlaylistsController.GetPlaylist → as the calling user (API key: 400), 404 unless visible to them.
    public static Reply Get(FakeRequest q)
    {
        if (ActingUser(q, null, adminMayActAsOthers: false, out var user) is { } refused)
        {
            return refused;
        }
        return JellyfinFind(q, user, out var playlist) ?? Reply.Object(w =>
        {
            w.WriteBoolean("OpenAccess", playlist.Playlist!.IsPublic);
            w.WriteStartArray("Shares");
            playlist.Playlist.Shares.ForEach(s => Dtos.Shares(w, s));
            w.WriteEndArray();
            w.Strings("ItemIds", playlist.LinkedItems.Select(e => e.ItemId));
        });
    }

    // Jellyfin: PlaylistsController.GetPlaylistUsers → the calling user must own the playlist (API key: 400; others: 403).
    public static Reply Users(FakeRequest q)
    {
        if (ActingUser(q, null, adminMayActAsOthers: false, out var user) is { } refused)
        {
            return refused;
        }
        if (JellyfinFind(q, user, out var playlist) is { } missing)
        {
            return missing;
        }
        return playlist.Playlist!.OwnerUserId == user.Id ? Reply.Array(playlist.Playlist.Shares, Dtos.Shares) : JellyfinForbid();
    }

    // Jellyfin: PlaylistsController.GetPlaylistUser → the owner sees any share, an editor or the user itself their own (API key: 400).
    public static Reply User(FakeRequest q)
    {
        if (ActingUser(q, null, adminMayActAsOthers: false, out var caller) is { } refused)
        {
            return refused;
        }
        if (JellyfinFind(q, caller, out var playlist) is { } missing)
        {
            return missing;
        }
        var userId = Ids.Normalize(q.Route("userId"));
        var permitted = playlist.Playlist!.OwnerUserId == caller.Id || CanEdit(playlist, caller) || userId == caller.Id;
        if (!permitted)
        {
            return JellyfinForbid();
        }
        return playlist.Playlist.Shares.Find(s => s.UserId == userId) is { } share
            ? Reply.Json(w => Dtos.Shares(w, share))
            : Reply.NotFound("User permissions not found");
    }

    // Jellyfin: PlaylistsController.UpdatePlaylistUser → only the owner, as the calling user (API key: 400; others: 403).
    public static Reply SetUser(FakeRequest q)
    {
        if (ActingUser(q, null, adminMayActAsOthers: false, out var caller) is { } refused)
        {
            return refused;
        }
        if (JellyfinFind(q, caller, out var playlist) is { } missing)
        {
            return missing;
        }
        if (playlist.Playlist!.OwnerUserId != caller.Id)
        {
            return JellyfinForbid();
        }
        var userId = Ids.Normalize(q.Route("userId"));
        playlist.Playlist.Shares.RemoveAll(s => s.UserId == userId);
        playlist.Playlist.Shares.Add(new FakePlaylistShare(userId, Json.PropBool(q.Body, "CanEdit") ?? false));
        return Reply.NoContent();
    }

    // Jellyfin: PlaylistsController.RemoveUserFromPlaylist → owner or editable share, as the calling user (API key: 400; others: 403).
    public static Reply RemoveUser(FakeRequest q)
    {
        if (ActingUser(q, null, adminMayActAsOthers: false, out var caller) is { } refused)
        {
            return refused;
        }
        if (JellyfinFind(q, caller, out var playlist) is { } missing)
        {
            return missing;
        }
        if (!CanEdit(playlist, caller))
        {
            return JellyfinForbid();
        }
        return playlist.Playlist!.Shares.RemoveAll(s => s.UserId == Ids.Normalize(q.Route("userId"))) > 0
            ? Reply.NoContent()
            : Reply.NotFound("User permissions not found");
    }

    // Jellyfin box sets need an administrator or EnableCollectionManagement; they are not private to anyone.
    public static Reply CreateCollection(FakeRequest q)
    {
        if (CollectionDenied(q))
        {
            return Reply.Forbidden();
        }
        if (q.Query("Name") is not { } name)
        {
            return Reply.BadRequest("A name is required.");
        }
        var set = new FakeLibraryBuilder(q.State).BoxSet(name);
        Link(q, set, allowRepeats: false);
        return Reply.Object(w => w.WriteString("Id", set.Id));
    }

    public static Reply AddToCollection(FakeRequest q)
    {
        if (CollectionDenied(q))
        {
            return Reply.Forbidden();
        }
        if (q.State.ItemOrNull(q.Route("collectionId")) is not { Type: FakeItemType.BoxSet } set)
        {
            return Reply.NotFound("Collection not found.");
        }
        Link(q, set, allowRepeats: false);
        return Reply.NoContent();
    }

    public static Reply RemoveFromCollection(FakeRequest q)
    {
        if (CollectionDenied(q))
        {
            return Reply.Forbidden();
        }
        if (q.State.ItemOrNull(q.Route("collectionId")) is not { Type: FakeItemType.BoxSet } set)
        {
            return Reply.NotFound("Collection not found.");
        }
        var ids = q.QueryList("Ids").Select(Ids.Normalize).ToHashSet(StringComparer.OrdinalIgnoreCase);
        set.LinkedItems.RemoveAll(e => ids.Contains(e.ItemId));
        return Reply.NoContent();
    }

    private static bool CollectionDenied(FakeRequest q) =>
        q.Dialect.CollectionsNeedPermission && !q.Me.IsAdmin && q.Me.User?.EnableCollectionManagement != true;

    // Owner, editor or administrator may edit; anyone it is shared with, or everyone when public, may read.
    private static Reply? Find(FakeRequest q, bool edit, out FakeItem playlist)
    {
        var found = q.State.ItemOrNull(q.Route("playlistId"));
        playlist = found!;
        if (found?.Playlist is not { } info)
        {
            return Reply.NotFound("Playlist not found.");
        }
        var share = info.Shares.Find(s => s.UserId == q.Me.User?.Id);
        var allowed = q.Me.IsAdmin || info.OwnerUserId == q.Me.User?.Id || (edit ? share?.CanEdit == true : share is not null || info.IsPublic);
        return allowed ? null : Reply.Forbidden();
    }

    private static int Link(FakeRequest q, FakeItem target, bool allowRepeats)
    {
        var added = 0;
        foreach (var item in q.QueryList("Ids").Select(q.State.ItemOrNull).OfType<FakeItem>())
        {
            if (allowRepeats || !target.LinkedItems.Exists(e => e.ItemId == item.Id))
            {
                target.LinkedItems.Add(new FakeLinkedEntry(target.Playlist is null ? q.Dialect.NewItemId() : q.Dialect.PlaylistEntryId(item.Id), item.Id));
                added++;
            }
        }
        return added;
    }

    // Jellyfin's RequestHelpers.GetUserId and UserManager.GetUserById: the given id (another user's needs an administrator when
    // adminMayActAsOthers is true, nothing when null), else the caller's own; an API key has no user, and an empty id is an
    // ArgumentException the server answers 400 with its message.
    private static Reply? ActingUser(FakeRequest q, string? userId, bool? adminMayActAsOthers, out FakeUser user)
    {
        user = null!;
        if (userId is not null && adminMayActAsOthers is not false)
        {
            if (q.State.FindUser(userId) is not { } given)
            {
                return Reply.NotFound("User not found");
            }
            if (adminMayActAsOthers == true && !q.Me.Is(given) && !q.Me.IsAdmin)
            {
                return Reply.Forbidden();
            }
            user = given;
            return null;
        }
        if (q.Me.User is null)
        {
            return NoUser();
        }
        user = q.Me.User;
        return null;
    }

    private static Reply NoUser() => Reply.BadRequest("Guid can't be empty (Parameter 'id')");

    // Jellyfin: PlaylistManager.GetPlaylistForUser → Playlist.IsVisible: public, owned or shared; administrators get no exception.
    private static Reply? JellyfinFind(FakeRequest q, FakeUser user, out FakeItem playlist)
    {
        var found = q.State.ItemOrNull(q.Route("playlistId"));
        playlist = found!;
        var visible = found?.Playlist is { } info && (info.IsPublic || info.OwnerUserId == user.Id || info.Shares.Exists(s => s.UserId == user.Id));
        return visible ? null : Reply.NotFound("Playlist not found");
    }

    private static bool CanEdit(FakeItem playlist, FakeUser user) =>
        playlist.Playlist!.OwnerUserId == user.Id || playlist.Playlist.Shares.Exists(s => s.CanEdit && s.UserId == user.Id);

    // ASP.NET's Forbid() through Jellyfin's authentication handler: 403 with no body.
    private static Reply JellyfinForbid() => new(403, [], null);

    private static void ReplaceShares(FakePlaylistInfo info, JsonObject? body)
    {
        if (Json.Prop(body, "Users") is not JsonArray users)
        {
            return;
        }
        info.Shares.Clear();
        foreach (var share in users.OfType<JsonObject>())
        {
            if (Json.PropString(share, "UserId") is { } id && Ids.Normalize(id) != info.OwnerUserId)
            {
                info.Shares.Add(new FakePlaylistShare(Ids.Normalize(id), Json.PropBool(share, "CanEdit") ?? false));
            }
        }
    }
}
