using System.Collections.Concurrent;
using Aperture.Jobs;
using Aperture.Tests.Infrastructure;
using Aperture.Progress;

namespace Aperture.Tests.Jobs;

// What a test job did, for the test to wait on and assert: shared by the host's jobs and the test.
public sealed class JobProbe
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> gates = new();

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource Exited { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource LockedStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public int StepsDone => stepsDone;
    public int Runs => runs;
    public int LockedRuns => lockedRuns;

    // While set, the locked job stays running until the test completes it (a run that ends at once would let a late
    // second request start a second run legitimately).
    public TaskCompletionSource? HoldLocked { get; set; }
    private int stepsDone;
    private int runs;
    private int lockedRuns;

    // Lets a gated job take its next step.
    public SemaphoreSlim Gate(string job) => gates.GetOrAdd(job, _ => new SemaphoreSlim(0));

    public void Release(string job, int steps = 1) => Gate(job).Release(steps);

    internal void Step() => Interlocked.Increment(ref stepsDone);

    internal void Run() => Interlocked.Increment(ref runs);

    internal void LockedRun() => Interlocked.Increment(ref lockedRuns);
}

// Advances one step each time the test releases its gate; honours cancellation while waiting.
public sealed class GatedJob(JobProbe probe) : IJob
{
    public const string Name = "test-gated";
    public const int Steps = 4;

    public static readonly JobDefinition Definition = new(Name, "Test: gated steps", "Advances when the test says so.", typeof(GatedJob), Locks: [LockedJob.Lock]);

    public async Task RunAsync(JobContext context, CancellationToken ct)
    {
        probe.Run();
        probe.Started.TrySetResult();
        try
        {
            context.Progress.Stage("Stepping", Steps);
            context.Progress.Log("Starting the steps");
            for (var i = 1; i <= Steps; i++)
            {
                await probe.Gate(Name).WaitAsync(ct);
                probe.Step();
                context.Progress.Advance(1, $"Step {i} of {Steps}");
                context.Progress.Count("steps");
            }
            context.Progress.Log("All steps done");
        }
        finally
        {
            probe.Exited.TrySetResult();
        }
    }
}

// Works in batches it does not interrupt, and checks the token between them, as a sync job does.
public sealed class BatchedJob(JobProbe probe) : IJob
{
    public const string Name = "test-batched";
    public const int Batches = 400;

    public static readonly JobDefinition Definition = new(Name, "Test: batches", "Checks its token between batches.", typeof(BatchedJob));

    public async Task RunAsync(JobContext context, CancellationToken ct)
    {
        probe.Started.TrySetResult();
        try
        {
            context.Progress.Stage("Batches", Batches);
            for (var i = 0; i < Batches; i++)
            {
                ct.ThrowIfCancellationRequested();
                // A batch in flight is finished before the token is looked at again.
                await Task.Delay(50, CancellationToken.None);
                probe.Step();
                context.Progress.Advance();
            }
        }
        finally
        {
            probe.Exited.TrySetResult();
        }
    }
}

// Shares a lock with GatedJob: it must not start while a gated run is going.
public sealed class LockedJob(JobProbe probe) : IJob
{
    public const string Name = "test-locked";
    public const string Lock = "test-data";

    public static readonly JobDefinition Definition = new(Name, "Test: locked", "Shares a lock with the gated job.", typeof(LockedJob), Locks: [Lock]);

    public async Task RunAsync(JobContext context, CancellationToken ct)
    {
        probe.LockedRun();
        probe.LockedStarted.TrySetResult();
        if (probe.HoldLocked is { } hold)
        {
            await hold.Task.WaitAsync(ct);
        }
        context.Progress.Log("Ran");
    }
}

public sealed class FailingJob : IJob
{
    public const string Name = "test-failing";
    public const string Error = "The media server answered 500 to /Items.";

    public static readonly JobDefinition Definition = new(Name, "Test: fails", "Throws after some progress.", typeof(FailingJob));

    public Task RunAsync(JobContext context, CancellationToken ct)
    {
        context.Progress.Stage("Fetching", 10);
        context.Progress.Advance(3);
        context.Progress.Log("About to fail", JobLogLevel.Warning);
        throw new InvalidOperationException(Error);
    }
}

// Runs for a few seconds in small visible steps, for the browser test and the SSE test.
public sealed class SlowJob : IJob
{
    public const string Name = "test-slow";
    public const int Steps = 12;

    public static readonly JobDefinition Definition = new(Name, "Test: slow steps", "Twelve steps of 400 ms.", typeof(SlowJob));

    public async Task RunAsync(JobContext context, CancellationToken ct)
    {
        context.Progress.Stage("Walking", Steps);
        for (var i = 1; i <= Steps; i++)
        {
            await Task.Delay(400, ct);
            context.Progress.Advance(1, $"Step {i}");
            context.Progress.Count("steps");
        }
        context.Progress.Log("Walked all the steps");
    }
}

public static class TestJobs
{
    // Every test job, with one probe per host.
    public static AppFactory WithTestJobs(this AppFactory app) => app.WithServices(s =>
    {
        s.AddSingleton<JobProbe>();
        s.AddJob<GatedJob>(GatedJob.Definition);
        s.AddJob<BatchedJob>(BatchedJob.Definition);
        s.AddJob<FailingJob>(FailingJob.Definition);
        s.AddJob<SlowJob>(SlowJob.Definition);
        s.AddJob<LockedJob>(LockedJob.Definition);
    });

    public static JobProbe Probe(this AppFactory app) => app.Services.GetRequiredService<JobProbe>();
}
