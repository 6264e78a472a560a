using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Aperture.Tests.Infrastructure;

// The built app as a real process (`dotnet Aperture.dll`), for what only a real process shows: a kill -9 leaves no
// shutdown code running, no final write, no disposed connection. Its output is kept for the failure message.
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();
    private bool disposed;

    private AppProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            // The tail is what explains a failure; keep the log bounded.
            if (log.Length > 200_000)
            {
                log.Remove(0, 100_000);
            }
            log.AppendLine(line);
        }
    }

    // Starts the app with these environment variables and waits until /health answers.
    public static async Task<AppProcess> StartAsync(IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = workingDirectory,
        };
        start.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var app = new AppProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = app.Address, Timeout = TimeSpan.FromSeconds(5) };
        // Generous: on a busy 2-core machine a start (migrations checked, Quartz, Kestrel) has taken over a minute.
        var deadline = DateTime.UtcNow.AddSeconds(240);
        while (true)
        {
            if (app.HasExited)
            {
                throw new InvalidOperationException($"the app exited at start ({app.process.ExitCode}):\n{app.Log}");
            }
            try
            {
                if ((await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK)
                {
                    return app;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                await app.DisposeAsync();
                throw new TimeoutException($"the app was not healthy after 240 s:\n{app.Log}");
            }
            await Task.Delay(100);
        }
    }

    // SIGKILL: the process gets no chance to run anything.
    public async Task KillAsync()
    {
        if (disposed)
        {
            return;
        }
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync();
    }

    public HttpClient CreateClient(string? cookie = null)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = Address };
        if (cookie is not null)
        {
            client.DefaultRequestHeaders.Add("Cookie", cookie);
        }
        return client;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        disposed = true;
        process.Dispose();
    }
}
