using Aperture.Data;
using Aperture.MediaServers;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Channels;

// Writes a channel to the media server as private playlists: on Jellyfin 10.9+ one playlist owned by the channel's
// owner (IsPublic:false) shared read-only with each shared user; on Emby (and older Jellyfin) one playlist per user.
// New contents, a new name (or, on Jellyfin, new shares) are written as a new playlist that replaces the old one: the
// complete new playlist is made, then the old one is deleted, so the server never shows a half-replaced list (a kill between
// the calls of an in-place edit would). Under the API key neither server renames nor reshares a playlist anyway (Jellyfin's
// PlaylistsController.UpdatePlaylist acts as the calling user only, so POST /Playlists/{id} is never sent). Before the new
// playlist is made the row's ReplacingSince is committed; a kill before the new id is saved leaves it set, and the next sync
// deletes the playlist it left (same user and name, created since then), keeping the recorded one. Playlists of users no
// longer shared are deleted. Throws MediaServerException; the caller saves the channel only when this succeeded, so a
// failed sync leaves the recorded state as it was.
public sealed class ChannelPlaylistSync(AppDbContext db, MediaServerSettings media, TimeProvider time)
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
            if (row?.ReplacingSince is { } since)
            {
                await client.DeleteReplacementOrphansAsync(userId, channel.Name, since, row.PlaylistId, ct);
            }
            var holds = row is null ? null : await client.PlaylistHoldsAsync(row.PlaylistId, userId, items, ct);
            if (row is not null && holds is null)
            {
                // Deleted on the server by hand: make it again.
                channel.Playlists.Remove(row);
                row = null;
            }
            if (row is null)
            {
                var id = await client.CreatePlaylistAsync(channel.Name, userId, items, shared ? sharedWith : [], ct);
                row = new ChannelPlaylist { ChannelId = channel.Id, UserId = userId, PlaylistId = id };
                channel.Playlists.Add(row);
            }
            else if (recreate || holds == false)
            {
                await MarkReplacingAsync(row, now, ct);
                row.PlaylistId = await client.ReplacePlaylistAsync(row.PlaylistId, channel.Name, userId, items, shared ? sharedWith : [], ct);
            }
            row.ReplacingSince = null;
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

    // Committed at once (not with the caller's save): it must be in the database before the new playlist exists on the server.
    // The tracked row is told the stored value, so the caller's save clears it when the replacement is through.
    private async Task MarkReplacingAsync(ChannelPlaylist row, DateTimeOffset now, CancellationToken ct)
    {
        await db.ChannelPlaylists.Where(p => p.ChannelId == row.ChannelId && p.UserId == row.UserId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.ReplacingSince, now), ct);
        var entry = db.Entry(row).Property(p => p.ReplacingSince);
        entry.CurrentValue = now;
        entry.OriginalValue = now;
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
