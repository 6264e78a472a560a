using Aperture.Fakes.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aperture.Fakes;

// The server releases the fakes imitate; Version answers "10.11.11", "12.0.0" and "4.8.11.0".
public enum FakeServerVersion { Jellyfin10_11, Jellyfin12_0, Emby4_8 }

// A fake Jellyfin or Emby on a real loopback port, speaking the wire format of shared/MEDIA-SERVER-API.md.
// await using var jellyfin = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b => b.Movie("Alien", 1979));
public sealed class FakeMediaServer : IAsyncDisposable
{
    private const string BodyKey = "Aperture.Fakes.Body";
    private const string AuthKey = "Aperture.Fakes.Auth";

    private readonly Lock callsSync = new();
    private readonly List<RecordedCall> calls = [];
    private WebApplication? app;

    private FakeMediaServer(FakeDialect dialect, TimeProvider time)
    {
        Dialect = dialect;
        State = new FakeState(Wire.Dialect.For(dialect), time);
        Version = State.Dialect.DefaultVersion;
        ServerName = dialect == FakeDialect.Jellyfin ? "Fake Jellyfin" : "Fake Emby";
        ApiKey = State.AddApiKey().Token;
        RequireExistingPaths = dialect == FakeDialect.Emby;
    }

    public FakeDialect Dialect { get; }
    public string BaseUrl { get; private set; } = "";
    public string ApiKey { get; }
    public string ServerId => State.ServerId;
    public string ServerName { get; set; }
    public string Version { get; set; }
    public FakeState State { get; }
    public FakeFaults Faults { get; } = new();

    // Jellyfin 12.0: only "Authorization: MediaBrowser ..." and ?ApiKey= still count; X-Emby-*, api_key and the Emby scheme do not.
    public bool LegacyAuthDisabled { get; set; }

    // Both servers refuse a library path missing on their disk (400). On by default for Emby, whose callers must create the
    // folder before the library anyway (it guesses the collection type otherwise); off by default for Jellyfin because
    // test paths rarely exist.
    public bool RequireExistingPaths { get; set; }

    // The benchmark can switch recording off to keep memory flat.
    public bool RecordCalls { get; set; } = true;

    public IReadOnlyList<RecordedCall> Calls
    {
        get
        {
            lock (callsSync)
            {
                return [.. calls];
            }
        }
    }

    // Jellyfin before 10.11 ignored MinDateLastSaved (only MinDateLastSavedForUser filtered); Version drives it.
    internal bool MinDateLastSavedWorks =>
        Dialect == FakeDialect.Emby || !System.Version.TryParse(Version, out var v) || v >= new System.Version(10, 11);

    // Jellyfin 12.0 playlists keep their entries in a table and accept an item twice; 10.11 skips an item already there.
    internal bool PlaylistAllowsRepeats =>
        Dialect == FakeDialect.Emby || !System.Version.TryParse(Version, out var v) || v >= new System.Version(12, 0);

    public static async Task<FakeMediaServer> StartAsync(FakeDialect dialect, Action<FakeLibraryBuilder>? seed = null, TimeProvider? time = null)
    {
        var server = new FakeMediaServer(dialect, time ?? TimeProvider.System);
        server.Seed(seed ?? (_ => { }));
        await server.StartHostAsync();
        return server;
    }

    // One of the releases the app supports, as it ships: 12.0 with the legacy X-Emby-* and api_key forms off.
    public static async Task<FakeMediaServer> StartAsync(FakeServerVersion version, Action<FakeLibraryBuilder>? seed = null, TimeProvider? time = null)
    {
        var server = new FakeMediaServer(version == FakeServerVersion.Emby4_8 ? FakeDialect.Emby : FakeDialect.Jellyfin, time ?? TimeProvider.System)
        {
            Version = VersionString(version),
            LegacyAuthDisabled = version == FakeServerVersion.Jellyfin12_0,
        };
        server.Seed(seed ?? (_ => { }));
        await server.StartHostAsync();
        return server;
    }

    public static string VersionString(FakeServerVersion version) => version switch
    {
        FakeServerVersion.Jellyfin10_11 => "10.11.11",
        FakeServerVersion.Jellyfin12_0 => "12.0.0",
        _ => "4.8.11.0",
    };

    public void Seed(Action<FakeLibraryBuilder> seed) => State.Write(_ => seed(new FakeLibraryBuilder(State)));

    public void ClearCalls()
    {
        lock (callsSync)
        {
            calls.Clear();
        }
    }

    // The header a well-behaved client sends: Jellyfin's MediaBrowser scheme, or Emby's X-Emby-Authorization form.
    public string AuthorizationHeader(string? token = null, string deviceId = "fake-test-device") =>
        $"{(Dialect == FakeDialect.Jellyfin ? "MediaBrowser" : "Emby")} Client=\"Aperture.Tests\", Device=\"Tests\", DeviceId=\"{deviceId}\", Version=\"1.0\""
        + (token is null ? "" : $", Token=\"{token}\"");

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }
    }

    internal static byte[] BodyOf(HttpContext context) => context.Items[BodyKey] as byte[] ?? [];

    internal static AuthInfo AuthOf(HttpContext context) =>
        context.Items[AuthKey] as AuthInfo ?? new AuthInfo(null, new Dictionary<string, string>());

    private async Task StartHostAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The app's appsettings or ASPNETCORE_URLS in a test's folder must not move the fake off its loopback port.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));

        app = builder.Build();
        var stopping = app.Lifetime.ApplicationStopping;
        app.Use((context, next) => RecordAsync(context, next));
        if (Dialect == FakeDialect.Emby)
        {
            // Emby answers under /emby/... and without the prefix alike; Jellyfin (12.0) has no /emby prefix.
            app.UsePathBase("/emby");
        }
        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            if (Faults.Next(context.Request) is { } fault)
            {
                await fault.ApplyAsync(context, next, this, stopping);
            }
            else
            {
                await next(context);
            }
        });
        app.UseRouting();
        FakeRoutes.Map(new RouteTable(app, this));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = address.TrimEnd('/');
    }

    // Recorded as the response starts, so a test that has its answer already sees the call.
    private async Task RecordAsync(HttpContext context, Func<Task> next)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var bytes = body.ToArray();
        var auth = FakeAuth.Read(context.Request, State.Dialect, LegacyAuthDisabled);
        context.Items[BodyKey] = bytes;
        context.Items[AuthKey] = auth;
        if (!RecordCalls)
        {
            await next();
            return;
        }

        var recorded = false;
        void Record()
        {
            if (recorded)
            {
                return;
            }
            recorded = true;
            var status = context.Response.HasStarted || !context.RequestAborted.IsCancellationRequested ? context.Response.StatusCode : 499;
            var call = new RecordedCall(
                State.Time.GetUtcNow(),
                context.Request.Method,
                context.Request.PathBase.Add(context.Request.Path).Value ?? "",
                context.Request.QueryString.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                System.Text.Encoding.UTF8.GetString(bytes),
                auth.Token,
                status);
            lock (callsSync)
            {
                calls.Add(call);
            }
            ContractJournal.Append(Dialect, Version, call, auth.Fields.TryGetValue("Client", out var client) ? client : null);
        }

        context.Response.OnStarting(() =>
        {
            Record();
            return Task.CompletedTask;
        });
        try
        {
            await next();
        }
        finally
        {
            Record();
        }
    }
}
