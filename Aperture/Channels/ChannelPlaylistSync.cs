using Aperture.MediaServers;

namespace Aperture.Channels;

// Writes a channel to the media server as private playlists: on Jellyfin 10.9+ one playlist owned by the channel's
// owner (IsPublic:false) shared read-only with each shared user; on Emby (and older Jellyfin) one playlist per user.
// Contents are replaced in place. Playlists of users no longer shared are deleted. Throws MediaServerException; the
// caller saves the channel only when this succeeded, so a failed sync leaves the recorded state as it was.
public sealed class ChannelPlaylistSync(MediaServerSettings media, TimeProvider time)
{
    // The channel must be tracked with Shares, Entries (with Title) and Playlists loaded.
    public async Task SyncAsync(Channel channel, CancellationToken ct)
    {
        var client = await media.GetClientAsync(ct);
        var config = await media.GetAsync(ct);
        var shared = MediaServerClient.SupportsPlaylistShares(client.Connection.Type, config.Detected?.Version);
        var items = channel.Entries.OrderBy(e => e.Rank).Select(e => e.Title.ServerItemId).ToList();
        var sharedWith = channel.Shares.Select(s => s.UserId).Where(u => u != channel.OwnerId).ToList();
        List<string> targets = shared ? [channel.OwnerId] : [channel.OwnerId, .. sharedWith];
        var now = time.GetUtcNow();

        foreach (var userId in targets)
        {
            var row = channel.Playlists.Find(p => p.UserId == userId);
            if (row is not null)
            {
                try
                {
                    if (shared)
                    {
                        await client.UpdatePlaylistAsync(row.PlaylistId, channel.Name, items, sharedWith, ct);
                    }
                    else
                    {
                        await client.ReplacePlaylistItemsAsync(row.PlaylistId, userId, items, ct);
                    }
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
