using Aperture.Data;
using Aperture.Fakes;
using Aperture.MediaServers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Aperture.Tests.Infrastructure;

// The whole app on a temp data folder and a fresh database (SQLite or PostgreSQL, per run).
public class AppFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings = new()
    {
        ["MediaServer:TimeoutSeconds"] = "2",
        ["MediaServer:Retries"] = "0",
        // No job fires on its own inside a test host (a test crossing 16:00 would see a history sync);
        // Built_in_default_schedules_apply_without_the_manual_setting checks the real defaults.
        ["Jobs:DefaultSchedules"] = "manual",
    };

    private readonly List<Action<IServiceCollection>> services = [];
    private bool ownsStorage = true;
    private bool ownsDatabase = true;

    // A new install whose database already holds every migration (a copy of the test process's migrated template).
    public AppFactory()
        : this(emptyDatabase: false)
    {
    }

    private AppFactory(bool emptyDatabase)
    {
        DataDirectory = Directory.CreateTempSubdirectory("aperture-test-").FullName;
        DatabaseUrl = emptyDatabase ? TestDatabase.NewEmptyDatabaseUrl() : TestDatabase.NewDatabaseUrl(DataDirectory);
        settings["APERTURE_DATA_DIR"] = DataDirectory;
        settings["DATABASE_URL"] = DatabaseUrl ?? "";
    }

    // A new install on a database with no table at all, for the tests of migrating itself (a fresh install applying every
    // migration, an upgrade from an older one).
    public static AppFactory OnEmptyDatabase() => new(emptyDatabase: true);

    // The next start of the same install: same data folder and database, same settings and services.
    // Dispose this one first, as a restart would; the new one owns (and finally deletes) the storage.
    public AppFactory Restarted()
    {
        var next = new AppFactory(DataDirectory, DatabaseUrl);
        foreach (var (key, value) in settings)
        {
            next.settings[key] = value;
        }
        next.services.AddRange(services);
        ownsStorage = false;
        return next;
    }

    // A second instance of the same cluster: the same database, its own data folder, the same settings and services.
    // The first owns (and finally drops) the database; dispose this one first.
    public AppFactory AnotherInstance()
    {
        var other = new AppFactory(Directory.CreateTempSubdirectory("aperture-test-").FullName, DatabaseUrl) { ownsDatabase = false };
        foreach (var (key, value) in settings)
        {
            other.settings[key] = value;
        }
        other.settings["APERTURE_DATA_DIR"] = other.DataDirectory;
        other.services.AddRange(services);
        return other;
    }

    private AppFactory(string dataDirectory, string? databaseUrl)
    {
        DataDirectory = dataDirectory;
        DatabaseUrl = databaseUrl;
    }

    public string DataDirectory { get; }
    public string? DatabaseUrl { get; }

    // An install on a SQLite data folder filled by other means (a restored backup); if it owns it, it finally deletes that folder.
    public static AppFactory OnDataFolder(string dataDirectory, bool owns = true)
    {
        var app = new AppFactory(dataDirectory, null) { ownsStorage = owns };
        app.settings["APERTURE_DATA_DIR"] = dataDirectory;
        app.settings["DATABASE_URL"] = "";
        return app;
    }

    // Extra services for this host (test-only jobs), added after the app's own.
    public AppFactory WithServices(Action<IServiceCollection> configure)
    {
        services.Add(configure);
        return this;
    }

    // Set before the first request/Services call, like environment variables before a start.
    public AppFactory With(string key, string? value)
    {
        settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(s => services.ForEach(configure => configure(s)));
    }

    public HttpClient CreateBrowserlessClient() => CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
    });

    // A client signed in as that media-server user (cookies kept, redirects not followed).
    public async Task<HttpClient> SignedInClientAsync(string username, string password)
    {
        var client = CreateBrowserlessClient();
        await client.LoginOkAsync(username, password);
        return client;
    }

    // A connected app with an admin and alice on a fake Jellyfin: the host the settings tests start from.
    public static async Task<(AppFactory App, HttpClient Admin, FakeMediaServer Server)> WithAdminAsync()
    {
        var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b => { b.User("Admin", "pw", admin: true); b.User("alice", "pw"); });
        var app = new AppFactory();
        await app.ConnectAsync(server);
        return (app, await app.SignedInClientAsync("Admin", "pw"), server);
    }

    // Points the app at a fake server as a finished setup would.
    public async Task ConnectAsync(FakeMediaServer server)
    {
        await using var scope = Services.CreateAsyncScope();
        var media = scope.ServiceProvider.GetRequiredService<MediaServerSettings>();
        var input = new MediaServerConfigInput("auto", server.BaseUrl, server.ApiKey);
        var test = await media.TestAsync(input, CancellationToken.None);
        Assert.True(test.Ok, test.Error);
        await media.SaveAsync(input, test.Facts, CancellationToken.None);
    }

    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    // For browser tests: the real address after StartServer() with UseKestrel(0).
    public Uri ServerAddress => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!ownsStorage)
        {
            GC.SuppressFinalize(this);
            return;
        }
        if (ownsDatabase)
        {
            await TestDatabase.DropAsync(DatabaseUrl);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finishing background task; the temp folder is cleaned by the OS.
        }
        GC.SuppressFinalize(this);
    }
}
