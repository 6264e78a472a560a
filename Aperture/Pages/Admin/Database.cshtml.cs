using Aperture.Browse;
using Aperture.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Aperture.Catalog;

namespace Aperture.Pages.Admin;

// Admin › Database: what is stored, how big it is, backups (database + key ring), a restore staged for the next start, and
// purging one kind's synced data.
// The restore upload's multipart limit; its body limit (admins only) is BodyLimits.RestoreUpload, every other post here keeps the form one.
[RequestFormLimits(MultipartBodyLengthLimit = Aperture.Web.BodyLimits.RestoreUpload)]
public sealed class DatabaseModel(DatabaseMaintenance maintenance, CatalogPurge purger, DatabaseBackup backup, AppPaths paths, DatabaseTarget target) : PageModel
{
    public DatabaseStats Stats { get; private set; } = null!;
    public MediaKind? Purged { get; private set; }
    public IReadOnlyList<BackupFile> Backups { get; private set; } = [];
    public bool BackupIncludesDatabase => backup.IncludesDatabase;
    public string BackupsDirectory => backup.Directory;
    public string? CreatedBackup { get; private set; }
    public DateTimeOffset? PendingRestore { get; private set; }
    public bool RestoreStaged { get; private set; }
    public bool RestoreCancelled { get; private set; }
    public string? RestoreError { get; private set; }

    // The kind whose form failed, with why; the other form is left alone.
    public MediaKind? FailedKind { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(string? purged, string? backedUp, string? restore, CancellationToken ct)
    {
        Purged = MediaKinds.Parse(purged);
        CreatedBackup = DatabaseBackup.IsBackupName(backedUp) ? backedUp : null;
        RestoreStaged = restore == "staged";
        RestoreCancelled = restore == "cancelled";
        await LoadAsync(ct);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Stats = await maintenance.StatsAsync(ct);
        Backups = backup.List();
        PendingRestore = BackupRestore.Pending(paths);
    }

    // The upload is checked and kept for the next start: a restore under a running instance would be overwritten by it (or
    // corrupt what it has open). A file that fails a check is a 400 saying why, and the install and any staged restore stay.
    public async Task<IActionResult> OnPostRestoreAsync(IFormFile? archive, CancellationToken ct)
    {
        string? error;
        if (archive is null || archive.Length == 0)
        {
            error = "Choose a backup zip (aperture-backup-….zip) to restore.";
        }
        else
        {
            try
            {
                await using var upload = archive.OpenReadStream();
                await BackupRestore.StageAsync(upload, Path.GetFileName(archive.FileName), paths, target, ct);
                return Redirect("/admin/database?restore=staged#restore");
            }
            catch (RestoreException e)
            {
                error = e.Message;
            }
        }
        (Response.StatusCode, RestoreError) = (StatusCodes.Status400BadRequest, $"Not staged: {error} Nothing was changed.");
        await LoadAsync(ct);
        return Page();
    }

    public IActionResult OnPostCancelRestore() =>
        Redirect(BackupRestore.CancelPending(paths) ? "/admin/database?restore=cancelled#restore" : "/admin/database#restore");

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
        await LoadAsync(ct);
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
