using System.Text.RegularExpressions;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Tests.Jobs;

public sealed partial class QuartzSchemaTests
{
    // The schema script Quartz carries for this database (it is what its store validates against).
    private static Dictionary<string, HashSet<string>> QuartzExpects()
    {
        var assembly = typeof(Quartz.IScheduler).Assembly;
        var suffix = TestDatabase.IsPostgres ? "create_postgres.sql" : "create_sqlite.sql";
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith(suffix, StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        var script = reader.ReadToEnd();
        var tables = new Dictionary<string, HashSet<string>>();
        foreach (Match table in CreateTable().Matches(script))
        {
            var columns = table.Groups["body"].Value.Split('\n')
                .Select(l => l.Trim())
                .Where(l => l.Length > 0 && !l.StartsWith("PRIMARY", StringComparison.OrdinalIgnoreCase) && !l.StartsWith("FOREIGN", StringComparison.OrdinalIgnoreCase))
                .Select(l => l.Split(' ')[0].ToLowerInvariant())
                .ToHashSet();
            tables["qrtz_" + table.Groups["name"].Value.ToLowerInvariant()] = columns;
        }
        return tables;
    }

    [Fact]
    public async Task The_migrations_create_every_quartz_table_and_column_the_store_uses()
    {
        await using var app = new AppFactory();
        var expected = QuartzExpects();
        Assert.Contains("qrtz_triggers", expected.Keys);
        Assert.Contains("misfire_orig_fire_time", expected["qrtz_triggers"]);

        var actual = await app.WithDbAsync(async db =>
        {
            var result = new Dictionary<string, HashSet<string>>();
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            foreach (var table in expected.Keys)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = TestDatabase.IsPostgres
                    ? $"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}'"
                    : $"SELECT name FROM pragma_table_info('{table.ToUpperInvariant()}')";
                var columns = new HashSet<string>();
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    columns.Add(reader.GetString(0).ToLowerInvariant());
                }
                result[table] = columns;
            }
            return result;
        });

        foreach (var (table, columns) in expected)
        {
            Assert.True(actual[table].Count > 0, $"{table} is missing");
            Assert.True(columns.IsSubsetOf(actual[table]), $"{table} lacks {string.Join(", ", columns.Except(actual[table]))}");
        }
    }

    [GeneratedRegex(@"CREATE TABLE IF NOT EXISTS \{0\}(?<name>\w+) \((?<body>.*?)\n\);", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex CreateTable();
}
