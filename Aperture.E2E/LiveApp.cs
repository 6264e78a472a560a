using System.Collections.Concurrent;
using Aperture.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

// The migrated template database the hosts start from is dropped after the last test (see TestDatabase).
[assembly: AssemblyFixture(typeof(TestDatabaseCleanup))]

namespace Aperture.E2E;

// The app on a real Kestrel port (a browser cannot reach the in-memory test server), with its log captured.
public sealed class LiveApp : AppFactory
{
    public LiveApp()
    {
        UseKestrel(0);
    }

    public ConcurrentQueue<string> Log { get; } = new();

    public string Url => ServerAddress.ToString().TrimEnd('/');

    public LiveApp Start()
    {
        StartServer();
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(l => l.AddProvider(new CaptureProvider(Log)));
    }

    private sealed class CaptureProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CaptureLogger(lines);

        public void Dispose() { }
    }

    private sealed class CaptureLogger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));
    }
}
