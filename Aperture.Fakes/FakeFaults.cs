using System.Text;
using Microsoft.AspNetCore.Http;

namespace Aperture.Fakes;

// server.Faults.Add(FaultRule.OnPath("/Items").OnCall(3).Respond(Fault.Status(500))): the third call whose path contains
// /Items fails, the others succeed. Rules are checked in order; every matching rule counts the call, the first one due fires.
public sealed class FakeFaults
{
    private readonly Lock sync = new();
    private readonly List<FaultRule> rules = [];

    public IReadOnlyList<FaultRule> Rules
    {
        get
        {
            lock (sync)
            {
                return [.. rules];
            }
        }
    }

    public FaultRule Add(FaultRule rule)
    {
        lock (sync)
        {
            rules.Add(rule);
        }
        return rule;
    }

    // The common case in one call: the nth request whose path contains pathContains answers status.
    public FaultRule FailCall(string pathContains, int nth, int status = 500) =>
        Add(FaultRule.OnPath(pathContains).OnCall(nth).Respond(Fault.Status(status)));

    // The item disappears just before the nth matching call is served, as if deleted between two pages.
    public FaultRule VanishItem(string itemId, int beforeCall = 2, string pathContains = "/Items") =>
        Add(FaultRule.OnPath(pathContains).OnCall(beforeCall).Respond(Fault.VanishItem(itemId)));

    public void Clear()
    {
        lock (sync)
        {
            rules.Clear();
        }
    }

    internal Fault? Next(HttpRequest request)
    {
        lock (sync)
        {
            Fault? due = null;
            foreach (var rule in rules)
            {
                if (rule.Hit(request) && due is null)
                {
                    due = rule.TakeIfDue();
                }
            }
            return due;
        }
    }
}

public sealed class FaultRule
{
    private readonly Func<HttpRequest, bool> matches;
    private string? method;
    private int firstCall = 1;
    private int? times;
    private int hits;
    private int fired;

    private FaultRule(Func<HttpRequest, bool> matches) => this.matches = matches;

    public Fault Fault { get; private set; } = Fault.Status(500);
    public int Hits => hits;
    public int Fired => fired;

    // Case-insensitive substring of the full path, /emby prefix included: "/Items" also matches /Users/{id}/Items.
    public static FaultRule OnPath(string pathContains) =>
        new(r => FullPath(r).Contains(pathContains, StringComparison.OrdinalIgnoreCase));

    // The exact path, ignoring case and Emby's /emby prefix.
    public static FaultRule OnExactPath(string path) =>
        new(r => string.Equals(r.Path.Value, path, StringComparison.OrdinalIgnoreCase) || string.Equals(FullPath(r), path, StringComparison.OrdinalIgnoreCase));

    public static FaultRule Where(Func<HttpRequest, bool> predicate) => new(predicate);

    public static FaultRule Always() => new(_ => true);

    public FaultRule OnMethod(string httpMethod)
    {
        method = httpMethod;
        return this;
    }

    // Counting from 1 among matching calls; unless Times/Forever says otherwise it then fires once.
    public FaultRule OnCall(int nth)
    {
        firstCall = nth;
        times ??= 1;
        return this;
    }

    public FaultRule Times(int count)
    {
        times = count;
        return this;
    }

    public FaultRule Forever()
    {
        times = int.MaxValue;
        return this;
    }

    public FaultRule Respond(Fault fault)
    {
        Fault = fault;
        return this;
    }

    internal bool Hit(HttpRequest request)
    {
        if ((method is not null && !HttpMethods.Equals(method, request.Method)) || !matches(request))
        {
            return false;
        }
        hits++;
        return true;
    }

    internal Fault? TakeIfDue()
    {
        if (hits < firstCall || fired >= (times ?? int.MaxValue))
        {
            return null;
        }
        fired++;
        return Fault;
    }

    private static string FullPath(HttpRequest r) => r.PathBase.Add(r.Path).Value ?? "";
}

public abstract record Fault
{
    public static Fault Timeout { get; } = new HangFault();
    // 200 application/json whose body is whole but not JSON a parser accepts (a proxy's page, a server bug): not worth a retry.
    public static Fault BadJson { get; } = new BadJsonFault();

    // The real answer cut in half, its Content-Length saying the cut length: the body just ends mid-JSON.
    public static Fault TruncatedJson { get; } = new TruncatedFault(DeclareFullLength: false);

    // The real answer's full Content-Length is announced, half the body is sent, then the connection drops.
    public static Fault ShortBody { get; } = new TruncatedFault(DeclareFullLength: true);

    // The connection is dropped before any answer (a server process restarting, a proxy timing out).
    public static Fault ResetConnection { get; } = new ResetFault();
    public static Fault Unauthorized { get; } = new StatusFault(401, "");

    public static Fault Status(int status, string? body = null) => new StatusFault(status, body ?? "Error processing request.");

    public static Fault Delay(TimeSpan delay) => new DelayFault(delay);

    public static Fault VanishItem(string itemId) => new VanishFault(itemId);

    // The user is deleted on the server just before this call is served (as in the dashboard): gone from /Users, and their
    // items and history answer 404 from then on.
    public static Fault VanishUser(string userId) => new VanishUserFault(userId);

    internal abstract Task ApplyAsync(HttpContext context, RequestDelegate next, FakeMediaServer server, CancellationToken stopping);

    private sealed record StatusFault(int Code, string Body) : Fault
    {
        internal override async Task ApplyAsync(HttpContext context, RequestDelegate next, FakeMediaServer server, CancellationToken stopping)
        {
            context.Response.StatusCode = Code;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(Body, context.RequestAborted);
        }
    }

    // Longer than any client timeout; ends when the client gives up or the server stops.
    private sealed record HangFault : Fault
    {
        internal override async Task ApplyAsync(HttpContext context, RequestDelegate next, FakeMediaServer server, CancellationToken stopping)
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            try
            {
                await Task.Delay(TimeSpan.FromMinutes(10), either.Token);
            }
            catch (OperationCanceledException)
            {
                context.Abort();
                return;
            }
            context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
        }
    }

    private sealed record DelayFault(TimeSpan Duration) : Fault
    {
        internal override async Task ApplyAsync(HttpContext context, RequestDelegate next, FakeMediaServer server, CancellationToken stopping)
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            try
            {
                await Task.Delay(Duration, either.Token);
            }
            catch (OperationCanceledException)
            {
                context.Abort();
                return;
            }
            await next(context);
        }
    }

    private sealed record BadJsonFault : Fault
    {
        internal override async Task ApplyAsync(HttpContext context, RequestDelegate next, FakeMediaServer server, CancellationToken stopping)
        {
            var body = Encoding.UTF8.GetBytes("{\"Items\":[{\"Id\":\"1\",}],\"TotalRecordCount\":1,}");
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    private sealed record TruncatedFault(bool DeclareFullLength) : Fault
    {
        internal override async Task ApplyAsync(HttpContext context, RequestDelegate next, FakeMediaServer server, CancellationToken stopping)
        {
            var original = context.Response.Body;
            using var captured = new MemoryStream();
            context.Response.Body = captured;
            try
            {
                await next(context);
            }
            finally
            {
                context.Response.Body = original;
            }
            var body = captured.ToArray();
            var cut = body.Length > 2 ? body.AsMemory(0, body.Length / 2) : Encoding.UTF8.GetBytes("{\"Items\":[{\"Id\":");
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = DeclareFullLength ? Math.Max(body.Length, cut.Length + 1) : cut.Length;
            await original.WriteAsync(cut, context.RequestAborted);
            if (DeclareFullLength)
            {
                await original.FlushAsync(context.RequestAborted);
                // Long enough for the client to take the headers and the half body off the socket before the reset discards them.
                await Task.Delay(TimeSpan.FromMilliseconds(200), stopping);
                context.Abort();
            }
        }
    }

    private sealed record ResetFault : Fault
    {
        internal override Task ApplyAsync(HttpContext context, RequestDelegate next, FakeMediaServer server, CancellationToken stopping)
        {
            context.Abort();
            return Task.CompletedTask;
        }
    }

    private sealed record VanishUserFault(string UserId) : Fault
    {
        internal override Task ApplyAsync(HttpContext context, RequestDelegate next, FakeMediaServer server, CancellationToken stopping)
        {
            if (server.State.FindUser(UserId) is { } user)
            {
                server.State.RemoveUser(user);
            }
            return next(context);
        }
    }

    private sealed record VanishFault(string ItemId) : Fault
    {
        internal override Task ApplyAsync(HttpContext context, RequestDelegate next, FakeMediaServer server, CancellationToken stopping)
        {
            server.State.RemoveItem(ItemId);
            return next(context);
        }
    }
}
