using Aperture.Data;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;

namespace Aperture.Jobs;

// "Run everything": the pipeline's jobs one after another in one run (catalogue, history, embeddings, picks, outputs,
// Top Picks), so a new install gets to everyone's picks with one click and one progress view. Each step is the job's own
// implementation with its own definition; the first failure stops the run, naming the step. It holds every data lock,
// so scheduled runs of the same jobs wait for it.
public sealed class RunEverythingJob(JobRegistry registry, IServiceScopeFactory scopes) : IJob
{
    public async Task RunAsync(JobContext context, CancellationToken ct)
    {
        var steps = JobNames.Pipeline.Select(registry.Find).OfType<JobDefinition>().ToList();
        var progress = context.Progress;
        var done = 0;
        for (var i = 0; i < steps.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var step = steps[i];
            var label = $"Step {i + 1} of {steps.Count}, {step.Name}";
            if (step.Kind is { } kind && step.Name != JobNames.SyncCatalog(kind) && !await HasLibraryAsync(kind, ct))
            {
                // A server without TV libraries has no series to embed, pick or write: those steps would only add noise.
                progress.Log($"{label}: skipped, the media server has no enabled {kind.Slug()} library.");
                continue;
            }
            progress.Stage(label);
            progress.Log($"{label}: started.");
            await using var scope = scopes.CreateAsyncScope();
            var job = (IJob)scope.ServiceProvider.GetRequiredService(step.Implementation);
            try
            {
                await job.RunAsync(context with { Definition = step, Progress = new StepProgress(progress, label) }, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                throw new PipelineStepException($"Stopped at step {i + 1} of {steps.Count}, {step.Name} ({step.DisplayName}): {JobRunner.Describe(e)}", e);
            }
            done++;
        }
        progress.Stage("Done");
        progress.Log($"Pipeline finished: {done} of {steps.Count} steps ran.");
    }

    private async Task<bool> HasLibraryAsync(MediaKind kind, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Libraries.AnyAsync(l => l.Kind == kind && l.Enabled && l.PresentOnServer, ct);
    }

    // A step's progress inside the pipeline run: its stages read "Step 3 of 11, generate-embeddings: Embedding titles".
    private sealed class StepProgress(IJobProgress outer, string label) : IJobProgress
    {
        public void Stage(string name, long? total = null) => outer.Stage($"{label}: {name}", total);
        public void SetTotal(long? total) => outer.SetTotal(total);
        public void Advance(long by = 1, string? message = null) => outer.Advance(by, message);
        public void Count(string name, long by = 1) => outer.Count(name, by);
        public void Log(string text, JobLogLevel level = JobLogLevel.Info) => outer.Log(text, level);
    }
}

public sealed class PipelineStepException(string message, Exception inner) : Exception(message, inner);
