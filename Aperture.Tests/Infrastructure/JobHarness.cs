using Aperture.Jobs;
using Aperture.Progress;

namespace Aperture.Tests.Infrastructure;

// What a job reported, as the job system would record it.
public sealed class RecordingProgress : IJobProgress
{
    private readonly Lock sync = new();
    private string stage = "";

    public List<string> Stages { get; } = [];
    public Dictionary<string, long> Counts { get; } = [];
    public Dictionary<string, long> AdvancedByStage { get; } = [];
    public List<(JobLogLevel Level, string Text)> Logs { get; } = [];

    // Called after every Advance with the stage and how far it has advanced (a test cancels from here).
    public Action<string, long>? OnAdvance { get; init; }

    public long Advanced { get; private set; }

    public void Stage(string name, long? total = null)
    {
        lock (sync)
        {
            stage = name;
            Stages.Add(name);
        }
    }

    public void SetTotal(long? total) { }

    public void Advance(long by = 1, string? message = null)
    {
        long inStage;
        string current;
        lock (sync)
        {
            Advanced += by;
            current = stage;
            inStage = AdvancedByStage[stage] = AdvancedByStage.GetValueOrDefault(stage) + by;
        }
        OnAdvance?.Invoke(current, inStage);
    }

    public void Count(string name, long by = 1)
    {
        lock (sync)
        {
            Counts[name] = Counts.GetValueOrDefault(name) + by;
        }
    }

    public void Log(string text, JobLogLevel level = JobLogLevel.Info)
    {
        lock (sync)
        {
            Logs.Add((level, text));
        }
    }

    public long Count(string name) => Counts.GetValueOrDefault(name);
}

public static class JobHarness
{
    // Runs a registered job as the job system would: its definition from DI, its implementation from a fresh scope.
    public static async Task<RecordingProgress> RunJobAsync(this AppFactory app, string name, bool? full = null,
        RecordingProgress? progress = null, CancellationToken ct = default)
    {
        var definition = app.Services.GetServices<JobDefinition>().Single(d => d.Name == name);
        if (full is { } f)
        {
            definition = definition with { Full = f };
        }
        progress ??= new RecordingProgress();
        await using var scope = app.Services.CreateAsyncScope();
        var job = (IJob)scope.ServiceProvider.GetRequiredService(definition.Implementation);
        await job.RunAsync(new JobContext(1, definition, progress), ct);
        return progress;
    }
}
