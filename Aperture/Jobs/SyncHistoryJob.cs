using Aperture.History;

namespace Aperture.Jobs;

// sync-watch-history, full-sync-watch-history and their series twins by name only: one job, kind and Full from the definition.
public sealed class SyncHistoryJob(HistorySync sync) : IJob
{
    public async Task RunAsync(JobContext context, CancellationToken ct)
    {
        var kind = context.Definition.Kind ?? throw new InvalidOperationException($"Job {context.Definition.Name} has no media kind.");
        var result = await sync.RunAsync(kind, context.Definition.Full, context.Progress, ct);
        context.Progress.Log(result.Summary);
    }
}
