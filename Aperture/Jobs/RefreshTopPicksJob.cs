using Aperture.TopPicks;
using Aperture.Browse;
using Aperture.Data;
using Aperture.MediaServers;
using Aperture.Progress;
using Aperture.Wording;

namespace Aperture.Jobs;

// refresh-top-picks: both kinds, each computed and stored first, then written into the media server. An output that fails
// does not undo the computed list, and the other kind still runs; the run fails at the end naming what went wrong.
public sealed class RefreshTopPicksJob(TopPicksService topPicks, TopPicksSettings settings, TopPicksPublisher publisher) : IJob
{
    public async Task RunAsync(JobContext context, CancellationToken ct)
    {
        var kinds = Enum.GetValues<MediaKind>();
        var failures = new List<string>();
        foreach (var kind in kinds)
        {
            ct.ThrowIfCancellationRequested();
            var s = await settings.GetAsync(kind, ct);
            context.Progress.Stage($"Computing {kind.Title().ToLowerInvariant()} Top Picks", 2);
            var figures = await topPicks.RefreshAsync(kind, ct);
            context.Progress.Count(kind.Slug(), figures.Count);
            context.Progress.Log(s.Enabled
                ? $"{figures.Count} {kind.Slug()} Top {Plural.Word(figures.Count, "Pick")} over the last {Plural.Count(s.WindowDays, "day")} (at least {Plural.Count(s.MinViewers, "viewer")} each)."
                : $"{kind.Title()} Top Picks are switched off: the list is empty.");
            context.Progress.Advance(1, "computed");
            try
            {
                await publisher.PublishAsync(kind, s, context.Progress, ct);
            }
            catch (MediaServerException e)
            {
                failures.Add($"{kind.Slug()}: {e.Message}");
                context.Progress.Log($"{kind.Title()} Top Picks could not be written to the media server: {e.Message}", JobLogLevel.Error);
            }
            context.Progress.Advance(1, "written");
        }
        if (failures.Count > 0)
        {
            throw new MediaServerException(MediaServerErrorKind.ServerError, "Top Picks were computed but not all outputs were written: " + string.Join("; ", failures));
        }
    }
}
