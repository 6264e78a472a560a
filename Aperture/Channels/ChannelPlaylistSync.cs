using Aperture.MediaServers;
using Aperture.Data;

namespace Aperture.Channels;

// Writes a channel to the media server as private playlists: on Jellyfin 10.9+ one playlist owned by the channel's
// owner (IsPublic:false) shared read-only with each shared user; on Emby (and older Jellyfin) one playlist per user.
// Contents are replaced in place. A new name (or, on Jellyfin, new shares) makes new playlists, because under the API key
// neither server renames nor reshares one (Jellyfin's PlaylistsController.UpdatePlaylist acts as the calling user only).
// Playlists of users no longer shared are deleted. Throws MediaServerException; the caller saves the channel only when this
// succeeded, so a failed sync leaves the recorded state as it was.
public sealed class ChannelPlaylistSync(MediaServerSettings media, TimeProvider time)
{
    // The channel must be tracked with Shares, Entries (with Title) and Playlists loaded.
    public async Task SyncAsync(Channel channel, CancellationToken ct, bool renamed = false, bool sharesChanged = false)
    {
        var client = await media.GetClientAsync(ct);
        var config = await media.GetAsync(ct);
        var shared = MediaServerClient.SupportsPlaylistShares(client.Connection.Type, config.Detected?.Version);
        var items = channel.Entries.OrderBy(e => e.Rank).Select(e => e.Title.ServerItemId).ToList();
        var sharedWith = channel.Shares.Select(s => s.UserId).Where(u => u != channel.OwnerId).ToList();
        List<string> targets = shared ? [channel.OwnerId] : [channel.OwnerId, .. sharedWith];
        var now = time.GetUtcNow();
        var recreate = renamed || (shared && sharesChanged);

        foreach (var userId in targets)
        {
            var row = channel.Playlists.Find(p => p.UserId == userId);
            if (row is not null && recreate)
            {
                row.PlaylistId = await RecreateAsync(client, row.PlaylistId, channel.Name, userId, items, shared ? sharedWith : [], ct);
            }
            else if (row is not null)
            {
                try
                {
                    await client.ReplacePlaylistItemsAsync(row.PlaylistId, userId, items, ct);
                }
                catch (MediaServerException e) when (e.Kind == MediaServerErrorKind.NotFound)
                {
                    // Deleted on the server by hand: make it again.
                    channel.Playlists.Remove(row);
                    row = null;
                }
            }
            if (row is null)
            {
                var id = await client.CreatePlaylistAsync(channel.Name, userId, items, shared ? sharedWith : [], ct);
                row = new ChannelPlaylist { ChannelId = channel.Id, UserId = userId, PlaylistId = id };
                channel.Playlists.Add(row);
            }
            row.SyncedAt = now;
        }
        foreach (var stale in channel.Playlists.Where(p => !targets.Contains(p.UserId)).ToList())
        {
            await DeleteQuietlyAsync(client, stale.PlaylistId, ct);
            channel.Playlists.Remove(stale);
        }
        channel.SyncedAt = now;
    }

    // Deletes every playlist of the channel on the server (before the channel itself is deleted).
    public async Task RemoveAsync(Channel channel, CancellationToken ct)
    {
        if (channel.Playlists.Count == 0)
        {
            return;
        }
        var client = await media.GetClientAsync(ct);
        foreach (var row in channel.Playlists.ToList())
        {
            await DeleteQuietlyAsync(client, row.PlaylistId, ct);
            channel.Playlists.Remove(row);
        }
    }

    // The new playlist first, then the old one goes; if the old one cannot be deleted, the new one is taken back.
    private static async Task<string> RecreateAsync(MediaServerClient client, string oldId, string name, string userId, List<string> items,
        List<string> sharedWith, CancellationToken ct)
    {
        var id = await client.CreatePlaylistAsync(name, userId, items, sharedWith, ct);
        try
        {
            await DeleteQuietlyAsync(client, oldId, ct);
        }
        catch (MediaServerException)
        {
            try
            {
                await client.DeleteItemAsync(id, ct);
            }
            catch (MediaServerException)
            {
                // The server refuses deletes altogether: the first error says why.
            }
            throw;
        }
        return id;
    }

    private static async Task DeleteQuietlyAsync(MediaServerClient client, string playlistId, CancellationToken ct)
    {
        try
        {
            await client.DeleteItemAsync(playlistId, ct);
        }
        catch (MediaServerException e) when (e.Kind == MediaServerErrorKind.NotFound)
        {
            // Already gone.
        }
    }
}
