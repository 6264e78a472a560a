using Aperture.Channels;
using Aperture.Data;
using Aperture.MediaServers;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;
using Aperture.Wording;

namespace Aperture.Jobs;

// refresh-channels: every channel generated before (not the saved lists of a movie night) is filled again from today's catalogue (new titles, what the owner
// watched since), and the ones in the media server get their playlists replaced. A channel that fails keeps what it had;
// the others still run, and the run fails at the end naming them.
public sealed class RefreshChannelsJob(AppDbContext db, ChannelService channels) : IJob
{
    public async Task RunAsync(JobContext context, CancellationToken ct)
    {
        var ids = await db.Channels.AsNoTracking().Where(c => c.GeneratedAt != null && !c.FixedEntries).OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(ct);
        context.Progress.Stage("Refreshing channels", ids.Count);
        if (ids.Count == 0)
        {
            context.Progress.Log("No generated channel to refresh.");
            return;
        }
        var failures = new List<string>();
        foreach (var id in ids)
        {
            ct.ThrowIfCancellationRequested();
            // A fresh tracker per channel: one channel's failure leaves nothing behind for the next.
            if (await channels.ReloadAsync(id, ct) is not { } channel)
            {
                context.Progress.Advance();
                continue;
            }
            try
            {
                var result = await channels.GenerateAsync(channel, ct);
                context.Progress.Count("generated");
                if (channel.Playlists.Count > 0)
                {
                    await channels.SyncAsync(channel, ct);
                    context.Progress.Count("synced");
                    context.Progress.Log($"{channel.Name}: {Plural.Count(result.Entries, "title")}, {Plural.Count(channel.Playlists.Count, "playlist")} replaced.");
                }
                else
                {
                    context.Progress.Log($"{channel.Name}: {Plural.Count(result.Entries, "title")}.");
                }
            }
            catch (Exception e) when (e is ChannelGenerationException or MediaServerException)
            {
                failures.Add($"{channel.Name} ({e.Message})");
                context.Progress.Count("failed");
                context.Progress.Log($"{channel.Name} kept as it was: {e.Message}", JobLogLevel.Error);
            }
            context.Progress.Advance(1, channel.Name);
        }
        if (failures.Count > 0)
        {
            throw new ChannelGenerationException("channels", $"{failures.Count} of {Plural.Count(ids.Count, "channel")} {(failures.Count == 1 ? "was" : "were")} not refreshed: {string.Join("; ", failures)}");
        }
    }
}
