using System.Diagnostics;
using System.Net;
using System.Text;

namespace Aperture.Tests.Infrastructure;

// The built app as a real process (`dotnet Aperture.dll`), for what only a real process shows: a kill -9 leaves no
// shutdown code running, no final write, no disposed connection. Its output is kept for the failure message.
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool disposed;

    private AppProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    // Where Kestrel really listens: the app binds port 0 and says which port it got. A port picked free by the test and
    // handed over could be taken by another socket of the parallel suite before the app binds it (CI saw that once).
    public Uri Address => listening.Task.IsCompletedSuccessfully
        ? listening.Task.Result
        : throw new InvalidOperationException("the app has not said where it listens yet");

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
        const string listeningOn = "Now listening on: ";
        if (!listening.Task.IsCompleted && line.IndexOf(listeningOn, StringComparison.Ordinal) is var at and >= 0)
        {
            listening.TrySetResult(new Uri(line[(at + listeningOn.Length)..].Trim()));
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
        var start = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = workingDirectory,
        };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        // The line that says where Kestrel listens, even when a test quiets the rest of the log.
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        var app = new AppProcess(Process.Start(start)!);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
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
                if (app.listening.Task.IsCompletedSuccessfully
                    && (await http.GetAsync(new Uri(app.Address, "/health"))).StatusCode == HttpStatusCode.OK)
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

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        disposed = true;
        process.Dispose();
    }
}
