using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Json;
using Aperture.Auth;
using Aperture.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Aperture.Data;

namespace Aperture.Api;

public static class JobsApi
{
    public sealed record ScheduleConfigPatch(string? Kind, string? Time, string? DayOfWeek, int? EveryHours, string? Cron);

    public sealed record RunAccepted(long RunId, string JobName, string StreamUrl);

    public sealed record CancelAccepted(long RunId, string JobName, JobRunStatus Status);

    // With nothing new for this long, the stream sends the current state again so proxies do not close it.
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static void MapJobsApi(this RouteGroupBuilder api)
    {
        var jobs = api.MapGroup("/jobs").RequireAuthorization(ClaimsPrincipalExtensions.AdminPolicy);
        jobs.MapGet("", ListAsync);
        jobs.MapGet("/{name}/history", HistoryAsync);
        jobs.MapPost("/{name}/run", RunAsync);
        jobs.MapPost("/{name}/cancel", CancelAsync);
        jobs.MapGet("/{name}/config", GetConfigAsync);
        jobs.MapPatch("/{name}/config", PatchConfigAsync);
        jobs.MapGet("/progress/stream/{runId}", StreamAsync);
    }

    public static async Task<Ok<IReadOnlyList<JobView>>> ListAsync(JobQueries queries, CancellationToken ct) =>
        TypedResults.Ok(await queries.ListAsync(ct));

    public static async Task<Results<Ok<IReadOnlyList<RunView>>, ProblemHttpResult>> HistoryAsync(string name, int? limit, JobRegistry registry,
        JobQueries queries, CancellationToken ct) =>
        registry.Find(name) is { } job
            ? TypedResults.Ok(await queries.HistoryAsync(job, Math.Clamp(limit ?? 20, 1, 100), withLogs: true, ct))
            : UnknownJob(name);

    public static async Task<Results<Accepted<RunAccepted>, ProblemHttpResult>> RunAsync(string name, ClaimsPrincipal user, JobRegistry registry,
        JobRunService runs, CancellationToken ct)
    {
        if (registry.Find(name) is not { } job)
        {
            return UnknownJob(name);
        }
        var result = await runs.RunNowAsync(job, user.Identity?.Name, ct);
        return result.Outcome == RunNowOutcome.AlreadyRunning
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"{job.DisplayName} is already running; no second run was queued.",
                extensions: new Dictionary<string, object?> { ["runId"] = result.RunId })
            : TypedResults.Accepted((string?)null, new RunAccepted(result.RunId, job.Name, StreamUrl(result.RunId)));
    }

    public static async Task<Results<Ok<CancelAccepted>, Accepted<CancelAccepted>, ProblemHttpResult>> CancelAsync(string name, JobRegistry registry,
        JobRunService runs, CancellationToken ct)
    {
        if (registry.Find(name) is not { } job)
        {
            return UnknownJob(name);
        }
        var result = await runs.CancelAsync(job, ct);
        return result.Outcome switch
        {
            CancelOutcome.NotRunning => ApiProblems.Conflict($"{job.DisplayName} is not running."),
            CancelOutcome.CancelledBeforeStart => TypedResults.Ok(new CancelAccepted(result.RunId!.Value, job.Name, JobRunStatus.Cancelled)),
            // Accepted, not done: the run is Cancelled once the job has actually stopped.
            _ => TypedResults.Accepted((string?)null, new CancelAccepted(result.RunId!.Value, job.Name, JobRunStatus.Running)),
        };
    }

    public static async Task<Results<Ok<ScheduleView>, ProblemHttpResult>> GetConfigAsync(string name, JobRegistry registry, JobQueries queries,
        CancellationToken ct) =>
        registry.Find(name) is { } job ? TypedResults.Ok((await queries.GetAsync(job, ct)).Schedule) : UnknownJob(name);

    public static async Task<Results<Ok<ScheduleView>, ProblemHttpResult>> PatchConfigAsync(string name, HttpRequest request, JobRegistry registry,
        JobScheduleService schedules, JobQueries queries, CancellationToken ct)
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
        return errors.Count > 0 ? ApiJson.Invalid(errors) : TypedResults.Ok((await queries.GetAsync(job, ct)).Schedule);
    }

    // Server-Sent Events from the run's row, so any instance can stream any run: an event when
    // it changed ("progress"), the last one when it ended ("done"), then the stream closes.
    public static async Task<Results<ServerSentEventsResult<string>, ProblemHttpResult>> StreamAsync(string runId, HttpContext http,
        JobQueries queries, IOptions<JobOptions> options)
    {
        var ct = http.RequestAborted;
        if (!long.TryParse(runId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || await queries.RunAsync(id, false, ct) is not { } run)
        {
            return ApiProblems.NotFound($"There is no job run {runId}.");
        }
        http.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(RunEventsAsync(id, run, queries, options.Value.StreamPollInterval, ct));
    }

    private static async IAsyncEnumerable<SseItem<string>> RunEventsAsync(long id, RunView run, JobQueries queries, TimeSpan poll,
        [EnumeratorCancellation] CancellationToken ct)
    {
        string? last = null;
        var quietSince = DateTimeOffset.UtcNow;
        var first = true;
        while (true)
        {
            // The duration grows every second; only a change of anything else is news.
            var data = JsonSerializer.Serialize(run with { DurationSeconds = null }, ApiJson.Options);
            if (data != last || DateTimeOffset.UtcNow - quietSince > KeepAlive)
            {
                yield return new SseItem<string>(JsonSerializer.Serialize(run, ApiJson.Options), run.Finished ? "done" : "progress")
                {
                    EventId = id.ToString(CultureInfo.InvariantCulture),
                    ReconnectionInterval = first ? TimeSpan.FromSeconds(2) : null,
                };
                (last, quietSince, first) = (data, DateTimeOffset.UtcNow, false);
            }
            if (run.Finished)
            {
                yield break;
            }
            var gone = false;
            try
            {
                await Task.Delay(poll, ct);
                if (await queries.RunAsync(id, false, ct) is { } next)
                {
                    run = next;
                }
                else
                {
                    gone = true;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The client went away.
                gone = true;
            }
            if (gone)
            {
                yield break;
            }
        }
    }

    public static string StreamUrl(long runId) => $"/api/jobs/progress/stream/{runId}";

    private static ProblemHttpResult UnknownJob(string name) => ApiProblems.NotFound($"There is no job named '{name}'.");
}
