namespace Aperture.Fakes.Api;

// A user's favourite flag. Jellyfin: UserLibraryController.MarkFavoriteItem / UnmarkFavoriteItem (10.9+ /UserFavoriteItems/{itemId}
// with ?userId=, the obsolete /Users/{userId}/FavoriteItems/{itemId} kept in 10.11 and 12.0): RequestHelpers.GetUserId takes the
// caller's own user without a userId (an API key has none: 404), another user's needs an administrator (an API key is one);
// the answer is the item's UserItemDataDto. Emby 4.8: POST /Users/{UserId}/FavoriteItems/{Id}, cleared by DELETE or POST …/Delete.
internal static class UserDataApi
{
    public static Reply Favorite(FakeRequest q) => Set(q, true);

    public static Reply Unfavorite(FakeRequest q) => Set(q, false);

    private static Reply Set(FakeRequest q, bool favorite)
    {
        if (q.ResolveUser(out var user) is { } denied)
        {
            return denied;
        }
        if (user is null)
        {
            return Reply.NotFound("User not found.");
        }
        if (q.State.ItemOrNull(q.Route("itemId")) is not { } item)
        {
            return Reply.NotFound("Item not found.");
        }
        var data = q.State.SetUserData(user, item, d => d.IsFavorite = favorite);
        return Reply.Object(w =>
        {
            if (data.Rating is { } rating)
            {
                w.WriteNumber("Rating", rating);
            }
            w.WriteNumber("PlaybackPositionTicks", data.PlaybackPositionTicks);
            w.WriteNumber("PlayCount", data.PlayCount);
            w.WriteBoolean("IsFavorite", data.IsFavorite);
            w.WriteBoolean("Played", data.Played);
            w.WriteString("Key", item.Id);
            w.WriteString("ItemId", item.Id);
        });
    }
}
