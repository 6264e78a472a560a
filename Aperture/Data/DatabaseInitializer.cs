using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Aperture.Data;

// Applies migrations before anything else runs, and turns the usual failures into one clear line.
// Program calls it before the host starts (so a failure is one line, not a logged stack trace);
// as the first hosted service it also covers hosts started by tests.
public sealed class DatabaseInitializer(IServiceProvider services, ILogger<DatabaseInitializer> logger) : IHostedService, IDisposable
{
    public const string LockFileName = "aperture.lock";

    private readonly SemaphoreSlim gate = new(1, 1);
    private bool done;
    private FileStream? dataFolderLock;

    public Task StartAsync(CancellationToken cancellationToken) => InitializeAsync(cancellationToken);

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!done)
            {
                await MigrateAsync(cancellationToken);
                done = true;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var target = services.GetRequiredService<DatabaseTarget>();
        if (target.Provider == DatabaseProvider.Sqlite)
        {
            var paths = services.GetRequiredService<AppPaths>();
            LockDataFolder(paths.DataDirectory);
            // A restore staged in Admin › Database: applied now, under this instance's lock, before anything opens the database.
            await BackupRestore.ApplyPendingAsync(paths, target, logger, cancellationToken);
        }
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        try
        {
            if (target.Provider == DatabaseProvider.Sqlite)
            {
                // WAL lets readers (pages) run while a job writes; the mode is stored in the file.
                await db.Database.OpenConnectionAsync(cancellationToken);
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
                await db.Database.CloseConnectionAsync();
            }

            var problem = MigrationChain.Problem(await db.Database.GetAppliedMigrationsAsync(cancellationToken), db.Database.GetMigrations());
            if (problem is not null)
            {
                throw new StartupException($"The database at {target.Describe()} {problem}");
            }
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            await db.Database.MigrateAsync(cancellationToken);
            logger.LogInformation("Database {Provider} at {Where} is ready ({Count} migrations applied)",
                target.Provider, target.Describe(), pending.Count);
        }
        catch (PostgresException e) when (e.SqlState == "0A000" || e.MessageText.Contains("vector", StringComparison.OrdinalIgnoreCase))
        {
            throw new StartupException($"PostgreSQL at {target.Describe()} has no pgvector extension: install pgvector 0.8+ on the server ({e.MessageText}).", e);
        }
        catch (PostgresException e) when (e.SqlState is "28P01" or "28000")
        {
            throw new StartupException($"PostgreSQL at {target.Describe()} refused the user name or password in DATABASE_URL.", e);
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            throw new StartupException($"Cannot reach the PostgreSQL database at {target.Describe()}: {Innermost(e).Message}", e);
        }
        catch (SqliteException e)
        {
            throw new StartupException($"Cannot open the SQLite database {target.Describe()}: {e.Message}", e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        dataFolderLock?.Dispose();
        gate.Dispose();
    }

    // One instance per SQLite data folder: a second one would take the first one's running jobs for a crash's leftovers and
    // run the same jobs at once. The lock is the operating system's (released when the process dies, even by kill -9), held
    // on a file in the data folder for as long as this instance runs.
    private void LockDataFolder(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, LockFileName);
        try
        {
            dataFolderLock = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            dataFolderLock.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
            dataFolderLock.Write(pid);
            dataFolderLock.Flush();
        }
        catch (IOException)
        {
            throw new StartupException($"Another Aperture is already running on the data folder {dataDirectory} (it holds {path}); " +
                "stop it first: one instance per SQLite data folder (use PostgreSQL for several).");
        }
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
