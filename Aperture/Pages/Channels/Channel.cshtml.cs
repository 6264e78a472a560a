using Aperture.Auth;
using Aperture.Browse;
using Aperture.Channels;
using Aperture.Data;
using Aperture.Feedback;
using Aperture.MediaServers;
using Aperture.Pages.Feedback;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Aperture.Wording;

namespace Aperture.Pages.Channels;

// One channel: its titles with posters and why each is there; for the owner, generate, sync, share, edit and delete.
public sealed class ChannelModel(ChannelService channels, FeedbackService feedback) : PageModel
{
    public ChannelDetail Detail { get; private set; } = null!;
    // The viewer's own feedback bar under each entry; a 👎 takes the entry off the page at once.
    public Dictionary<long, FeedbackBar> Bars { get; private set; } = [];
    public List<ChannelUser> Users { get; private set; } = [];
    public string? Error { get; private set; }
    public string? Notice { get; private set; }
    public Dictionary<string, string> Errors { get; private set; } = [];
    public ChannelForm? Form { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) =>
        await LoadAsync(id, ChannelAccess.Read, ct) is { } channel ? await PageAsync(channel, ct) : NotFound();

    public Task<IActionResult> OnPostGenerateAsync(long id, CancellationToken ct) => ActAsync(id, async channel =>
    {
        var result = await channels.GenerateAsync(channel, ct);
        return $"Generated {Plural.Count(result.Entries, "title")}.";
    }, ct);

    public Task<IActionResult> OnPostSyncAsync(long id, CancellationToken ct) => ActAsync(id, async channel =>
    {
        await channels.SyncAsync(channel, ct);
        return $"Synced to the media server as {channel.Playlists.Count} private playlist{(channel.Playlists.Count == 1 ? "" : "s")}.";
    }, ct);

    public Task<IActionResult> OnPostShareAsync(long id, List<string>? users, CancellationToken ct) => ActAsync(id, async channel =>
    {
        var errors = await channels.UpdateAsync(channel, new ChannelInput(SharedWith: users ?? []), ct);
        return errors.Count > 0 ? throw new ChannelGenerationException(errors.Keys.First(), errors.Values.First()) : "Sharing saved.";
    }, ct);

    public async Task<IActionResult> OnPostEditAsync(long id, ChannelForm form, CancellationToken ct)
    {
        if (await LoadAsync(id, ChannelAccess.Edit, ct) is not { } channel)
        {
            return await DeniedAsync(id, ct);
        }
        try
        {
            var errors = await channels.UpdateAsync(channel, form.ToInput(), ct);
            if (errors.Count == 0)
            {
                return Redirect($"/channels/{id}");
            }
            Errors = errors;
            Form = form;
            // The tracked channel holds nothing unsaved (ApplyAsync changes nothing on errors); show it as stored.
        }
        catch (MediaServerException e)
        {
            Error = "The media server refused the playlist change: " + e.Message;
            channel = await LoadAsync(id, ChannelAccess.Edit, ct, fresh: true) ?? channel;
        }
        return await PageAsync(channel, ct);
    }

    public async Task<IActionResult> OnPostDeleteAsync(long id, CancellationToken ct)
    {
        if (await LoadAsync(id, ChannelAccess.Edit, ct) is not { } channel)
        {
            return await DeniedAsync(id, ct);
        }
        try
        {
            await channels.DeleteAsync(channel, ct);
            return Redirect("/channels");
        }
        catch (MediaServerException e)
        {
            Error = "The channel was kept: the media server refused to delete its playlists: " + e.Message;
            return await PageAsync(channel, ct);
        }
    }

    // Generate, sync and share answer htmx with the channel's body (#channel-body), a full page otherwise.
    private async Task<IActionResult> ActAsync(long id, Func<Channel, Task<string>> act, CancellationToken ct)
    {
        if (await LoadAsync(id, ChannelAccess.Edit, ct) is not { } channel)
        {
            return await DeniedAsync(id, ct);
        }
        try
        {
            Notice = await act(channel);
        }
        catch (ChannelGenerationException e)
        {
            Error = e.Message;
            channel = await LoadAsync(id, ChannelAccess.Edit, ct, fresh: true) ?? channel;
        }
        catch (MediaServerException e)
        {
            Error = "The media server refused the playlist change: " + e.Message;
            channel = await LoadAsync(id, ChannelAccess.Edit, ct, fresh: true) ?? channel;
        }
        await ShowAsync(channel, ct);
        if (Request.IsHtmx())
        {
            Response.Htmx(h => h.WithVary());
            return Partial("_ChannelBody", this);
        }
        return await PageAsync(channel, ct);
    }

    private async Task<Channel?> LoadAsync(long id, ChannelAccess needed, CancellationToken ct, bool fresh = false)
    {
        var channel = fresh ? await channels.ReloadAsync(id, ct) : await channels.FindAsync(id, ct);
        return channel is not null && ChannelService.AccessOf(channel, User) >= needed ? channel : null;
    }

    // A channel shared read-only is a 403; one the user may not see at all does not exist for them.
    private async Task<IActionResult> DeniedAsync(long id, CancellationToken ct) =>
        await LoadAsync(id, ChannelAccess.Read, ct) is null ? NotFound() : Forbid();

    private async Task<IActionResult> PageAsync(Channel channel, CancellationToken ct)
    {
        await ShowAsync(channel, ct);
        if (Detail.CanEdit)
        {
            Users = await channels.OtherUsersAsync(channel.OwnerId, ct);
        }
        return Page();
    }

    private async Task ShowAsync(Channel channel, CancellationToken ct)
    {
        Detail = await channels.DetailAsync(channel, User, ct);
        Bars = [];
        foreach (var group in Detail.Entries.GroupBy(e => e.Kind == MediaKind.Movie.Word() ? MediaKind.Movie : MediaKind.Series))
        {
            foreach (var (id, bar) in await Feedback.IndexModel.BarsAsync(feedback, User.UserId(), group.Key, group.Select(e => e.TitleId), id => $"entry-{id}", ct))
            {
                Bars[id] = bar;
            }
        }
    }
}
