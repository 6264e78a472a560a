using Aperture.Data;
using Aperture.MediaServers;
using Aperture.Outputs;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Aperture.Wording;

namespace Aperture.Pages.Admin;

// Admin › Outputs: where the picks libraries are written and how the media server and Aperture see the same files
// (edited here, checked live against one real title before saving), each user's library with its last write, and a
// check that reads the server back to prove nobody sees another user's picks.
public sealed class OutputsModel(AppDbContext db, OutputSettings settings, OutputSyncService outputs,
    LibraryAccessService access, MediaServerSettings servers) : PageModel
{
    public sealed record Row(string UserName, OutputLibraryRecord Library);

    public sealed class PathsForm
    {
        public string? StrmRoot { get; set; }
        public string? ServerRoot { get; set; }
        public string? LibraryRoot { get; set; }
        public OutputMode MovieMode { get; set; }
        public OutputMode SeriesMode { get; set; }
    }

    [BindProperty] public PathsForm Form { get; set; } = new();

    public IReadOnlyList<Row> Libraries { get; private set; } = [];
    public OutputOptions Options { get; private set; } = new();
    public OutputSettingsView View { get; private set; } = null!;
    public PathCheck? Example { get; private set; }
    public string? ExampleTitle { get; private set; }
    public MappingSuggestion? Suggestion { get; private set; }
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();
    public OutputCheck? PathsCheck { get; private set; }
    public bool Saved { get; private set; }
    public LibraryAccessCheck? Check { get; private set; }
    public string? CheckError { get; private set; }
    public IReadOnlyList<string> Converted { get; private set; } = [];
    public MediaServerType? ServerType { get; private set; }

    public async Task OnGetAsync(bool saved, CancellationToken ct)
    {
        Saved = saved;
        await LoadAsync(ct);
        FillForm();
    }

    // "Check these paths": the typed values, checked without saving. A suggested mapping comes back as useSuggestion.
    public async Task<IActionResult> OnPostPathsAsync(string? useSuggestion, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(useSuggestion))
        {
            Form.LibraryRoot = useSuggestion;
        }
        var (candidate, errors) = await settings.PreviewAsync(Input(), ct);
        PathsCheck = errors.Count > 0 ? new OutputCheck(false, errors, null, null, null) : await settings.CheckAsync(candidate, ct);
        Errors = PathsCheck.Errors;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (candidate, errors) = await settings.PreviewAsync(Input(), ct);
        // Checked live first: a mapping that finds no media or a root Aperture cannot write is not saved.
        PathsCheck = errors.Count > 0 ? new OutputCheck(false, errors, null, null, null) : await settings.CheckAsync(candidate, ct);
        if (!PathsCheck.Ok)
        {
            Errors = PathsCheck.Errors;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(ct);
            return Page();
        }
        await settings.SaveAsync(Input(), ct);
        return Redirect("/admin/outputs?saved=true");
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
        FillForm();
        return Page();
    }

    private OutputSettingsInput Input() => new(Form.StrmRoot ?? "", Form.ServerRoot ?? "", Form.LibraryRoot ?? "", Form.MovieMode, Form.SeriesMode);

    private void FillForm() => Form = new PathsForm
    {
        StrmRoot = Options.StrmRoot,
        ServerRoot = Options.LibraryPathPrefix,
        LibraryRoot = Options.LibraryRoot,
        MovieMode = Options.ModeFor(MediaKind.Movie),
        SeriesMode = Options.ModeFor(MediaKind.Series),
    };

    private async Task LoadAsync(CancellationToken ct)
    {
        Options = await settings.GetAsync(ct);
        View = await settings.ViewAsync(ct);
        var users = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        Libraries = [.. (await db.OutputLibraries.AsNoTracking().ToListAsync(ct))
            .Select(l => new Row(users.GetValueOrDefault(l.UserId) ?? l.UserId, l))
            .OrderBy(r => r.UserName, NaturalOrder.Instance).ThenBy(r => r.Library.Kind)];
        // One real title's path, mapped the way the writer will map it: the admin sees at once whether the mounts line up.
        if (await settings.SampleAsync(Options, ct) is { } sample)
        {
            ExampleTitle = sample.Name;
            Example = new PathMapper(Options).CheckExample(sample.Path);
            Suggestion = PathsCheck?.Suggestion;
        }
        var state = await access.LoadStateAsync(ct);
        Converted = [.. state.ConvertedUsers.Keys.Select(id => users.GetValueOrDefault(id) ?? id).Order(StringComparer.OrdinalIgnoreCase)];
        ServerType = (await servers.GetAsync(ct)).Detected?.Type;
    }
}
