using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Aperture.Data;

// Which state of the synced catalogue (titles, episodes, libraries) this instance has seen, so that what every user sees
// alike (Browse's genre counts and result pages, the library's genre shares on My Taste) can be computed once per state
// instead of on every request. Two parts, both compared for equality only:
// - Local: bumped by every write to those tables that this process sends through EF (the interceptor below), at the
//   statement and again at the commit of its transaction, so a page read between the two is not kept as the new state.
// - Finished: the finished job runs (count and sum of ids) in the shared database, read at most every RecheckEvery. A
//   sync or purge on another instance sharing the PostgreSQL database (or one of this instance's jobs writing through a
//   raw command, as the sync's bulk insert does) shows here once its run finishes. Any write to job_runs in this process
//   makes the next request read it again at once, so a job that finished here is seen by the very next request.
public sealed class CatalogVersion(TimeProvider time)
{
    public static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(2);

    private long local;
    private long finished;
    private long finishedReadAt = long.MinValue;

    public readonly record struct Stamp(long Local, long Finished);

    public async ValueTask<Stamp> CurrentAsync(AppDbContext db, CancellationToken ct)
    {
        // Local first: a write racing this read then leaves the memo keyed by the older stamp, never the newer one.
        var seen = Volatile.Read(ref local);
        var now = time.GetTimestamp();
        if (time.GetElapsedTime(Volatile.Read(ref finishedReadAt), now) >= RecheckEvery || Volatile.Read(ref finishedReadAt) == long.MinValue)
        {
            var count = await CountFinished(db, ct);
            var sum = await SumFinished(db, ct) ?? 0;
            Volatile.Write(ref finished, HashCode.Combine(count, sum));
            Volatile.Write(ref finishedReadAt, now);
        }
        return new Stamp(seen, Volatile.Read(ref finished));
    }

    internal void CatalogWritten() => Interlocked.Increment(ref local);

    internal void JobRunsWritten() => Volatile.Write(ref finishedReadAt, long.MinValue);

    // Status is stored as its name; Queued and Running are the only unfinished ones.
    private static readonly Func<AppDbContext, CancellationToken, Task<int>> CountFinished =
        EF.CompileAsyncQuery((AppDbContext db, CancellationToken _) =>
            db.JobRuns.Count(r => r.Status != JobRunStatus.Queued && r.Status != JobRunStatus.Running));

    private static readonly Func<AppDbContext, CancellationToken, Task<long?>> SumFinished =
        EF.CompileAsyncQuery((AppDbContext db, CancellationToken _) =>
            db.JobRuns.Where(r => r.Status != JobRunStatus.Queued && r.Status != JobRunStatus.Running).Sum(r => (long?)r.Id));
}

// Sees every command EF sends (SaveChanges, ExecuteUpdate/Delete, raw SQL through the context) after it ran, and tells
// CatalogVersion about writes to the catalogue tables and to job_runs. Reads (the vast majority) cost a prefix check.
internal sealed class CatalogWriteInterceptor(CatalogVersion version) : DbCommandInterceptor, IDbTransactionInterceptor
{
    [Flags]
    private enum Touched { None = 0, Catalog = 1, JobRuns = 2 }

    // The transactions that wrote, so their commit bumps the version again (a read between statement and commit saw the
    // old rows). Weak: a transaction that is never committed leaves nothing behind.
    private readonly ConditionalWeakTable<DbTransaction, StrongBox<Touched>> pending = new();

    private static readonly string[] CatalogTables = ["titles", "episodes", "libraries"];

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
        var touched = Touched.None;
        foreach (var table in CatalogTables)
        {
            if (text.Contains(table, StringComparison.OrdinalIgnoreCase))
            {
                touched |= Touched.Catalog;
                break;
            }
        }
        if (text.Contains("job_runs", StringComparison.OrdinalIgnoreCase))
        {
            touched |= Touched.JobRuns;
        }
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

    private void Apply(Touched touched)
    {
        if (touched.HasFlag(Touched.Catalog))
        {
            version.CatalogWritten();
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
}

// Values that are the same for every user and change only with the catalogue (see CatalogVersion), computed once per
// catalogue state and shared by all requests of this instance. Concurrent requests for a missing value wait for one
// computation. Callers key by everything the value depends on besides the catalogue, and never put per-user data in.
public sealed class CatalogMemo(CatalogVersion version)
{
    // Beyond this many values (search words are the user's) the memo starts over, so it cannot grow without bound.
    private const int MaxEntries = 2_000;

    private readonly ConcurrentDictionary<string, (CatalogVersion.Stamp Stamp, Lazy<Task<object>> Value)> values = new(StringComparer.Ordinal);

    public async Task<T> GetAsync<T>(AppDbContext db, string key, Func<CancellationToken, Task<T>> compute, CancellationToken ct) where T : class
    {
        var stamp = await version.CurrentAsync(db, ct);
        while (true)
        {
            var mine = new Lazy<Task<object>>(async () => await compute(ct), LazyThreadSafetyMode.ExecutionAndPublication);
            var entry = values.AddOrUpdate(key, _ => (stamp, mine), (_, old) => old.Stamp == stamp ? old : (stamp, mine));
            if (ReferenceEquals(entry.Value, mine))
            {
                if (values.Count > MaxEntries)
                {
                    values.Clear();
                }
                try
                {
                    return (T)await mine.Value;
                }
                catch (Exception)
                {
                    values.TryRemove(KeyValuePair.Create(key, entry));
                    throw;
                }
            }
            try
            {
                return (T)await entry.Value.Value;
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                // The request that was computing it failed or went away: this one computes its own.
                values.TryRemove(KeyValuePair.Create(key, entry));
            }
        }
    }
}
