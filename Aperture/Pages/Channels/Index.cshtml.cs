using Aperture.Auth;
using Aperture.Channels;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Aperture.Data;

namespace Aperture.Pages.Channels;

// The create/edit form as posted; genres come as comma-separated text.
public sealed record ChannelForm(string? Name, string? Kind, string? Preference, List<long>? Examples, string? IncludeGenres, string? ExcludeGenres,
    int? Size, bool ExcludeWatched = false, bool UseTaste = false)
{
    public ChannelInput ToInput(List<string>? sharedWith = null) => new(Name ?? "", Kind, Split(IncludeGenres), Split(ExcludeGenres), Preference ?? "",
        Examples ?? [], Size, ExcludeWatched, UseTaste, sharedWith);

    private static List<string> Split(string? genres) =>
        (genres ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}

// My Channels: the user's own channels, those shared with them, and a form to make one.
public sealed class IndexModel(ChannelService channels) : PageModel
{
    public List<ChannelSummary> Own { get; private set; } = [];
    public List<ChannelSummary> Shared { get; private set; } = [];
    public Dictionary<string, string> Errors { get; private set; } = [];
    public ChannelForm Form { get; private set; } = new(null, "movies", null, [], null, null, 20, ExcludeWatched: true);
    public List<ChannelExample> Examples { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => (Own, Shared) = await channels.ListAsync(User, ct);

    public async Task<IActionResult> OnPostCreateAsync(ChannelForm form, CancellationToken ct)
    {
        var (channel, errors) = await channels.CreateAsync(User.UserId(), form.ToInput(), ct);
        if (channel is not null)
        {
            return Redirect($"/channels/{channel.Id}");
        }
        Errors = errors;
        Form = form;
        Examples = await channels.TitlesAsync(form.Examples ?? [], ct);
        (Own, Shared) = await channels.ListAsync(User, ct);
        return Page();
    }

    // Search-as-you-type for example titles.
    public async Task<IActionResult> OnGetSearchAsync(string? q, string? kind, CancellationToken ct)
    {
        var results = await channels.SearchTitlesAsync(q, ChannelService.ParseKind(kind) ?? ChannelKind.Both, 8, ct);
        Response.Htmx(h => h.WithVary());
        return Partial("_SearchResults", results);
    }

    // One picked example, as a chip carrying its id for the form.
    public async Task<IActionResult> OnGetExampleAsync(long id, CancellationToken ct)
    {
        var found = await channels.TitlesAsync([id], ct);
        return found.Count == 0 ? NotFound() : Partial("_ExampleChip", found[0]);
    }
}
