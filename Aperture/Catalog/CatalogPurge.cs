using Aperture.Data;
using Aperture.Progress;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Catalog;

public sealed record PurgeCounts(int Titles, int Episodes, int WatchStates, int HistorySyncStates, int Settings);

public enum PurgeStatus { Done, WrongConfirmation, JobRunning }

public sealed record PurgeOutcome(PurgeStatus Status, PurgeCounts? Deleted = null, string? RunningJob = null);

// Admin › Database's purge of one kind's synced data.
public sealed class CatalogPurge(AppDbContext db)
{
    // Typed by the admin, so a purge is never one stray click.
    public static string Confirmation(MediaKind kind) => $"purge {kind.Slug()}";

    // Where the sync keeps a kind's watermarks in settings (sync.movies.*, sync.series.*).
    public static string SyncSettingsPrefix(MediaKind kind) => $"sync.{kind.Slug()}.";

    // Titles of the kind with their episodes and everyone's watch states, and the kind's sync watermarks
    // (so the next sync reads everything again), in one transaction. Libraries and their choices stay.
    // Refused while a job that writes this kind is queued or running.
    public async Task<PurgeOutcome> PurgeAsync(MediaKind kind, string? confirmation, CancellationToken ct)
    {
        if (!string.Equals(confirmation?.Trim(), Confirmation(kind), StringComparison.OrdinalIgnoreCase))
        {
            return new PurgeOutcome(PurgeStatus.WrongConfirmation);
        }
        var jobs = JobNames.ForKind(kind).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var running = await db.JobRuns.AsNoTracking()
            .Where(r => jobs.Contains(r.JobName) && (r.Status == JobRunStatus.Running || r.Status == JobRunStatus.Queued))
            .Select(r => r.JobName)
            .FirstOrDefaultAsync(ct);
        if (running is not null)
        {
            return new PurgeOutcome(PurgeStatus.JobRunning, RunningJob: running);
        }
        var prefix = SyncSettingsPrefix(kind);
        var watchStates = await db.WatchStates.Where(w => w.Title.Kind == kind).ExecuteDeleteAsync(ct);
        var episodes = await db.Episodes.Where(e => e.Series.Kind == kind).ExecuteDeleteAsync(ct);
        var titles = await db.Titles.Where(t => t.Kind == kind).ExecuteDeleteAsync(ct);
        var syncStates = await db.HistorySyncStates.Where(s => s.Kind == kind).ExecuteDeleteAsync(ct);
        var settings = await db.Settings.Where(s => s.Key.StartsWith(prefix)).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        return new PurgeOutcome(PurgeStatus.Done, new PurgeCounts(titles, episodes, watchStates, syncStates, settings));
    }
}
