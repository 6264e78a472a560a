using Aperture.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Data;

public sealed record TableCount(string Key, string Label, long Rows);

public sealed record DatabaseStats(string Provider, long? SizeBytes, IReadOnlyList<TableCount> Counts);

public sealed record PurgeCounts(int Titles, int Episodes, int WatchStates, int HistorySyncStates, int Settings);

public enum PurgeStatus { Done, WrongConfirmation, JobRunning }

public sealed record PurgeOutcome(PurgeStatus Status, PurgeCounts? Deleted = null, string? RunningJob = null);

// What Admin › Database shows and does: row counts, size on disk, and purging one kind's synced data.
public sealed class DatabaseMaintenance(AppDbContext db, DatabaseTarget target)
{
    // Typed by the admin, so a purge is never one stray click.
    public static string Confirmation(MediaKind kind) => $"purge {kind.Slug()}";

    // Where the sync keeps a kind's watermarks in settings (sync.movies.*, sync.series.*).
    public static string SyncSettingsPrefix(MediaKind kind) => $"sync.{kind.Slug()}.";

    public async Task<DatabaseStats> StatsAsync(CancellationToken ct)
    {
        var counts = new List<TableCount>
        {
            new("libraries", "Libraries", await db.Libraries.LongCountAsync(ct)),
            new("movies", "Movies", await db.Titles.LongCountAsync(t => t.Kind == MediaKind.Movie, ct)),
            new("series", "Series", await db.Titles.LongCountAsync(t => t.Kind == MediaKind.Series, ct)),
            new("episodes", "Episodes", await db.Episodes.LongCountAsync(ct)),
            new("movieWatchStates", "Watch states (movies)", await db.WatchStates.LongCountAsync(w => w.Title.Kind == MediaKind.Movie, ct)),
            new("seriesWatchStates", "Watch states (series and episodes)", await db.WatchStates.LongCountAsync(w => w.Title.Kind == MediaKind.Series, ct)),
            new("historySyncStates", "History sync watermarks", await db.HistorySyncStates.LongCountAsync(ct)),
            new("users", "Users", await db.Users.LongCountAsync(ct)),
            new("jobRuns", "Job runs", await db.JobRuns.LongCountAsync(ct)),
            new("jobRunLogs", "Job log lines", await db.JobRunLogs.LongCountAsync(ct)),
            new("settings", "Settings", await db.Settings.LongCountAsync(ct)),
        };
        return new DatabaseStats(target.Provider == DatabaseProvider.Postgres ? "postgres" : "sqlite", await SizeAsync(ct), counts);
    }

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

    // SQLite: the database file plus its write-ahead log; PostgreSQL: what the server reports for the database.
    private async Task<long?> SizeAsync(CancellationToken ct)
    {
        if (target.Provider == DatabaseProvider.Postgres)
        {
            return await db.Database.SqlQueryRaw<long>("SELECT pg_database_size(current_database()) AS \"Value\"").SingleAsync(ct);
        }
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(target.ConnectionString).DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:")
        {
            return null;
        }
        long size = 0;
        foreach (var path in (string[])[file, file + "-wal"])
        {
            var info = new FileInfo(path);
            if (info.Exists)
            {
                size += info.Length;
            }
        }
        return size;
    }
}
