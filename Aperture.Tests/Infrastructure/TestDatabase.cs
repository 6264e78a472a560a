using Aperture.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

[assembly: AssemblyFixture(typeof(Aperture.Tests.Infrastructure.TestDatabaseCleanup))]

namespace Aperture.Tests.Infrastructure;

// The test script runs every test project twice: APERTURE_TEST_DB=sqlite, then =postgres with
// APERTURE_TEST_PG pointing at a throwaway PostgreSQL + pgvector on 127.0.0.1.
//
// A new host starts on a copy of one database migrated once per test process (PostgreSQL: CREATE DATABASE ... TEMPLATE;
// SQLite: a copy of the file), so its start checks the migrations instead of running them all; what the app does at start
// beyond migrating (key ring, settings, jobs) still happens in every host. A test about migrating asks for an empty one.
public static class TestDatabase
{
    public static bool IsPostgres =>
        string.Equals(Environment.GetEnvironmentVariable("APERTURE_TEST_DB"), "postgres", StringComparison.OrdinalIgnoreCase);

    public static string Name => IsPostgres ? "postgres" : "sqlite";

    private const string SqliteFileName = "aperture.db";

    private static readonly Lazy<string> PostgresTemplate = new(CreatePostgresTemplate);
    private static readonly Lazy<string> SqliteTemplate = new(CreateSqliteTemplate);

    private static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("APERTURE_TEST_PG")
        ?? throw new InvalidOperationException("APERTURE_TEST_DB=postgres needs APERTURE_TEST_PG (an Npgsql connection string); run ./test.sh.");

    // A DATABASE_URL for a new database holding every migration and nothing else (null means SQLite: then the migrated
    // file is put in dataDirectory).
    public static string? NewDatabaseUrl(string dataDirectory)
    {
        if (!IsPostgres)
        {
            File.Copy(SqliteTemplate.Value, Path.Combine(dataDirectory, SqliteFileName));
            return null;
        }
        var url = NewEmptyDatabaseUrl()!;
        Execute($"CREATE DATABASE \"{new NpgsqlConnectionStringBuilder(url).Database}\" TEMPLATE \"{PostgresTemplate.Value}\"");
        return url;
    }

    // A DATABASE_URL for a database that does not exist yet (null means SQLite in the data folder): the app creates it and
    // applies every migration, as a first start does.
    public static string? NewEmptyDatabaseUrl()
    {
        if (!IsPostgres)
        {
            return null;
        }
        // Pooled, as the app runs in production; DropAsync clears the pools before it drops the database.
        return new NpgsqlConnectionStringBuilder(AdminConnectionString)
        {
            Database = "aperture_t_" + Guid.NewGuid().ToString("N")[..16],
        }.ConnectionString;
    }

    public static async Task DropAsync(string? databaseUrl)
    {
        if (databaseUrl is null)
        {
            return;
        }
        var name = new NpgsqlConnectionStringBuilder(databaseUrl).Database;
        // Idle pooled connections go first; WITH (FORCE) ends any a finishing background task still holds.
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    // Dropped at the end of the test process (TestDatabaseCleanup), so a developer's own PostgreSQL keeps no template.
    internal static void DropTemplates()
    {
        if (PostgresTemplate.IsValueCreated)
        {
            Execute($"DROP DATABASE IF EXISTS \"{PostgresTemplate.Value}\" WITH (FORCE)");
        }
        if (SqliteTemplate.IsValueCreated)
        {
            Directory.Delete(Path.GetDirectoryName(SqliteTemplate.Value)!, recursive: true);
        }
    }

    private static void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    // The same migrations the app applies at start, by the same provider's context; the connection is not pooled, as
    // CREATE DATABASE ... TEMPLATE refuses a template anyone is connected to.
    private static string CreatePostgresTemplate()
    {
        var name = "aperture_template_" + Guid.NewGuid().ToString("N")[..16];
        var connectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = false }.ConnectionString;
        using (var db = new PostgresAppDbContext(new DbContextOptionsBuilder<PostgresAppDbContext>()
            .UseNpgsql(connectionString, n => n.UseVector()).Options))
        {
            db.Database.Migrate();
        }
        return name;
    }

    private static string CreateSqliteTemplate()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("aperture-template-").FullName, SqliteFileName);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ConnectionString;
        using (var db = new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(connectionString).Options))
        {
            db.Database.Migrate();
        }
        return file;
    }
}

// Runs once after the last test of the process.
public sealed class TestDatabaseCleanup : IDisposable
{
    public void Dispose() => TestDatabase.DropTemplates();
}
