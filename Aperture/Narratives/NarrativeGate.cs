using Microsoft.Extensions.Options;

namespace Aperture.Narratives;

// Process-wide: how many requests may be in flight to the text model, and whether it is resting after
// a failure. A dead or rate-limited server then costs one timeout, not one per pick of every user.
public sealed class NarrativeGate(IOptions<NarrativeOptions> options, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim slots = new(Math.Max(1, options.Value.MaxConcurrency));
    private long pausedUntilTicks;

    public bool IsPaused => time.GetUtcNow().UtcTicks < Interlocked.Read(ref pausedUntilTicks);

    public void Trip() =>
        Interlocked.Exchange(ref pausedUntilTicks, time.GetUtcNow().AddSeconds(Math.Max(0, options.Value.PauseAfterFailureSeconds)).UtcTicks);

    // A changed configuration deserves a fresh try.
    public void Reset() => Interlocked.Exchange(ref pausedUntilTicks, 0);

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await slots.WaitAsync(ct);
        return new Release(slots);
    }

    private sealed class Release(SemaphoreSlim slots) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                slots.Release();
            }
        }
    }

    public void Dispose() => slots.Dispose();
}
