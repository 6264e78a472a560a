using Aperture.Data;
using Aperture.MediaServers;
using Aperture.Outputs;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aperture.Pages.Admin;

// Admin › Outputs: where each user's picks library lives, when it was written, how many titles, and a check that
// reads the server back to prove nobody sees another user's picks.
public sealed class OutputsModel(AppDbContext db, IOptions<OutputOptions> options, PathMapper paths, OutputSyncService outputs,
    LibraryAccessService access, MediaServerSettings servers) : PageModel
{
    public sealed record Row(string UserName, OutputLibraryRecord Library);

    public IReadOnlyList<Row> Libraries { get; private set; } = [];
    public OutputOptions Options => options.Value;
    public PathCheck? Example { get; private set; }
    public string? ExampleTitle { get; private set; }
    public LibraryAccessCheck? Check { get; private set; }
    public string? CheckError { get; private set; }
    public IReadOnlyList<string> Converted { get; private set; } = [];
    public MediaServerType? ServerType { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    private async Task LoadAsync(CancellationToken ct)
    {
        var users = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        Libraries = [.. (await db.OutputLibraries.AsNoTracking().ToListAsync(ct))
            .Select(l => new Row(users.GetValueOrDefault(l.UserId) ?? l.UserId, l))
            .OrderBy(r => r.UserName, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Library.Kind)];
        // One real title's path, mapped the way the writer will map it: the admin sees at once whether the mounts line up.
        var sample = await db.Titles.AsNoTracking().Where(t => t.Path != null).OrderBy(t => t.Id).Select(t => new { t.Name, t.Path }).FirstOrDefaultAsync(ct);
        if (sample is not null)
        {
            ExampleTitle = sample.Name;
            Example = paths.CheckExample(sample.Path!);
        }
        var state = await access.LoadStateAsync(ct);
        Converted = [.. state.ConvertedUsers.Keys.Select(id => users.GetValueOrDefault(id) ?? id).Order(StringComparer.OrdinalIgnoreCase)];
        ServerType = (await servers.GetAsync(ct)).Detected?.Type;
    }

    public async Task<IActionResult> OnPostCheckAsync(CancellationToken ct)
    {
        try
        {
            Check = await access.CheckAsync(await outputs.PicksLibrariesAsync(ct), ct);
        }
        catch (MediaServerException e)
        {
            CheckError = $"The media server could not be read: {e.Message}";
        }
        if (Request.IsHtmx())
        {
            Response.Htmx(h => h.WithVary());
            return Partial("_AccessCheck", this);
        }
        await LoadAsync(ct);
        return Page();
    }
}
