using Npgsql;

namespace Aperture.Data;

public enum DatabaseProvider { Sqlite, Postgres }

public sealed record DatabaseTarget(DatabaseProvider Provider, string ConnectionString)
{
    // Host:port/database, for messages; never the password.
    public string Describe() => Provider switch
    {
        DatabaseProvider.Postgres => DescribePostgres(ConnectionString),
        _ => new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource,
    };

    private static string DescribePostgres(string cs)
    {
        var b = new NpgsqlConnectionStringBuilder(cs);
        return $"{b.Host}:{b.Port}/{b.Database}";
    }
}

// DATABASE_URL as the original took it (postgres://user:pass@host:5432/db?sslmode=require),
// or an Npgsql connection string. Empty means the embedded SQLite file.
public static class DatabaseUrl
{
    public static DatabaseTarget Resolve(string? databaseUrl, string dataDirectory)
    {
        if (string.IsNullOrWhiteSpace(databaseUrl))
        {
            var file = Path.Combine(dataDirectory, "aperture.db");
            return new DatabaseTarget(DatabaseProvider.Sqlite, $"Data Source={file};Cache=Shared;Pooling=True");
        }

        var text = databaseUrl.Trim();
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new DatabaseTarget(DatabaseProvider.Postgres, FromUrl(text));
        }

        if (text.Contains('=', StringComparison.Ordinal))
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(text);
                if (string.IsNullOrEmpty(builder.Host))
                {
                    throw new StartupException("DATABASE_URL is a connection string without Host=.");
                }
                return new DatabaseTarget(DatabaseProvider.Postgres, builder.ConnectionString);
            }
            catch (ArgumentException e)
            {
                throw new StartupException($"DATABASE_URL is not a valid PostgreSQL connection string: {e.Message}");
            }
        }

        throw new StartupException(
            "DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/database) " +
            "or an Npgsql connection string (Host=...;Username=...;Database=...); leave it unset for SQLite.");
    }

    private static string FromUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new StartupException("DATABASE_URL is not a valid URL: expected postgres://user:password@host:5432/database.");
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0)
        {
            throw new StartupException("DATABASE_URL names no database: expected postgres://user:password@host:5432/database.");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = database,
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }
        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(parts[0]);
            var value = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : "";
            try
            {
                // libpq spells it sslmode; Npgsql accepts "SSL Mode" and most libpq names.
                builder[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = value;
            }
            catch (ArgumentException)
            {
                throw new StartupException($"DATABASE_URL has an option PostgreSQL does not know: '{key}'.");
            }
        }
        return builder.ConnectionString;
    }
}
