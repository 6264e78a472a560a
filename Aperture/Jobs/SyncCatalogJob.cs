using Aperture.Catalog;

namespace Aperture.Jobs;

// sync-movies and sync-series: one job, the kind comes from the definition. Definition.Full forces a full run; otherwise
// the first run, and any run once the last full one is older than Sync:FullCatalogEveryDays, is full by itself.
public sealed class SyncCatalogJob(CatalogSync sync) : IJob
{
    public async Task RunAsync(JobContext context, CancellationToken ct)
    {
        var kind = context.Definition.Kind ?? throw new InvalidOperationException($"Job {context.Definition.Name} has no media kind.");
        var result = await sync.RunAsync(kind, context.Definition.Full, context.Progress, ct);
        context.Progress.Log(result.Summary);
    }
}
