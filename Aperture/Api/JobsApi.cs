using System.Globalization;
using System.Text.Json;
using Aperture.Auth;
using Aperture.Jobs;
using Microsoft.Extensions.Options;
using Aperture.Data;

namespace Aperture.Api;

public static class JobsApi
{
    public sealed record ScheduleConfigPatch(string? Kind, string? Time, string? DayOfWeek, int? EveryHours, string? Cron);

    public sealed record RunAccepted(long RunId, string JobName, string StreamUrl);

    public sealed record CancelAccepted(long RunId, string JobName, JobRunStatus Status);

    public static void MapJobsApi(this RouteGroupBuilder api)
    {
        var jobs = api.MapGroup("/jobs").RequireAuthorization(ClaimsPrincipalExtensions.AdminPolicy);

        jobs.MapGet("", async (JobQueries queries, CancellationToken ct) => Json(await queries.ListAsync(ct)));

        jobs.MapGet("/{name}/history", async (string name, int? limit, JobRegistry registry, JobQueries queries, CancellationToken ct) =>
            registry.Find(name) is { } job
                ? Json(await queries.HistoryAsync(job, Math.Clamp(limit ?? 20, 1, 100), withLogs: true, ct))
                : UnknownJob(name));

        jobs.MapPost("/{name}/run", async (string name, HttpContext http, JobRegistry registry, JobRunService runs, CancellationToken ct) =>
        {
            if (registry.Find(name) is not { } job)
            {
                return UnknownJob(name);
            }
            var result = await runs.RunNowAsync(job, http.User.Identity?.Name, ct);
            return result.Outcome == RunNowOutcome.AlreadyRunning
                ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: $"{job.DisplayName} is already running; no second run was queued.",
                    extensions: new Dictionary<string, object?> { ["runId"] = result.RunId })
                : Results.Json(new RunAccepted(result.RunId, job.Name, StreamUrl(result.RunId)), ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
        });

        jobs.MapPost("/{name}/cancel", async (string name, JobRegistry registry, JobRunService runs, CancellationToken ct) =>
        {
            if (registry.Find(name) is not { } job)
            {
                return UnknownJob(name);
            }
            var result = await runs.CancelAsync(job, ct);
            return result.Outcome switch
            {
                CancelOutcome.NotRunning => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: $"{job.DisplayName} is not running."),
                CancelOutcome.CancelledBeforeStart => Json(new CancelAccepted(result.RunId!.Value, job.Name, JobRunStatus.Cancelled)),
                // Accepted, not done: the run is Cancelled once the job has actually stopped.
                _ => Results.Json(new CancelAccepted(result.RunId!.Value, job.Name, JobRunStatus.Running), ApiJson.Options, statusCode: StatusCodes.Status202Accepted),
            };
        });

        jobs.MapGet("/{name}/config", async (string name, JobRegistry registry, JobQueries queries, CancellationToken ct) =>
            registry.Find(name) is { } job ? Json((await queries.GetAsync(job, ct)).Schedule) : UnknownJob(name));

        jobs.MapPatch("/{name}/config", async (string name, HttpRequest request, JobRegistry registry, JobScheduleService schedules,
            JobQueries queries, CancellationToken ct) =>
        {
            if (registry.Find(name) is not { } job)
            {
                return UnknownJob(name);
            }
            var (patch, error) = await ApiJson.ReadAsync<ScheduleConfigPatch>(request, ct);
            if (error is not null)
            {
                return error;
            }
            var input = new ScheduleInput(patch!.Kind, patch.Time, patch.DayOfWeek,
                patch.EveryHours?.ToString(CultureInfo.InvariantCulture), patch.Cron);
            var (_, errors) = await schedules.SaveAsync(job, input, ct);
            return errors.Count > 0 ? ApiJson.Invalid(errors) : Json((await queries.GetAsync(job, ct)).Schedule);
        });

        // Server-Sent Events from the run's row, so any instance can stream any run: an event when
        // it changed ("progress"), the last one when it ended ("done"), then the stream closes.
        jobs.MapGet("/progress/stream/{runId}", async (string runId, HttpContext http, JobQueries queries, IOptions<JobOptions> options) =>
        {
            var ct = http.RequestAborted;
            if (!long.TryParse(runId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || await queries.RunAsync(id, false, ct) is not { } run)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"There is no job run {runId}.");
            }
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers["X-Accel-Buffering"] = "no";
            await http.Response.WriteAsync("retry: 2000\n\n", ct);
            string? last = null;
            var quietSince = DateTimeOffset.UtcNow;
            try
            {
                while (true)
                {
                    var data = JsonSerializer.Serialize(run with { DurationSeconds = null }, ApiJson.Options);
                    if (data != last)
                    {
                        var payload = JsonSerializer.Serialize(run, ApiJson.Options);
                        await http.Response.WriteAsync($"event: {(run.Finished ? "done" : "progress")}\nid: {id}\ndata: {payload}\n\n", ct);
                        await http.Response.Body.FlushAsync(ct);
                        last = data;
                        quietSince = DateTimeOffset.UtcNow;
                    }
                    else if (DateTimeOffset.UtcNow - quietSince > TimeSpan.FromSeconds(15))
                    {
                        // A comment keeps proxies from closing a quiet stream.
                        await http.Response.WriteAsync(": still running\n\n", ct);
                        await http.Response.Body.FlushAsync(ct);
                        quietSince = DateTimeOffset.UtcNow;
                    }
                    if (run.Finished)
                    {
                        break;
                    }
                    await Task.Delay(options.Value.StreamPollInterval, ct);
                    if (await queries.RunAsync(id, false, ct) is not { } next)
                    {
                        break;
                    }
                    run = next;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The client went away.
            }
            return Results.Empty;
        });
    }

    public static string StreamUrl(long runId) => $"/api/jobs/progress/stream/{runId}";

    // Enums as camelCase names ("running", "everyHours"), like the rest of the API's JSON.
    private static IResult Json<T>(T value) => Results.Json(value, ApiJson.Options);

    private static IResult UnknownJob(string name) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"There is no job named '{name}'.");
}
