using Aperture.Data;
using Aperture.Outputs;
using Aperture.Wording;

namespace Aperture.Jobs;

// sync-strm and sync-series-strm: one implementation, the kind from the definition.
public sealed class SyncOutputsJob(OutputSyncService outputs) : IJob
{
    public async Task RunAsync(JobContext context, CancellationToken ct)
    {
        var kind = context.Definition.Kind ?? MediaKind.Movie;
        var r = await outputs.SyncAsync(kind, context.Progress, ct);
        context.Progress.Log($"{r.Users} {kind.Slug()} picks {Plural.Word(r.Users, "library", "libraries")}: {r.Written} written, {r.Unchanged} unchanged, {r.Removed} removed; " +
            $"{Plural.Count(r.Items, "title")}, {r.Skipped} skipped; access changed for {Plural.Count(r.AccessChanged, "user")}");
    }
}
