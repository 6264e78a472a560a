using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Aperture.Data;

// Which state of the data this instance has seen, so that what pages show can be computed once per state instead of on
// every request: what every user sees alike (Browse's result pages, genre counts, the library's genre shares) per catalogue
// state (CatalogMemo), and each user's own page data (picks, feedback, taste) per data state (DataMemo). Three parts, all
// compared for equality only:
// - Catalog: bumped by every write to the catalogue tables (titles, episodes, libraries) that this process sends through
//   EF (the interceptor below), at the statement and again at the commit of its transaction, so a page read between the
//   two is not kept as the new state.
// - Data: the same for a write to any other table a page reads (picks, runs, feedback, users, settings, history...): every
//   write but the few tables no page value depends on (sessions, job logs, keys). A catalogue write bumps it too.
// - Runs and Feedback: the finished job runs and the feedback in the shared database, read by one query at most every
//   RecheckEvery (catalogue-wide values depend on Runs only).
//   A sync, purge or picks run on another instance sharing the PostgreSQL database (or one of this instance's jobs writing
//   through a raw command, as the sync's bulk insert does), or a 👍 given there, shows here within that time. Any write to
//   job_runs in this process makes the next request read it again at once, so a job that finished here is seen by the
//   very next request.
public sealed class CatalogVersion(TimeProvider time)
{
    public static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(2);

    private long catalog;
    private long data;
    private long sharedRuns;
    private long sharedFeedback;
    private long sharedReadAt = long.MinValue;

    public readonly record struct Stamp(long Catalog, long Data, long Runs, long Feedback)
    {
        // What catalogue-wide values depend on: the catalogue (and the job runs that may have written it), not a user's picks
        // or feedback.
        public Stamp CatalogOnly => this with { Data = 0, Feedback = 0 };
    }

    public async ValueTask<Stamp> CurrentAsync(AppDbContext db, CancellationToken ct)
    {
        // Local counters first: a write racing this read then leaves a memo keyed by the older stamp, never the newer one.
        var seenCatalog = Volatile.Read(ref catalog);
        var seenData = Volatile.Read(ref data);
        var now = time.GetTimestamp();
        var readAt = Volatile.Read(ref sharedReadAt);
        if (readAt == long.MinValue || time.GetElapsedTime(readAt, now) >= RecheckEvery)
        {
            var (runs, feedback) = await ReadSharedAsync(db, ct);
            Volatile.Write(ref sharedRuns, runs);
            Volatile.Write(ref sharedFeedback, feedback);
            Volatile.Write(ref sharedReadAt, now);
        }
        return new Stamp(seenCatalog, seenData, Volatile.Read(ref sharedRuns), Volatile.Read(ref sharedFeedback));
    }

    internal void CatalogWritten()
    {
        Interlocked.Increment(ref catalog);
        Interlocked.Increment(ref data);
    }

    internal void DataWritten() => Interlocked.Increment(ref data);

    internal void JobRunsWritten() => Volatile.Write(ref sharedReadAt, long.MinValue);

    private sealed class SharedRow
    {
        public long Runs { get; set; }
        public long RunIds { get; set; }
        public long Feedback { get; set; }
        public string? FeedbackAt { get; set; }
    }

    private const string SharedSqlite = """
        SELECT (SELECT COUNT(*) FROM job_runs WHERE "Status" NOT IN ('Queued', 'Running')) AS "Runs",
               (SELECT COALESCE(SUM("Id"), 0) FROM job_runs WHERE "Status" NOT IN ('Queued', 'Running')) AS "RunIds",
               (SELECT COUNT(*) FROM user_feedback) AS "Feedback",
               (SELECT MAX("UpdatedAt") FROM user_feedback) AS "FeedbackAt"
        """;

    // PostgreSQL sums bigints as numeric and keeps the time a timestamp: cast to what the row reads.
    private const string SharedPostgres = """
        SELECT (SELECT COUNT(*) FROM job_runs WHERE "Status" NOT IN ('Queued', 'Running')) AS "Runs",
               (SELECT COALESCE(SUM("Id")::bigint, 0) FROM job_runs WHERE "Status" NOT IN ('Queued', 'Running')) AS "RunIds",
               (SELECT COUNT(*) FROM user_feedback) AS "Feedback",
               (SELECT MAX("UpdatedAt")::text FROM user_feedback) AS "FeedbackAt"
        """;

    // One statement: the finished runs (Status is stored as its name; Queued and Running are the only unfinished ones; count
    // and sum of ids, so a run finishing or a run pruned both change it) and the feedback (count and latest change).
    private static async Task<(long Runs, long Feedback)> ReadSharedAsync(AppDbContext db, CancellationToken ct)
    {
        var rows = await db.Database.SqlQueryRaw<SharedRow>(db is PostgresAppDbContext ? SharedPostgres : SharedSqlite).ToListAsync(ct);
        var row = rows[0];
        return (HashCode.Combine(row.Runs, row.RunIds),
            HashCode.Combine(row.Feedback, row.FeedbackAt is null ? 0 : StringComparer.Ordinal.GetHashCode(row.FeedbackAt)));
    }
}

// Sees every command EF sends (SaveChanges, ExecuteUpdate/Delete, raw SQL through the context) after it ran, and tells
// CatalogVersion which tables it wrote. Reads (the vast majority) cost a prefix check. A write whose target tables cannot be
// read from its text counts as a write to everything: an unneeded recomputation, never a stale page.
internal sealed partial class CatalogWriteInterceptor(CatalogVersion version) : DbCommandInterceptor, IDbTransactionInterceptor
{
    [Flags]
    private enum Touched { None = 0, Catalog = 1, JobRuns = 2, Data = 4 }

    // The transactions that wrote, so their commit bumps the version again (a read between statement and commit saw the
    // old rows). Weak: a transaction that is never committed leaves nothing behind.
    private readonly ConditionalWeakTable<DbTransaction, StrongBox<Touched>> pending = new();

    private static readonly HashSet<string> CatalogTables = new(["titles", "episodes", "libraries"], StringComparer.OrdinalIgnoreCase);

    // Written often (a session's last use, a job's progress and log, the key ring) and read by no kept value; job_runs
    // is read by the shared part of the stamp instead (see CatalogVersion).
    private static readonly HashSet<string> IgnoredTables = new(["user_sessions", "job_run_logs", "DataProtectionKeys"], StringComparer.OrdinalIgnoreCase);

    // The table each statement writes, as EF and the bulk insert spell them: INSERT INTO "t", UPDATE "t" AS ..., DELETE FROM "t".
    [GeneratedRegex("""\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WriteTarget();

    // A command sent on the context's connection without EF (the sync's bulk insert) is told about here instead.
    internal static void RawCommandExecuted(DbContext db, DbCommand command)
    {
        var interceptors = db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors;
        foreach (var interceptor in interceptors?.OfType<CatalogWriteInterceptor>() ?? [])
        {
            interceptor.Saw(command);
        }
    }

    private void Saw(DbCommand command)
    {
        var text = command.CommandText.AsSpan().TrimStart();
        if (text.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) || text.StartsWith("PRAGMA", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        var touched = Classify(command.CommandText);
        if (touched == Touched.None)
        {
            return;
        }
        Apply(touched);
        if (command.Transaction is { } transaction)
        {
            var box = pending.GetValue(transaction, _ => new StrongBox<Touched>());
            lock (box)
            {
                box.Value |= touched;
            }
        }
    }

    private static Touched Classify(string text)
    {
        var touched = Touched.None;
        var any = false;
        foreach (Match match in WriteTarget().Matches(text))
        {
            any = true;
            var table = match.Groups[1].Value;
            if (CatalogTables.Contains(table))
            {
                touched |= Touched.Catalog | Touched.Data;
            }
            else if (table.Equals("job_runs", StringComparison.OrdinalIgnoreCase))
            {
                touched |= Touched.JobRuns;
            }
            else if (!IgnoredTables.Contains(table) && !table.StartsWith("qrtz_", StringComparison.OrdinalIgnoreCase))
            {
                // "ON CONFLICT ... DO UPDATE SET" reads as a write to "SET": Data, which the upsert's table is anyway.
                touched |= Touched.Data;
            }
        }
        // Not a statement of the forms above (DDL, a migration, a restore): everything may have changed.
        return any ? touched : Touched.Catalog | Touched.Data | Touched.JobRuns;
    }

    private void Apply(Touched touched)
    {
        if (touched.HasFlag(Touched.Catalog))
        {
            version.CatalogWritten();
        }
        else if (touched.HasFlag(Touched.Data))
        {
            version.DataWritten();
        }
        if (touched.HasFlag(Touched.JobRuns))
        {
            version.JobRunsWritten();
        }
    }

    private void Committed(DbTransaction transaction)
    {
        if (pending.TryGetValue(transaction, out var box))
        {
            pending.Remove(transaction);
            Apply(box.Value);
        }
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Saw(command);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saw(command);
        return ValueTask.FromResult(result);
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Saw(command);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Saw(command);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Saw(command);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Saw(command);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(transaction);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(transaction);
        return Task.CompletedTask;
    }

    // A value computed inside the transaction after its write (by the same request) saw rows that are now gone: a new state.
    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Committed(transaction);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(transaction);
        return Task.CompletedTask;
    }
}

// Values that are the same for every user and change only with the catalogue (see CatalogVersion), computed once per
// catalogue state and shared by all requests of this instance. Concurrent requests for a missing value wait for one
// computation. Callers key by everything the value depends on besides the catalogue, and never put per-user data in.
public sealed class CatalogMemo(CatalogVersion version, TimeProvider time)
{
    // Beyond this many values (search words are the user's) the memo starts over, so it cannot grow without bound.
    private readonly StateMemo values = new(time, maxEntries: 2_000, maxAge: null);

    public async Task<T> GetAsync<T>(AppDbContext db, string key, Func<CancellationToken, Task<T>> compute, CancellationToken ct) where T : class? =>
        await values.GetAsync((await version.CurrentAsync(db, ct)).CatalogOnly, key, compute, ct);
}

// Each user's own page data (their picks list, feedback, taste figures, marks on a Browse page), computed once per data
// state (see CatalogVersion: any write this instance makes to a table a page reads gives a new state, so a new picks run,
// a 👍, a settings save or a sync shows on the next request) and kept per instance. Keyed by the user the data is of:
// the user's id is part of every key, so one user's value can never answer for another. A value is also dropped after
// MaxAge, the bound on how long a change made through another instance sharing the database (and not seen by the shared
// part of the stamp, i.e. not a job run or feedback) can go unseen here.
public sealed class DataMemo(CatalogVersion version, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(15);

    // A few values per active user (a picks list, feedback, taste, a Browse page is ~15 KB); beyond this it starts over.
    private readonly StateMemo values = new(time, maxEntries: 5_000, maxAge: MaxAge);

    public async Task<T> ForUserAsync<T>(AppDbContext db, string userId, string key, Func<CancellationToken, Task<T>> compute, CancellationToken ct)
        where T : class? =>
        await values.GetAsync(await version.CurrentAsync(db, ct), $"user:{userId.ToLowerInvariant()}\n{key}", compute, ct);

    // A value of no user's (what media kinds the server has): the same for everyone, and depending on settings as well as
    // the catalogue.
    public async Task<T> SharedAsync<T>(AppDbContext db, string key, Func<CancellationToken, Task<T>> compute, CancellationToken ct) where T : class? =>
        await values.GetAsync(await version.CurrentAsync(db, ct), $"shared\n{key}", compute, ct);
}

internal sealed class StateMemo(TimeProvider time, int maxEntries, TimeSpan? maxAge)
{
    private sealed record Entry(CatalogVersion.Stamp Stamp, long Created, Lazy<Task<object?>> Value);

    private readonly ConcurrentDictionary<string, Entry> values = new(StringComparer.Ordinal);

    // Values of an older state (or past maxAge) can never answer again: swept at most this often, when a value is added.
    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(5);
    private long sweptAt;

    private bool Current(Entry entry, CatalogVersion.Stamp stamp, long now) =>
        entry.Stamp == stamp && (maxAge is not { } age || time.GetElapsedTime(entry.Created, now) < age);

    public async Task<T> GetAsync<T>(CatalogVersion.Stamp stamp, string key, Func<CancellationToken, Task<T>> compute, CancellationToken ct) where T : class?
    {
        while (true)
        {
            var now = time.GetTimestamp();
            var mine = new Entry(stamp, now, new Lazy<Task<object?>>(async () => await compute(ct), LazyThreadSafetyMode.ExecutionAndPublication));
            var entry = values.AddOrUpdate(key, _ => mine, (_, old) => Current(old, stamp, now) ? old : mine);
            if (ReferenceEquals(entry, mine))
            {
                if (values.Count > maxEntries)
                {
                    values.Clear();
                }
                else if (time.GetElapsedTime(Interlocked.Read(ref sweptAt), now) >= SweepEvery)
                {
                    Interlocked.Exchange(ref sweptAt, now);
                    Sweep(stamp, now);
                }
                try
                {
                    return (T)(await mine.Value.Value)!;
                }
                catch (Exception)
                {
                    values.TryRemove(KeyValuePair.Create(key, entry));
                    throw;
                }
            }
            try
            {
                return (T)(await entry.Value.Value)!;
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                // The request that was computing it failed or went away: this one computes its own.
                values.TryRemove(KeyValuePair.Create(key, entry));
            }
        }
    }

    private void Sweep(CatalogVersion.Stamp stamp, long now)
    {
        foreach (var (key, entry) in values)
        {
            if (!Current(entry, stamp, now))
            {
                values.TryRemove(KeyValuePair.Create(key, entry));
            }
        }
    }
}
