using Aperture.Auth;
using Aperture.Browse;
using Aperture.Catalog;
using Aperture.Data;
using Aperture.Embeddings;
using Aperture.Narratives;
using Aperture.Outputs;
using Aperture.Recommendations;
using Aperture.TopPicks;
using Aperture.History;
using Aperture.Jobs;
using Aperture.MediaServers;
using Aperture.Settings;
using Aperture.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Aperture.Progress;

namespace Aperture.Bench;

// The app's own services (as Program.cs composes them, minus the web front) on a fresh database, pointed at a server.
internal sealed class BenchApp : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string dataDirectory;
    private readonly string? postgresAdmin;
    private readonly string? database;

    private BenchApp(WebApplication app, string dataDirectory, string? postgresAdmin, string? database)
    {
        this.app = app;
        this.dataDirectory = dataDirectory;
        this.postgresAdmin = postgresAdmin;
        this.database = database;
    }

    public IServiceProvider Services => app.Services;

    // postgresAdmin: an Npgsql connection string to a server with pgvector, where a throwaway database is created.
    // full: every feature the pipeline's jobs need (embeddings, picks, outputs, Top Picks), as Program.cs composes them.
    public static async Task<BenchApp> StartAsync(Uri server, string apiKey, string? postgresAdmin, IDictionary<string, string?> settings, bool full = false)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("aperture-bench-").FullName;
        string? databaseUrl = null, database = null;
        if (postgresAdmin is not null)
        {
            database = "aperture_bench_" + Guid.NewGuid().ToString("N")[..12];
            await using (var connection = new NpgsqlConnection(postgresAdmin))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
                await create.ExecuteNonQueryAsync();
            }
            databaseUrl = new NpgsqlConnectionStringBuilder(postgresAdmin) { Database = database }.ConnectionString;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", Args = [] });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["APERTURE_DATA_DIR"] = dataDirectory,
            ["DATABASE_URL"] = databaseUrl ?? "",
            ["MEDIA_SERVER_BASE_URL"] = server.AbsoluteUri.TrimEnd('/'),
            ["MEDIA_SERVER_API_KEY"] = apiKey,
        });
        // EF logs its look for the migrations table of a new PostgreSQL database as a failed command: not a failure.
        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.None);
        builder.AddHosting();
        builder.AddData();
        builder.AddSettings();
        builder.AddMediaServers();
        builder.AddAuth();
        if (full)
        {
            builder.AddEmbeddings();
            builder.AddNarratives();
            builder.AddJobs();
        }
        builder.AddCatalog();
        builder.AddHistory();
        if (full)
        {
            // The taste synopses of a picks run read the library's genre shares from Browse's counts.
            builder.AddBrowse();
            builder.AddRecommendations();
            builder.AddOutputs();
            builder.AddServerLibraries();
            builder.AddTopPicks();
        }
        var app = builder.Build();
        await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None);
        return new BenchApp(app, dataDirectory, postgresAdmin, database);
    }

    public async Task RunJobAsync(string name, IJobProgress? progress = null)
    {
        var definition = Services.GetServices<JobDefinition>().Single(d => d.Name == name);
        // A fresh stack, as the app's scheduler gives each run (see PipelineBench.MeasureAsync).
        await Task.Yield();
        await using var scope = Services.CreateAsyncScope();
        var job = (IJob)scope.ServiceProvider.GetRequiredService(definition.Implementation);
        await job.RunAsync(new JobContext(0, definition, progress ?? NullJobProgress.Instance), CancellationToken.None);
    }

    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> read)
    {
        await using var scope = Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public async Task SetRecommendationPicksAsync(int picks)
    {
        await using var scope = Services.CreateAsyncScope();
        var settings = scope.ServiceProvider.GetRequiredService<RecommendationSettings>();
        var current = await settings.GetAsync(MediaKind.Movie, CancellationToken.None);
        await settings.SaveAsync(MediaKind.Movie, current with { PicksPerUser = picks }, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        if (postgresAdmin is not null)
        {
            await using var connection = new NpgsqlConnection(postgresAdmin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS's temp cleaning.
        }
    }
}
