using Aperture.Jobs;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.Admin.Jobs;

// Admin › Jobs: every job with its state, live progress (SSE), run / cancel, schedule and history.
public sealed class IndexModel(JobRegistry registry, JobQueries queries, JobRunService runs, JobScheduleService schedules) : PageModel
{
    // The schedule editor's fields as the form posts them.
    public sealed class ScheduleForm
    {
        public string? Kind { get; set; }
        public string? Time { get; set; }
        public string? DayOfWeek { get; set; }
        public string? EveryHours { get; set; }
        public string? Cron { get; set; }

        public static ScheduleForm From(ScheduleView s) => new()
        {
            Kind = ScheduleSpec.KindName(s.Kind),
            Time = s.Time,
            DayOfWeek = s.DayOfWeek?.ToString().ToLowerInvariant(),
            EveryHours = s.EveryHours?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Cron = s.Cron,
        };

        public ScheduleInput ToInput() => new(Kind, Time, DayOfWeek, EveryHours, Cron);
    }

    public sealed record ScheduleFormModel(string JobName, ScheduleView Current, ScheduleForm Form, IReadOnlyDictionary<string, string> Errors);

    public sealed record CardModel(JobView Job, ScheduleFormModel Schedule, string? Notice = null);

    public sealed record HistoryModel(string JobName, IReadOnlyList<RunView> Runs);

    [BindProperty] public ScheduleForm Schedule { get; set; } = new();

    public IReadOnlyList<CardModel> Cards { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Cards = (await queries.ListAsync(ct)).Select(j => Card(j)).ToList();

    public async Task<IActionResult> OnGetCardAsync(string name, CancellationToken ct) =>
        registry.Find(name) is { } job ? Partial("_JobCard", Card(await queries.GetAsync(job, ct))) : NotFound();

    public async Task<IActionResult> OnGetProgressAsync(long runId, CancellationToken ct)
    {
        if (await queries.RunAsync(runId, false, ct) is not { } run)
        {
            return NotFound();
        }
        var partial = Partial("_JobProgress", run);
        // The card's badge follows the run too (Queued → Running → Cancelling…).
        partial.ViewData["StatusOutOfBand"] = true;
        return partial;
    }

    public async Task<IActionResult> OnGetHistoryAsync(string name, CancellationToken ct) =>
        registry.Find(name) is { } job ? Partial("_JobHistory", new HistoryModel(job.Name, await queries.HistoryAsync(job, 20, false, ct))) : NotFound();

    public async Task<IActionResult> OnGetLogAsync(long runId, CancellationToken ct) =>
        await queries.RunAsync(runId, true, ct) is { } run ? Partial("_RunLog", run) : NotFound();

    public async Task<IActionResult> OnPostRunAsync(string name, CancellationToken ct)
    {
        if (registry.Find(name) is not { } job)
        {
            return NotFound();
        }
        var result = await runs.RunNowAsync(job, User.Identity?.Name, ct);
        if (result.Outcome == RunNowOutcome.AlreadyRunning)
        {
            return await RespondAsync(job, $"{job.DisplayName} is already running; no second run was queued.", StatusCodes.Status409Conflict, ct);
        }
        Response.Htmx(h => h.WithTrigger("jobStarted", new { job = job.Name, runId = result.RunId }));
        return await RespondAsync(job, null, StatusCodes.Status200OK, ct);
    }

    public async Task<IActionResult> OnPostCancelAsync(string name, CancellationToken ct)
    {
        if (registry.Find(name) is not { } job)
        {
            return NotFound();
        }
        var result = await runs.CancelAsync(job, ct);
        var notice = result.Outcome switch
        {
            CancelOutcome.NotRunning => $"{job.DisplayName} is not running.",
            CancelOutcome.CancelledBeforeStart => "Cancelled before it started.",
            _ => "Cancelling: the job stops at its next safe point.",
        };
        if (result.Outcome != CancelOutcome.NotRunning)
        {
            Response.Htmx(h => h.WithTrigger("jobCancelRequested", new { job = job.Name, runId = result.RunId }));
        }
        return await RespondAsync(job, notice, result.Outcome == CancelOutcome.NotRunning ? StatusCodes.Status409Conflict : StatusCodes.Status200OK, ct);
    }

    public async Task<IActionResult> OnPostScheduleAsync(string name, CancellationToken ct)
    {
        if (registry.Find(name) is not { } job)
        {
            return NotFound();
        }
        var (_, errors) = await schedules.SaveAsync(job, Schedule.ToInput(), ct);
        if (errors.Count == 0)
        {
            Response.Htmx(h => h.WithTrigger("scheduleSaved", new { job = job.Name }));
            return await RespondAsync(job, "Schedule saved.", StatusCodes.Status200OK, ct);
        }

        var view = await queries.GetAsync(job, ct);
        var form = new ScheduleFormModel(job.Name, view.Schedule, Schedule, errors);
        if (Request.IsHtmx())
        {
            // Only the form is re-rendered, with its errors; htmx swaps 2xx answers only.
            Response.Htmx(h => h.WithVary().Retarget($"#schedule-{job.Name}").Reswap("outerHTML"));
            return Partial("_ScheduleForm", form);
        }
        Cards = (await queries.ListAsync(ct)).Select(j => j.Name == job.Name ? new CardModel(j, form) : Card(j)).ToList();
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    // htmx gets the job's card; a plain form post goes back to the page (or shows it with the notice).
    private async Task<IActionResult> RespondAsync(JobDefinition job, string? notice, int status, CancellationToken ct)
    {
        if (Request.IsHtmx())
        {
            Response.Htmx(h => h.WithVary());
            return Partial("_JobCard", Card(await queries.GetAsync(job, ct), notice));
        }
        if (status == StatusCodes.Status200OK)
        {
            return RedirectToPage();
        }
        Cards = (await queries.ListAsync(ct)).Select(j => Card(j, j.Name == job.Name ? notice : null)).ToList();
        Response.StatusCode = status;
        return Page();
    }

    internal static CardModel Card(JobView job, string? notice = null) =>
        new(job, new ScheduleFormModel(job.Name, job.Schedule, ScheduleForm.From(job.Schedule), new Dictionary<string, string>()), notice);
}
