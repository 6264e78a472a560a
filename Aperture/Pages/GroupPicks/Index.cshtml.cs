using Aperture.Auth;
using Aperture.Channels;
using Aperture.Data;
using Aperture.GroupPicks;
using Aperture.MediaServers;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.GroupPicks;

// The movie-night form as posted: checked users and genres come as repeated fields.
public sealed record MovieNightForm(List<string>? Users, string? Kind, List<string>? Genres, int? MaxMinutes, int? YearFrom, int? YearTo, int? Count,
    bool ByMost = false, string? Name = null)
{
    public GroupChannelInput ToInput(bool playlist = false) => new()
    {
        UserIds = Users ?? [],
        Kind = Kind,
        Genres = Genres ?? [],
        MaxMinutes = MaxMinutes,
        YearFrom = YearFrom,
        YearTo = YearTo,
        Count = Count,
        UnwatchedByMost = ByMost,
        Name = Name,
        Playlist = playlist,
    };
}

// Movie night: choose people, get one list for all of them with a fit bar per person; save it as a channel or send it as a playlist.
public sealed class IndexModel(GroupPicksService groups, ChannelService channels) : PageModel
{
    public List<GroupMember> Choosable { get; private set; } = [];
    public List<MediaKind> Kinds { get; private set; } = [];
    public IReadOnlyList<string> Genres { get; private set; } = [];
    public bool AllowMe { get; private set; }
    public MovieNightForm Form { get; private set; } = new([], "movies", [], null, null, null, GroupPicksService.DefaultCount);
    public GroupPicksResult? Result { get; private set; }
    public Dictionary<string, string> Errors { get; private set; } = [];
    public string? Error { get; private set; }
    public string? Notice { get; private set; }

    public string NameOf(string userId) => Choosable.Find(u => u.Id == userId)?.Name ?? userId;

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Form = Form with { Users = [User.UserId()], Kind = Kinds.Count > 0 ? Kinds[0].Slug() : "movies" };
    }

    // The list, as the #movie-night-results fragment (or the whole page without htmx).
    public async Task<IActionResult> OnPostPicksAsync(MovieNightForm form, CancellationToken ct)
    {
        Form = form;
        await LoadAsync(ct);
        try
        {
            Result = await groups.PicksAsync(User, form.ToInput(), ct);
        }
        catch (Exception e) when (Refusal(e))
        {
        }
        return Respond();
    }

    public async Task<IActionResult> OnPostSaveAsync(MovieNightForm form, bool playlist, CancellationToken ct)
    {
        Form = form;
        await LoadAsync(ct);
        try
        {
            var channel = await groups.SaveAsync(User, form.ToInput(playlist), ct);
            if (Request.IsHtmx())
            {
                Response.Htmx(h => h.Redirect($"/channels/{channel.Id}"));
                return new NoContentResult();
            }
            return Redirect($"/channels/{channel.Id}");
        }
        catch (Exception e) when (Refusal(e))
        {
        }
        return Respond();
    }

    public async Task<IActionResult> OnPostConsentAsync(bool allow, CancellationToken ct)
    {
        await groups.SetAllowAsync(User.UserId(), allow, ct);
        AllowMe = allow;
        if (Request.IsHtmx())
        {
            Response.Htmx(h => h.WithVary());
            return Partial("_Consent", this);
        }
        return Redirect("/movie-night");
    }

    private IActionResult Respond()
    {
        if (Request.IsHtmx())
        {
            Response.Htmx(h => h.WithVary());
            return Partial("_Results", this);
        }
        return Page();
    }

    // What the service refuses becomes messages on the page; anything else is a real failure.
    private bool Refusal(Exception e)
    {
        switch (e)
        {
            case GroupPicksValidationException v:
                Errors = v.Errors.ToDictionary();
                Error = "Check the marked fields.";
                return true;
            case GroupPicksException g:
                Error = g.Message;
                Response.StatusCode = g.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status200OK;
                return true;
            case MediaServerException m:
                Error = $"The list is saved as a channel, but the media server refused the playlist: {m.Message} Sync it again from the channel.";
                return true;
            default:
                return false;
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Choosable = await groups.ChoosableAsync(User, ct);
        Kinds = await groups.KindsAsync(ct);
        AllowMe = await groups.AllowsAsync(User.UserId(), ct);
        var kind = MediaKinds.Parse(Form.Kind) ?? (Kinds.Count > 0 ? Kinds[0] : MediaKind.Movie);
        Genres = await channels.GenresAsync(kind == MediaKind.Movie ? ChannelKind.Movies : ChannelKind.Series, ct);
    }
}
