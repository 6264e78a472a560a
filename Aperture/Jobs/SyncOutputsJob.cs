using Aperture.Data;
using Aperture.Outputs;

namespace Aperture.Jobs;

// sync-strm and sync-series-strm: one implementation, the kind from the definition.
public sealed class SyncOutputsJob(OutputSyncService outputs) : IJob
{
    public async Task RunAsync(JobContext context, CancellationToken ct)
    {
        var kind = context.Definition.Kind ?? MediaKind.Movie;
        var r = await outputs.SyncAsync(kind, context.Progress, ct);
        context.Progress.Log($"{r.Users} {kind.Slug()} picks {Aperture.Wording.Plural.Word(r.Users, "library", "libraries")}: {r.Written} written, {r.Unchanged} unchanged, {r.Removed} removed; " +
            $"{Aperture.Wording.Plural.Count(r.Items, "title")}, {r.Skipped} skipped; access changed for {Aperture.Wording.Plural.Count(r.AccessChanged, "user")}");
    }
}
