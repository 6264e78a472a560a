using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Aperture.Load;

// The load both `Aperture.Bench load` and the suite's Load test put on the app (one file, compiled into both): signed-in
// clients, each looping over the main pages and API one request at a time, like a browser clicking fast, from its own
// starting route. A request counts as an error when it throws or answers anything but 2xx/304.
internal sealed record LoadRoute(string Name, Func<LoadClient, string> Path);

internal sealed record LoadClient(string Cookie, string UserId, long TitleId, string PosterUrl);

internal sealed class LoadRouteStats
{
    public List<double> Milliseconds { get; } = [];
    public int Errors { get; set; }
    public string? FirstError { get; set; }
}

internal static class LoadDriver
{
    private static readonly string[] SearchWords = ["love", "war", "star", "night", "man", "day", "king", "girl", "dead", "city"];

    public static readonly LoadRoute[] Routes =
    [
        new("my picks", _ => "/picks/movies"),
        new("browse", _ => "/browse/movies"),
        new("search", _ => "/browse/movies?q=" + SearchWords[Random.Shared.Next(SearchWords.Length)]),
        new("picks api", c => $"/api/recommendations/{c.UserId}?kind=movies"),
        new("poster (cached)", c => c.PosterUrl),
        new("title page", c => $"/browse/movies/{c.TitleId}"),
        new("my taste", _ => "/taste/movies"),
    ];

    public static async Task<Dictionary<string, LoadRouteStats>> RunAsync(HttpClient http, IReadOnlyList<LoadClient> clients, TimeSpan duration,
        LoadRoute[]? only = null)
    {
        var routes = only ?? Routes;
        var stats = Routes.ToDictionary(r => r.Name, _ => new LoadRouteStats());
        using var stop = new CancellationTokenSource(duration);
        var workers = clients.Select((client, index) => Task.Run(async () =>
        {
            var local = Routes.ToDictionary(r => r.Name, _ => new LoadRouteStats());
            for (var i = index; !stop.IsCancellationRequested; i++)
            {
                var route = routes[i % routes.Length];
                var s = local[route.Name];
                var path = route.Path(client);
                var watch = Stopwatch.StartNew();
                try
                {
                    using var response = await SendAsync(http, client.Cookie, path, CancellationToken.None);
                    await response.Content.LoadIntoBufferAsync();
                    if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified)
                    {
                        s.Milliseconds.Add(watch.Elapsed.TotalMilliseconds);
                    }
                    else
                    {
                        s.Errors++;
                        s.FirstError ??= $"{(int)response.StatusCode} {path}";
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    s.Errors++;
                    s.FirstError ??= $"{path}: {e.GetType().Name} {e.Message}";
                }
            }
            return local;
        })).ToList();
        foreach (var local in await Task.WhenAll(workers))
        {
            foreach (var (name, s) in local)
            {
                stats[name].Milliseconds.AddRange(s.Milliseconds);
                stats[name].Errors += s.Errors;
                stats[name].FirstError ??= s.FirstError;
            }
        }
        foreach (var s in stats.Values)
        {
            s.Milliseconds.Sort();
        }
        return stats;
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, string cookie, string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
    }

    // Signs in `count` clients as the given users in turn (name, password), each on a movie pick with a poster of their own,
    // whose poster is fetched once so the load measures cached posters. Null with the reason when a user has no picks.
    public static async Task<(List<LoadClient>? Clients, string? Problem)> SignInClientsAsync(HttpClient http, IReadOnlyList<(string Name, string Password)> users,
        int count)
    {
        var clients = new List<LoadClient>();
        for (var i = 0; i < count; i++)
        {
            var (name, password) = users[i % users.Count];
            var cookie = await LoginAsync(http, name, password);
            var me = await GetJsonAsync(http, cookie, "/api/auth/me");
            var userId = me.GetProperty("id").GetString()!;
            var picks = (await GetJsonAsync(http, cookie, $"/api/recommendations/{userId}?kind=movies")).GetProperty("picks").EnumerateArray()
                .Where(p => p.TryGetProperty("posterUrl", out var poster) && poster.ValueKind == JsonValueKind.String).ToList();
            if (picks.Count == 0)
            {
                return (null, $"{name} has no picks with a poster: the load needs users with picks");
            }
            var pick = picks[Random.Shared.Next(picks.Count)];
            var client = new LoadClient(cookie, userId, pick.GetProperty("titleId").GetInt64(), pick.GetProperty("posterUrl").GetString()!);
            using var first = await SendAsync(http, client.Cookie, client.PosterUrl, CancellationToken.None);
            first.EnsureSuccessStatusCode();
            clients.Add(client);
        }
        return (clients, null);
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient http, string cookie, string path)
    {
        using var response = await SendAsync(http, cookie, path, CancellationToken.None);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    // The session cookie ("aperture.session=...") of a fresh sign-in.
    public static async Task<string> LoginAsync(HttpClient http, string name, string password)
    {
        using var response = await http.PostAsJsonAsync("/api/auth/login", new { username = name, password });
        response.EnsureSuccessStatusCode();
        var cookie = response.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("aperture.session=", StringComparison.Ordinal));
        return cookie[..cookie.IndexOf(';', StringComparison.Ordinal)];
    }

    // Picks are off until an admin switches them on per user: on for everyone, as an install that uses them.
    public static async Task<int> EnablePicksAsync(HttpClient http, string admin)
    {
        var users = await GetJsonAsync(http, admin, "/api/users");
        var count = 0;
        foreach (var user in (users.ValueKind == JsonValueKind.Array ? users : users.GetProperty("users")).EnumerateArray())
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/users/{user.GetProperty("id").GetString()}")
            {
                Content = JsonContent.Create(new { moviePicksEnabled = true }),
            };
            request.Headers.Add("Cookie", admin);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            count++;
        }
        return count;
    }

    // Runs a job through the API as an admin would and waits for its outcome: "succeeded", or the status and the run's error.
    public static async Task<string> RunJobAsync(HttpClient http, string admin, string job, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/jobs/{job}/run") { Content = JsonContent.Create(new { }) };
        request.Headers.Add("Cookie", admin);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            return $"refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}";
        }
        var runId = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("runId").GetInt64();
        while (true)
        {
            await Task.Delay(500, ct);
            var runs = await GetJsonAsync(http, admin, $"/api/jobs/{job}/history?limit=5");
            var items = runs.ValueKind == JsonValueKind.Array ? runs : runs.GetProperty("runs");
            foreach (var run in items.EnumerateArray())
            {
                if (run.GetProperty("id").GetInt64() == runId && run.GetProperty("finished").GetBoolean())
                {
                    var status = run.GetProperty("status").GetString()!;
                    return status == "succeeded" ? status : $"{status}: {run.GetProperty("error")}";
                }
            }
        }
    }

    // The latencies must be sorted (RunAsync sorts them).
    public static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    // One table: requests, rate, p50/p95/p99/max and errors per route and for all routes, then each route's first error.
    public static string Table(Dictionary<string, LoadRouteStats> stats, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"{"route",-16} {"requests",9} {"req/s",7} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8} {"errors",7}");
        void Row(string name, List<double> ms, int errors) =>
            text.AppendLine(c, $"{name,-16} {ms.Count + errors,9:N0} {(ms.Count + errors) / elapsed.TotalSeconds,7:0.0} {Percentile(ms, 0.50),8:0.0} "
                + $"{Percentile(ms, 0.95),8:0.0} {Percentile(ms, 0.99),8:0.0} {(ms.Count == 0 ? 0 : ms[^1]),8:0.0} {errors,7}");
        foreach (var (route, s) in stats.Where(s => s.Value.Milliseconds.Count + s.Value.Errors > 0))
        {
            Row(route, s.Milliseconds, s.Errors);
        }
        var all = stats.Values.SelectMany(s => s.Milliseconds).Order().ToList();
        Row("all", all, stats.Values.Sum(s => s.Errors));
        foreach (var (route, s) in stats.Where(s => s.Value.FirstError is not null))
        {
            text.AppendLine(c, $"  first error on {route}: {s.FirstError}");
        }
        return text.ToString();
    }
}
