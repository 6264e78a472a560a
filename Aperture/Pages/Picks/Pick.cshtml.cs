using Aperture.Auth;
using Aperture.Browse;
using Aperture.Data;
using Aperture.Feedback;
using Aperture.Pages.Feedback;
using Aperture.MediaServers;
using Aperture.Recommendations;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.Picks;

// One pick: why it is there (insight bars, matched genres, the watched titles that led to it, the explanation).
public sealed class PickModel(PickQueries picks, MediaServerSettings servers, FeedbackService feedback, ILogger<PickModel> logger) : PageModel
{
    public MediaKind Kind { get; private set; }
    public PickInsights Pick { get; private set; } = null!;
    public bool OwnPicks { get; private set; }
    public FeedbackBar? Bar { get; private set; }

    public async Task<IActionResult> OnGetAsync(string kind, long id, string? user, CancellationToken ct)
    {
        if (MediaKinds.Parse(kind) is not { } parsed)
        {
            return NotFound();
        }
        var userId = string.IsNullOrEmpty(user) ? User.UserId() : user;
        if (!User.MayAccessUser(userId))
        {
            return Forbid();
        }
        if (await picks.InsightsAsync(userId, parsed, id, ct) is not { } pick)
        {
            return NotFound();
        }
        Kind = parsed;
        Pick = pick;
        OwnPicks = string.Equals(userId, User.UserId(), StringComparison.OrdinalIgnoreCase);
        if (OwnPicks)
        {
            Bar = (await Feedback.IndexModel.BarsAsync(feedback, userId, Kind, [id], _ => null, ct))[id];
        }
        return Page();
    }

    public string Query => OwnPicks ? "" : $"?user={Uri.EscapeDataString(Pick.UserId)}";

    public IReadOnlyList<SessionDto> Sessions { get; private set; } = [];
    public string? PlayMessage { get; private set; }
    public string? PlayError { get; private set; }

    // "Play on…": the signed-in user's own running clients that accept remote control (loaded by htmx).
    public async Task<IActionResult> OnGetSessionsAsync(string kind, long id, string? user, CancellationToken ct)
    {
        var found = await OnGetAsync(kind, id, user, ct);
        if (found is not PageResult)
        {
            return found;
        }
        await LoadSessionsAsync(ct);
        return Partial("_PlayOn", this);
    }

    public async Task<IActionResult> OnPostPlayAsync(string kind, long id, string? user, string sessionId, CancellationToken ct)
    {
        var found = await OnGetAsync(kind, id, user, ct);
        if (found is not PageResult)
        {
            return found;
        }
        await LoadSessionsAsync(ct);
        // Only a session of the signed-in user: a user cannot start playback on someone else's TV.
        var session = Sessions.FirstOrDefault(s => s.Id == sessionId);
        if (session is null)
        {
            PlayError = "That device is no longer connected, or is not yours.";
        }
        else
        {
            try
            {
                var client = await servers.GetClientAsync(ct);
                await client.PlayOnSessionAsync(session.Id, [Pick.ServerItemId], null, ct);
                PlayMessage = $"Playing {Pick.Name} on {session.DeviceName ?? session.Client}.";
            }
            catch (MediaServerException e)
            {
                logger.LogWarning("Play on {Session} failed: {Error}", session.Id, e.Message);
                PlayError = $"The media server did not start playback: {e.Message}";
            }
        }
        if (Request.IsHtmx())
        {
            Response.Htmx(h => h.WithVary());
            return Partial("_PlayOn", this);
        }
        return Page();
    }

    private async Task LoadSessionsAsync(CancellationToken ct)
    {
        try
        {
            var client = await servers.GetClientAsync(ct);
            var me = User.UserId();
            Sessions = [.. (await client.GetSessionsAsync(me, ct))
                .Where(s => s.SupportsRemoteControl && string.Equals(s.UserId, me, StringComparison.OrdinalIgnoreCase))];
        }
        catch (MediaServerException e)
        {
            PlayError = $"Your devices could not be read from the media server: {e.Message}";
        }
    }
}
