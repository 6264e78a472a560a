using System.Text.Json.Nodes;
using Aperture.Fakes.Wire;

namespace Aperture.Fakes.Api;

// Playlists and collections: both are items holding an ordered list of linked entries.
internal static class PlaylistApi
{
    // Jellyfin: body {Name, Ids, UserId, MediaType, Users, IsPublic} where IsPublic defaults to true, or the obsolete query
    // form (private). Emby: query only, answering {Id, Name, ItemAddedCount}.
    public static Reply Create(FakeRequest q)
    {
        var body = q.Dialect.Kind == FakeDialect.Jellyfin ? q.Body : null;
        var name = Json.PropString(body, "Name") ?? q.Query("Name");
        var ownerId = Json.PropString(body, "UserId") ?? q.Query("UserId") ?? q.Me.User?.Id;
        if (string.IsNullOrWhiteSpace(name))
        {
            return Reply.BadRequest("A name is required.");
        }
        if (ownerId is null || q.State.FindUser(ownerId) is not { } owner)
        {
            return Reply.BadRequest("A valid UserId is required.");
        }
        if (!q.Me.IsAdmin && !q.Me.Is(owner))
        {
            return Reply.Forbidden();
        }
        var ids = Json.PropStrings(body, "Ids") ?? [.. q.QueryList("Ids")];
        var items = ids.Select(q.State.ItemOrNull).OfType<FakeItem>().ToList();
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

    public static Reply AddItems(FakeRequest q)
    {
        if (Find(q, edit: true, out var playlist) is { } denied)
        {
            return denied;
        }
        var added = Link(q, playlist, allowRepeats: true);
        return q.Dialect.AddToPlaylistReturnsCount ? Reply.Object(w => w.WriteNumber("ItemAddedCount", added)) : Reply.NoContent();
    }

    public static Reply RemoveItems(FakeRequest q)
    {
        if (Find(q, edit: true, out var playlist) is { } denied)
        {
            return denied;
        }
        var entryIds = q.QueryList("EntryIds").ToHashSet(StringComparer.OrdinalIgnoreCase);
        playlist.LinkedItems.RemoveAll(e => entryIds.Contains(e.EntryId));
        return Reply.NoContent();
    }

    public static Reply Items(FakeRequest q)
    {
        if (Find(q, edit: false, out var playlist) is { } denied)
        {
            return denied;
        }
        if (q.ResolveUser(out var user) is { } forbidden)
        {
            return forbidden;
        }
        var rows = playlist.LinkedItems
            .Select(e => (Item: q.State.ItemOrNull(e.ItemId), e.EntryId))
            .Where(r => r.Item is not null)
            .Select(r => new ItemRow(r.Item!, r.EntryId));
        return ItemQuery.Run(q, user ?? q.Me.User, rows, keepOrder: true);
    }

    // Jellyfin 10.9+: POST /Playlists/{id} {Name?, Ids?, Users?, IsPublic?}; only what is present changes.
    public static Reply Update(FakeRequest q)
    {
        if (Find(q, edit: true, out var playlist) is { } denied)
        {
            return denied;
        }
        playlist.Name = Json.PropString(q.Body, "Name") ?? playlist.Name;
        playlist.Playlist!.IsPublic = Json.PropBool(q.Body, "IsPublic") ?? playlist.Playlist.IsPublic;
        if (Json.PropStrings(q.Body, "Ids") is { } ids)
        {
            playlist.LinkedItems.Clear();
            playlist.LinkedItems.AddRange(ids.Select(id => new FakeLinkedEntry(q.Dialect.NewItemId(), Ids.Normalize(id))));
        }
        ReplaceShares(playlist.Playlist, q.Body);
        q.State.Touch(playlist);
        return Reply.NoContent();
    }

    public static Reply Get(FakeRequest q) => Find(q, edit: false, out var playlist) ?? Reply.Object(w =>
    {
        w.WriteBoolean("OpenAccess", playlist.Playlist!.IsPublic);
        w.WriteStartArray("Shares");
        playlist.Playlist.Shares.ForEach(s => Dtos.Shares(w, s));
        w.WriteEndArray();
        w.Strings("ItemIds", playlist.LinkedItems.Select(e => e.ItemId));
    });

    public static Reply Users(FakeRequest q) =>
        Find(q, edit: true, out var playlist) ?? Reply.Array(playlist.Playlist!.Shares, Dtos.Shares);

    public static Reply User(FakeRequest q)
    {
        if (Find(q, edit: false, out var playlist) is { } denied)
        {
            return denied;
        }
        return playlist.Playlist!.Shares.Find(s => s.UserId == Ids.Normalize(q.Route("userId"))) is { } share
            ? Reply.Json(w => Dtos.Shares(w, share))
            : Reply.NotFound("The user is not in the playlist.");
    }

    public static Reply SetUser(FakeRequest q)
    {
        if (Find(q, edit: true, out var playlist) is { } denied)
        {
            return denied;
        }
        var userId = Ids.Normalize(q.Route("userId"));
        playlist.Playlist!.Shares.RemoveAll(s => s.UserId == userId);
        playlist.Playlist.Shares.Add(new FakePlaylistShare(userId, Json.PropBool(q.Body, "CanEdit") ?? false));
        return Reply.NoContent();
    }

    public static Reply RemoveUser(FakeRequest q)
    {
        if (Find(q, edit: true, out var playlist) is { } denied)
        {
            return denied;
        }
        playlist.Playlist!.Shares.RemoveAll(s => s.UserId == Ids.Normalize(q.Route("userId")));
        return Reply.NoContent();
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
                target.LinkedItems.Add(new FakeLinkedEntry(q.Dialect.NewItemId(), item.Id));
                added++;
            }
        }
        return added;
    }

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
