using Npgsql;

namespace Aperture.Tests.Infrastructure;

// The test script runs every test project twice: APERTURE_TEST_DB=sqlite, then =postgres with
// APERTURE_TEST_PG pointing at a throwaway PostgreSQL + pgvector on 127.0.0.1.
public static class TestDatabase
{
    public static bool IsPostgres =>
        string.Equals(Environment.GetEnvironmentVariable("APERTURE_TEST_DB"), "postgres", StringComparison.OrdinalIgnoreCase);

    public static string Name => IsPostgres ? "postgres" : "sqlite";

    private static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("APERTURE_TEST_PG")
        ?? throw new InvalidOperationException("APERTURE_TEST_DB=postgres needs APERTURE_TEST_PG (an Npgsql connection string); run ./test.sh.");

    // A DATABASE_URL for a fresh, empty database (null means SQLite in the data folder).
    public static string? NewDatabaseUrl()
    {
        if (!IsPostgres)
        {
            return null;
        }
        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString)
        {
            Database = "aperture_t_" + Guid.NewGuid().ToString("N")[..16],
            Pooling = false,
        };
        return builder.ConnectionString;
    }

    public static async Task DropAsync(string? databaseUrl)
    {
        if (databaseUrl is null)
        {
            return;
        }
        var name = new NpgsqlConnectionStringBuilder(databaseUrl).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
