using Aperture.Data;
using Aperture.Jobs;
using Aperture.MediaServers;
using Aperture.Outputs;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Aperture.Progress;
using Aperture.Wording;

namespace Aperture.Pages.Admin;

// Getting started: what a new install still needs before everyone has picks in the media server, each step with its
// state and a link to where it is done, and "Run everything" (the pipeline job) with its live progress. Admins land here
// from the home page until the pipeline has run once.
public sealed class GettingStartedModel(AppDbContext db, MediaServerSettings servers, OutputSettings outputs, JobRegistry registry, JobQueries queries)
    : PageModel
{
    public sealed record Step(string Name, bool Done, string State, string Link, string LinkText);

    public IReadOnlyList<Step> Steps { get; private set; } = [];
    public Jobs.IndexModel.CardModel? RunEverything { get; private set; }
    public bool PipelineRan { get; private set; }

    // The pipeline ran once when "Run everything", or a picks output job, succeeded and someone's picks library is in
    // the server (a run before anyone was switched on reads the catalogue and users, but puts nothing in front of anyone).
    public static async Task<bool> PipelineRanAsync(AppDbContext db, CancellationToken ct) =>
        await db.OutputLibraries.AsNoTracking().AnyAsync(l => l.ServerItemId != null, ct)
        && await db.JobRuns.AsNoTracking().AnyAsync(r => (r.JobName == JobNames.RunEverything || r.JobName == JobNames.SyncStrm || r.JobName == JobNames.SyncSeriesStrm)
            && r.Status == JobRunStatus.Succeeded, ct);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var config = await servers.GetAsync(ct);
        // The saved address and key, tested now: the facts remembered from an earlier save would show a green step for an
        // address that no longer answers.
        var test = config.IsConfigured ? await servers.TestAsync(new MediaServerConfigInput(null, null, null), ct) : null;
        var libraries = await db.Libraries.AsNoTracking().Where(l => l.PresentOnServer).Select(l => new { l.Kind, l.Enabled }).ToListAsync(ct);
        var enabledLibraries = libraries.Count(l => l.Enabled);
        var users = await db.Users.AsNoTracking().Where(u => u.PresentOnServer && !u.IsDisabled).Select(u => u.PicksKinds).ToListAsync(ct);
        var withPicks = users.Count(k => k != MediaKindSet.None);
        var options = await outputs.GetAsync(ct);
        var check = await outputs.CheckAsync(options, ct);
        PipelineRan = await PipelineRanAsync(db, ct);

        Steps =
        [
            new("Media server", test is { Ok: true },
                test switch
                {
                    { Ok: true, Facts: { } s } => $"Connected to {s.ServerName} ({s.Product} {s.Version}).",
                    { Error: { } error } => $"The saved server does not answer the test: {error}",
                    _ => "Not connected yet.",
                },
                "/admin/settings/media-server", "Media server settings"),
            new("Libraries", enabledLibraries > 0,
                libraries.Count == 0 ? "No library read from the server yet: open Libraries to read them."
                    : $"{Plural.Count(enabledLibraries, "library", "libraries")} of {libraries.Count} switched on for picks.",
                "/admin/settings/libraries", "Libraries"),
            new("Users", withPicks > 0,
                users.Count == 0 ? "No user read from the server yet: they appear after the first catalogue sync or sign-in."
                    : $"{Plural.Count(withPicks, "user")} of {users.Count} get picks.",
                "/admin/users", "Users"),
            new("Outputs check", check.Ok,
                check.Ok ? check.SampleTitle is null ? $"Output root {options.StrmRoot} can be written; no title synced yet to check the media path."
                        : $"Output root {options.StrmRoot} can be written and {check.SampleTitle}'s file is readable here."
                    : string.Join(" ", check.Errors.Values),
                "/admin/outputs", "Outputs"),
            new("First run", PipelineRan, PipelineRan ? "The pipeline has run: everyone's picks are in the media server."
                    : "No picks library written yet: switch users on, then Run everything below.",
                "/admin/jobs", "Jobs"),
        ];
        if (registry.Find(JobNames.RunEverything) is { } job)
        {
            RunEverything = Jobs.IndexModel.Card(await queries.GetAsync(job, ct));
        }
    }

}
