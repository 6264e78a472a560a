using Aperture.Data;
using Npgsql;

namespace Aperture.Tests;

public sealed class DatabaseUrlTests
{
    [Fact]
    public void No_database_url_means_sqlite_in_the_data_folder()
    {
        var target = DatabaseUrl.Resolve(null, "/srv/aperture");
        Assert.Equal(DatabaseProvider.Sqlite, target.Provider);
        Assert.Contains("/srv/aperture/aperture.db", target.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_url_of_the_original_becomes_an_npgsql_connection_string()
    {
        var target = DatabaseUrl.Resolve("postgres://aperture:p%40ss%3Aword@db.lan:5433/aperture?sslmode=require", "/data");
        var cs = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        Assert.Equal(DatabaseProvider.Postgres, target.Provider);
        Assert.Equal(("db.lan", 5433, "aperture", "aperture", "p@ss:word", SslMode.Require),
            (cs.Host, cs.Port, cs.Database, cs.Username, cs.Password, cs.SslMode));
        Assert.DoesNotContain("word", target.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_url_without_port_uses_5432()
    {
        var cs = new NpgsqlConnectionStringBuilder(DatabaseUrl.Resolve("postgresql://u@db/aperture", "/data").ConnectionString);
        Assert.Equal(5432, cs.Port);
    }

    [Fact]
    public void Npgsql_connection_string_is_accepted_as_is()
    {
        var target = DatabaseUrl.Resolve("Host=127.0.0.1;Port=5432;Username=a;Password=b;Database=c", "/data");
        Assert.Equal(DatabaseProvider.Postgres, target.Provider);
        Assert.Equal("127.0.0.1:5432/c", target.Describe());
    }

    [Theory]
    [InlineData("mysql://root@localhost/db", "must be a PostgreSQL URL")]
    [InlineData("postgres://user:pw@host:5432/", "names no database")]
    [InlineData("postgres://user:pw@host/db?bogus=1", "'bogus'")]
    [InlineData("Username=a;Database=b", "without Host")]
    [InlineData("Host=x;Nonsense Key=1", "not a valid PostgreSQL connection string")]
    public void Malformed_database_url_is_a_startup_error_saying_what_is_wrong(string url, string expected)
    {
        var e = Assert.Throws<StartupException>(() => DatabaseUrl.Resolve(url, "/data"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
