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
    private readonly SemaphoreSlim gate = new(1, 1);
    private bool done;

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

    public void Dispose() => gate.Dispose();

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
