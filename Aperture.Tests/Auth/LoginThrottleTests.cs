using System.Net;
using Aperture.Auth;
using Aperture.Fakes;
using Aperture.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Aperture.Tests;

// Wrong passwords cost growing delays per user name and per address, and a user name reaches the log bounded and escaped.
public sealed class LoginThrottleTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task Wrong_passwords_lead_to_429_with_Retry_After_even_for_the_right_password_until_the_wait_is_over()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b => b.User("alice", "pw"));
        var clock = new ManualClock();
        await using var app = new AppFactory().WithServices(s => s.Replace(ServiceDescriptor.Singleton(new LoginThrottle(clock))));
        await app.ConnectAsync(server);
        var client = app.CreateBrowserlessClient();

        for (var i = 0; i < LoginThrottle.FreeFailuresPerName + 1; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.LoginAsync("alice", "wrong")).StatusCode);
        }
        var throttled = await client.LoginAsync("Alice ", "wrong");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), throttled.Headers.RetryAfter?.Delta);
        var right = await client.LoginAsync("alice", "pw");
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        var logins = server.Calls.Count(c => c.Path.Contains("AuthenticateByName", StringComparison.Ordinal));

        clock.Now += TimeSpan.FromSeconds(1);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.LoginAsync("alice", "wrong")).StatusCode);
        var longer = await client.LoginAsync("alice", "pw");
        Assert.Equal(TimeSpan.FromSeconds(2), longer.Headers.RetryAfter?.Delta);
        // A throttled attempt never reached the media server.
        Assert.Equal(logins + 1, server.Calls.Count(c => c.Path.Contains("AuthenticateByName", StringComparison.Ordinal)));

        clock.Now += TimeSpan.FromSeconds(2);
        Assert.Equal(HttpStatusCode.OK, (await client.LoginAsync("alice", "pw")).StatusCode);
        // The right password cleared the name.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.LoginAsync("alice", "wrong")).StatusCode);
    }

    [Fact]
    public void One_address_trying_many_names_is_throttled_too()
    {
        var clock = new ManualClock();
        var throttle = new LoginThrottle(clock);
        var address = IPAddress.Parse("203.0.113.9");
        for (var i = 0; i < LoginThrottle.FreeFailuresPerAddress + 1; i++)
        {
            Assert.Null(throttle.RetryAfter($"user{i}", address));
            throttle.Failed($"user{i}", address);
        }
        Assert.Equal(TimeSpan.FromSeconds(1), throttle.RetryAfter("someone-new", address));
        Assert.Null(throttle.RetryAfter("someone-new", IPAddress.Parse("203.0.113.10")));
        clock.Now += TimeSpan.FromSeconds(1);
        Assert.Null(throttle.RetryAfter("someone-new", address));
    }

    [Fact]
    public async Task A_user_name_with_newlines_reaches_the_log_escaped_and_bounded()
    {
        await using var server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b => b.User("alice", "pw"));
        var logs = new CapturedLogs();
        await using var app = new AppFactory().WithServices(s => s.AddSingleton<ILoggerProvider>(logs));
        await app.ConnectAsync(server);
        var forged = "eve\r\n2026-01-01 info: Login succeeded for admin\u202E" + new string('x', 5000);

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateBrowserlessClient().LoginAsync(forged, "wrong")).StatusCode);

        var line = Assert.Single(logs.Lines, l => l.Text.Contains("Login refused", StringComparison.Ordinal)).Text;
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
        Assert.DoesNotContain('\u202E', line);
        Assert.Contains("eve\\u000d\\u000a2026", line, StringComparison.Ordinal);
        Assert.True(line.Length < 300, $"{line.Length} characters logged");
    }
}
