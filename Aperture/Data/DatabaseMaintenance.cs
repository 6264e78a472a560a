using Microsoft.EntityFrameworkCore;

namespace Aperture.Data;

public sealed record TableCount(string Key, string Label, long Rows);

public sealed record DatabaseStats(string Provider, long? SizeBytes, IReadOnlyList<TableCount> Counts);

// What Admin › Database shows: row counts and size on disk (purging a kind is Catalog's CatalogPurge).
public sealed class DatabaseMaintenance(AppDbContext db, DatabaseTarget target)
{
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
