using Aperture.Fakes.Wire;

namespace Aperture.Fakes.Api;

internal static class ItemApi
{
    // A 1x1 PNG: enough for an <img> or a content-type check.
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    private static readonly byte[] Video = "\0\0\0\x18ftypmp42fake-video-bytes"u8.ToArray();

    public static Reply Items(FakeRequest q) => q.ResolveUser(out var user) ?? ItemQuery.Run(q, user);

    public static Reply Item(FakeRequest q)
    {
        if (q.ResolveUser(out var user) is { } denied)
        {
            return denied;
        }
        if (q.State.ItemOrNull(q.Route("itemId")) is not { } item || !q.State.Visibility(user)(item))
        {
            return Reply.NotFound("Item not found.");
        }
        var view = ItemQuery.View(q, user, allFields: true);
        return Reply.Json(w => new ItemWriter(q.State).Write(w, new ItemRow(item), view));
    }

    public static Reply Views(FakeRequest q) =>
        q.ResolveUser(out var user) ?? (user is null ? Reply.BadRequest("userId is required.") : ItemQuery.Run(q, user));

    // Episodes of a series in aired order, optionally one season (seasonId, or season number).
    public static Reply Episodes(FakeRequest q) => SeriesChildren(q, FakeItemType.Episode, e =>
        (q.Query("seasonId") is not { } seasonId || e.SeasonId == Ids.Normalize(seasonId))
        && (q.QueryInt("season") is not { } number || e.ParentIndexNumber == number));

    public static Reply Seasons(FakeRequest q) => SeriesChildren(q, FakeItemType.Season, _ => true);

    public static Reply Image(FakeRequest q)
    {
        var item = q.State.ItemOrNull(q.Route("itemId"));
        var tag = q.Route("imageType").ToLowerInvariant() switch
        {
            "primary" => item?.PrimaryImageTag,
            "backdrop" => item?.BackdropImageTag,
            _ => null,
        };
        return tag is null ? Reply.NotFound("Image not found.") : Reply.Bytes(Png, "image/png");
    }

    // Jellyfin: VideosController.GetVideoStream (no auth attribute). Emby 4.8: /Videos/{Id}/stream requires Container in the query,
    // /Videos/{Id}/stream.{Container} has it in the path.
    public static Reply Stream(FakeRequest q)
    {
        if (q.Dialect.Kind == FakeDialect.Emby && q.Route("container").Length == 0 && q.Query("Container") is null)
        {
            return Reply.BadRequest("Container is required.");
        }
        return q.State.ItemOrNull(q.Route("itemId")) is { IsVideo: true } ? Reply.Bytes(Video, "video/mp4") : Reply.NotFound("Item not found.");
    }

    // Admins delete anything; a user only their own playlists.
    public static Reply Delete(FakeRequest q)
    {
        if (q.State.ItemOrNull(q.Route("itemId")) is not { } item)
        {
            return Reply.NotFound("Item not found.");
        }
        if (!q.Me.IsAdmin && item.Playlist?.OwnerUserId != q.Me.User?.Id)
        {
            // Jellyfin: LibraryController.DeleteItem answers Unauthorized("Unauthorized access") when BaseItem.CanDelete refuses.
            return q.Dialect.Kind == FakeDialect.Jellyfin ? Reply.Text(401, "Unauthorized access") : Reply.Forbidden();
        }
        q.State.RemoveItem(item.Id);
        return Reply.NoContent();
    }

    public static Reply Refresh(FakeRequest q) =>
        q.State.ItemOrNull(q.Route("itemId")) is not null || q.State.FindLibrary(q.Route("itemId")) is not null
            ? Reply.NoContent()
            : Reply.NotFound("Item not found.");

    private static Reply SeriesChildren(FakeRequest q, FakeItemType type, Func<FakeItem, bool> keep)
    {
        if (q.ResolveUser(out var user) is { } denied)
        {
            return denied;
        }
        if (q.State.ItemOrNull(q.Route("seriesId")) is not { Type: FakeItemType.Series } series)
        {
            return Reply.NotFound("Series not found.");
        }
        var rows = q.State.Descendants(series).Where(i => i.Type == type && keep(i)).Select(i => new ItemRow(i));
        return ItemQuery.Run(q, user, rows);
    }
}
