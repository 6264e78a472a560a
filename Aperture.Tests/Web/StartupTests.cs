using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Aperture.Data;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aperture.Tests;

public sealed class StartupTests
{
    [Fact]
    public async Task Fresh_install_starts_applies_every_migration_without_a_warning_and_reports_healthy()
    {
        var logs = new CapturedLogs();
        await using var app = AppFactory.OnEmptyDatabase().WithServices(s => s.AddSingleton<ILoggerProvider>(logs));
        var client = app.CreateBrowserlessClient();

        var health = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var body = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        Assert.Equal("healthy", body.RootElement.GetProperty("status").GetString());

        var (applied, all) = await app.WithDbAsync(async db =>
            ((await db.Database.GetAppliedMigrationsAsync()).ToList(), db.Database.GetMigrations().ToList()));
        Assert.NotEmpty(all);
        Assert.Equal(all, applied);
        // A first start must not greet the user with a migration warning (a table rebuild outside the transaction was one).
        Assert.DoesNotContain(logs.Lines, l => l.Level >= LogLevel.Warning && l.Text.Contains("migration", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(TestDatabase.IsPostgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite,
            app.Services.GetRequiredService<DatabaseTarget>().Provider);
    }

    [Fact]
    public async Task Database_at_the_previous_migration_is_upgraded_at_start_and_keeps_its_data()
    {
        await using var app = AppFactory.OnEmptyDatabase();
        var target = DatabaseUrl.Resolve(app.DatabaseUrl, app.DataDirectory);

        // Bring an empty database to the second-to-last migration, as an older release left it.
        await using (var old = CreateContext(target))
        {
            var migrations = old.Database.GetMigrations().ToList();
            Assert.True(migrations.Count >= 2, "the upgrade test needs at least two migrations");
            await old.GetService<IMigrator>().MigrateAsync(migrations[^2]);
            old.Settings.Add(new Setting { Key = "test.kept", Value = "from the old release", UpdatedAt = DateTimeOffset.UtcNow });
            await old.SaveChangesAsync();
        }

        Assert.Equal(HttpStatusCode.OK, (await app.CreateBrowserlessClient().GetAsync("/health")).StatusCode);

        var (pending, kept) = await app.WithDbAsync(async db => (
            (await db.Database.GetPendingMigrationsAsync()).ToList(),
            await db.Settings.Where(s => s.Key == "test.kept").Select(s => s.Value).SingleAsync()));
        Assert.Empty(pending);
        Assert.Equal("from the old release", kept);
    }

    [Fact]
    public async Task Upgrading_to_per_kind_user_settings_keeps_each_users_movie_and_series_tuning()
    {
        await using var app = AppFactory.OnEmptyDatabase();
        var target = DatabaseUrl.Resolve(app.DatabaseUrl, app.DataDirectory);
        const string movie = """{"picksPerUser":7,"genres":{"Horror":"never"}}""";
        const string series = """{"includeStarted":true}""";

        // The schema just before the move: tuning in one column per kind of user_preferences.
        await using (var old = CreateContext(target))
        {
            var migrations = old.Database.GetMigrations().ToList();
            var move = migrations.FindIndex(m => m.EndsWith("_UserKindSettings", StringComparison.Ordinal));
            Assert.True(move > 0, "the migration that moves user tuning is missing");
            await old.GetService<IMigrator>().MigrateAsync(migrations[move - 1]);
            old.Users.AddRange(new AppUser { Id = "u-both", Name = "both" }, new AppUser { Id = "u-series", Name = "series only" },
                new AppUser { Id = "u-none", Name = "no tuning" });
            await old.SaveChangesAsync();
            await old.Database.ExecuteSqlAsync($"""
                INSERT INTO "user_preferences" ("UserId", "FavoriteWriteBack", "MovieTuning", "SeriesTuning") VALUES ('u-both', {true}, {movie}, {series})
                """);
            await old.Database.ExecuteSqlAsync($"""
                INSERT INTO "user_preferences" ("UserId", "FavoriteWriteBack", "MovieTuning", "SeriesTuning") VALUES ('u-series', {false}, {""}, {series})
                """);
            await old.Database.ExecuteSqlAsync($"""
                INSERT INTO "user_preferences" ("UserId", "FavoriteWriteBack", "MovieTuning", "SeriesTuning") VALUES ('u-none', {false}, NULL, NULL)
                """);
        }

        Assert.Equal(HttpStatusCode.OK, (await app.CreateBrowserlessClient().GetAsync("/health")).StatusCode);

        var (rows, consent) = await app.WithDbAsync(async db => (
            await db.UserKindSettings.OrderBy(s => s.UserId).ThenBy(s => s.Kind).Select(s => new { s.UserId, s.Kind, s.Tuning }).ToListAsync(),
            await db.UserPreferences.Where(p => p.UserId == "u-both").Select(p => p.FavoriteWriteBack).SingleAsync()));
        Assert.Equal([("u-both", MediaKind.Movie, movie), ("u-both", MediaKind.Series, series), ("u-series", MediaKind.Series, series)],
            rows.Select(r => (r.UserId, r.Kind, r.Tuning!)));
        Assert.True(consent);
        using var scope = app.Services.CreateScope();
        var tuning = scope.ServiceProvider.GetRequiredService<Aperture.Feedback.TuningService>();
        var movies = await tuning.StoredAsync("u-both", MediaKind.Movie, CancellationToken.None);
        Assert.Equal((7, Aperture.Recommendations.GenreLean.Never), (movies.PicksPerUser, movies.Genres["horror"]));
        Assert.True((await tuning.StoredAsync("u-both", MediaKind.Series, CancellationToken.None)).IncludeStarted);
        Assert.Null((await tuning.StoredAsync("u-series", MediaKind.Movie, CancellationToken.None)).PicksPerUser);
    }

    [Fact]
    public async Task Database_made_by_the_pre_release_migration_chain_stops_startup_with_one_clear_line_and_is_left_untouched()
    {
        await using var app = AppFactory.OnEmptyDatabase();
        var target = DatabaseUrl.Resolve(app.DatabaseUrl, app.DataDirectory);
        await using (var old = CreateContext(target))
        {
            await old.Database.MigrateAsync();
            // What a pre-release build recorded: steps that no longer exist in this build.
            await old.Database.ExecuteSqlRawAsync(
                """INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ('20261124140245_Users', '10.0.0')""");
            old.Settings.Add(new Setting { Key = "test.kept", Value = "pre-release", UpdatedAt = DateTimeOffset.UtcNow });
            await old.SaveChangesAsync();
        }

        var env = new Dictionary<string, string> { ["APERTURE_DATA_DIR"] = app.DataDirectory };
        if (app.DatabaseUrl is not null)
        {
            env["DATABASE_URL"] = app.DatabaseUrl;
        }
        var (exitCode, stderr, stdout) = await RunAppProcessAsync(env);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("was made by a pre-release Aperture", line, StringComparison.Ordinal);
        Assert.Contains("20261124140245_Users", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
        await using var after = CreateContext(target);
        Assert.Equal("pre-release", await after.Settings.Where(s => s.Key == "test.kept").Select(s => s.Value).SingleAsync());
    }

    [Fact]
    public void Migration_chain_check_names_pre_release_and_newer_databases_and_passes_a_known_one()
    {
        string[] known = ["20261203000000_Initial", "20261203000001_QuartzStore"];
        Assert.Null(MigrationChain.Problem(["20261203000000_Initial"], known));
        Assert.Null(MigrationChain.Problem([], known));
        Assert.StartsWith("was made by a pre-release Aperture whose schema steps (2, e.g. 20261124140228_Initial)",
            MigrationChain.Problem(["20261124140228_Initial", "20261124140245_Users", "20261203000000_Initial"], known), StringComparison.Ordinal);
        Assert.StartsWith("was upgraded by a newer Aperture (it has migration 20270101000000_Next",
            MigrationChain.Problem([.. known, "20270101000000_Next"], known), StringComparison.Ordinal);
    }

    // Both providers, whatever database this run uses: the model and each provider's migrations must agree,
    // or the next `dotnet ef migrations add` would carry someone else's forgotten change.
    [Fact]
    public void Model_and_migrations_agree_for_both_providers()
    {
        using AppDbContext sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using AppDbContext postgres = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.False(sqlite.Database.HasPendingModelChanges(), "the SQLite model has changes no migration holds: dotnet ef migrations add <Name> --context SqliteAppDbContext -o Migrations/Sqlite");
        Assert.False(postgres.Database.HasPendingModelChanges(), "the PostgreSQL model has changes no migration holds: dotnet ef migrations add <Name> --context PostgresAppDbContext -o Migrations/Postgres");
    }

    [Fact]
    public async Task Malformed_database_url_stops_startup_with_one_clear_line()
    {
        var (exitCode, stderr, stdout) = await RunAppProcessAsync(new() { ["DATABASE_URL"] = "mysql://root@localhost/aperture" });
        Assert.Equal(1, exitCode);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Aperture cannot start: DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/database) or an Npgsql connection string (Host=...;Username=...;Database=...); leave it unset for SQLite.", Assert.Single(lines));
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_database_stops_startup_with_one_clear_line()
    {
        var (exitCode, stderr, stdout) = await RunAppProcessAsync(new() { ["DATABASE_URL"] = "postgres://aperture:secret@127.0.0.1:1/aperture" });
        Assert.Equal(1, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Aperture cannot start: Cannot reach the PostgreSQL database at 127.0.0.1:1/aperture", line, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("strm", "MEDIA_SERVER_STRM_ROOT must be an absolute path (got \"strm\")")]
    [InlineData("/", "MEDIA_SERVER_STRM_ROOT must not be the file-system root")]
    public async Task A_relative_or_root_strm_root_stops_startup_with_one_clear_line(string root, string message)
    {
        var (exitCode, stderr, stdout) = await RunAppProcessAsync(new() { ["MEDIA_SERVER_STRM_ROOT"] = root });
        Assert.Equal(1, exitCode);
        Assert.Equal($"Aperture cannot start: {message}", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Started_from_another_working_directory_the_app_serves_its_static_files_and_reads_its_appsettings()
    {
        var data = Directory.CreateTempSubdirectory("aperture-proc-").FullName;
        string log;
        await using (var app = await AppProcess.StartAsync(new Dictionary<string, string> { ["APERTURE_DATA_DIR"] = data }, data))
        {
            using var http = app.CreateClient();
            var htmx = await http.GetAsync("/lib/htmx/htmx.min.js");
            Assert.Equal(HttpStatusCode.OK, htmx.StatusCode);
            Assert.Contains("htmx", await htmx.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            log = app.Log;
        }
        Directory.Delete(data, recursive: true);
        // appsettings.json keeps ASP.NET's per-request lines out of the log; without it every request is logged.
        Assert.DoesNotContain("Request starting", log, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_process_on_the_same_SQLite_data_folder_is_refused_with_one_line()
    {
        if (TestDatabase.IsPostgres)
        {
            // Several instances on one PostgreSQL are the supported cluster; the lock is SQLite's.
            return;
        }
        var data = Directory.CreateTempSubdirectory("aperture-proc-").FullName;
        var start = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = data,
        };
        start.Environment["APERTURE_DATA_DIR"] = data;
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        using var first = Process.Start(start)!;
        var firstOut = first.StandardOutput.ReadToEndAsync();
        var firstErr = first.StandardError.ReadToEndAsync();
        try
        {
            var lockFile = Path.Combine(data, "aperture.lock");
            for (var i = 0; i < 240 && !(File.Exists(lockFile) && new FileInfo(lockFile).Length > 0); i++)
            {
                await Task.Delay(250);
            }
            Assert.True(File.Exists(lockFile), "the first instance did not take its lock");

            var (exitCode, stderr, stdout) = await RunAppProcessAsync(new() { ["APERTURE_DATA_DIR"] = data });

            Assert.Equal(1, exitCode);
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"Aperture cannot start: Another Aperture is already running on the data folder {data}", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
            Assert.False(first.HasExited, "the first instance must keep running");
        }
        finally
        {
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
            await Task.WhenAll(firstOut, firstErr);
        }

        // Killed (no clean shutdown): the operating system released the lock, so the next start is not refused.
        using (new FileStream(Path.Combine(data, "aperture.lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
        }
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task Unconfigured_install_sends_every_page_to_setup_and_the_api_answers_503()
    {
        await using var app = new AppFactory();
        var client = app.CreateBrowserlessClient();

        foreach (var path in new[] { "/", "/login", "/picks", "/admin" })
        {
            var page = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Equal("/setup", page.Headers.Location?.OriginalString);
        }
        var api = await client.GetAsync("/api/auth/me");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        Assert.Contains("not set up", await api.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static AppDbContext CreateContext(DatabaseTarget target) => target.Provider == DatabaseProvider.Postgres
        ? new PostgresAppDbContext(new DbContextOptionsBuilder<PostgresAppDbContext>().UseNpgsql(target.ConnectionString, n => n.UseVector()).Options)
        : new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(target.ConnectionString).Options);

    // The real executable, as `dotnet run` starts it, to see exactly what an admin sees.
    internal static async Task<(int ExitCode, string StdErr, string StdOut)> RunAppProcessAsync(Dictionary<string, string> env)
    {
        var dll = typeof(Program).Assembly.Location;
        var data = Directory.CreateTempSubdirectory("aperture-proc-").FullName;
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = data,
        };
        start.Environment["APERTURE_DATA_DIR"] = data;
        start.Environment["PORT"] = "0";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, (await stderr).Trim(), await stdout);
    }
}
