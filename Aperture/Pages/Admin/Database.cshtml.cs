using Aperture.Browse;
using Aperture.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Aperture.Catalog;

namespace Aperture.Pages.Admin;

// Admin › Database: what is stored, how big it is, backups (database + key ring), and purging one kind's synced data.
public sealed class DatabaseModel(DatabaseMaintenance maintenance, CatalogPurge purger, DatabaseBackup backup) : PageModel
{
    public DatabaseStats Stats { get; private set; } = null!;
    public MediaKind? Purged { get; private set; }
    public IReadOnlyList<BackupFile> Backups { get; private set; } = [];
    public bool BackupIncludesDatabase => backup.IncludesDatabase;
    public string BackupsDirectory => backup.Directory;
    public string? CreatedBackup { get; private set; }

    // The kind whose form failed, with why; the other form is left alone.
    public MediaKind? FailedKind { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(string? purged, string? backedUp, CancellationToken ct)
    {
        Purged = MediaKinds.Parse(purged);
        CreatedBackup = DatabaseBackup.IsBackupName(backedUp) ? backedUp : null;
        Stats = await maintenance.StatsAsync(ct);
        Backups = backup.List();
    }

    public async Task<IActionResult> OnPostBackupAsync(CancellationToken ct)
    {
        var created = await backup.CreateAsync(ct);
        return Redirect($"/admin/database?backedUp={Uri.EscapeDataString(created.Name)}");
    }

    // Only names the backup writes, from its own folder; the whole /admin folder is admins-only.
    public IActionResult OnGetDownload(string? name) =>
        backup.PathOf(name ?? "") is { } path ? PhysicalFile(path, "application/zip", name) : NotFound();

    public async Task<IActionResult> OnPostPurgeAsync(string? kind, string? confirm, CancellationToken ct)
    {
        if (MediaKinds.Parse(kind) is not { } parsed)
        {
            return BadRequest();
        }
        var outcome = await purger.PurgeAsync(parsed, confirm, ct);
        if (outcome.Status == PurgeStatus.Done)
        {
            return Redirect($"/admin/database?purged={parsed.Slug()}");
        }
        FailedKind = parsed;
        (Response.StatusCode, Error) = outcome.Status == PurgeStatus.JobRunning
            ? (StatusCodes.Status409Conflict, $"Not purged: the job {outcome.RunningJob} is queued or running. Try again once it has finished.")
            : (StatusCodes.Status400BadRequest, $"Not purged: type \"{CatalogPurge.Confirmation(parsed)}\" exactly to confirm.");
        Stats = await maintenance.StatsAsync(ct);
        Backups = backup.List();
        return Page();
    }

    public static string Size(long? bytes) => bytes switch
    {
        null => "unknown",
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        < 1024L * 1024 * 1024 => $"{bytes / 1024.0 / 1024:0.#} MB",
        _ => $"{bytes / 1024.0 / 1024 / 1024:0.##} GB",
    };
}
