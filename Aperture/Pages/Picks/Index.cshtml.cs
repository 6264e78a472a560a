using Aperture.Auth;
using Aperture.Browse;
using Aperture.Data;
using Aperture.Feedback;
using Aperture.Pages.Feedback;
using Aperture.Recommendations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.Picks;

// My Picks: the signed-in user's ranked picks per kind; an admin may open anyone's with ?user=.
public sealed class IndexModel(PickQueries picks, Catalog.LibraryService libraries, FeedbackService feedback) : PageModel
{
    public MediaKind Kind { get; private set; }
    public PickList List { get; private set; } = null!;
    public bool OwnPicks { get; private set; }
    public IReadOnlyList<MediaKind> Kinds { get; private set; } = [];
    // The user's own feedback bars (none on an admin's view of someone else's picks: feedback is the user's voice).
    public Dictionary<long, FeedbackBar> Bars { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? kind, string? user, CancellationToken ct)
    {
        Kinds = await libraries.KindsAsync(ct);
        if (MediaKinds.Parse(kind ?? Kinds[0].Slug()) is not { } parsed)
        {
            return NotFound();
        }
        if (!Kinds.Contains(parsed))
        {
            // A kind the server has no library of: its picks page would only say there is nothing.
            return Redirect($"/picks/{Kinds[0].Slug()}{(string.IsNullOrEmpty(user) ? "" : $"?user={Uri.EscapeDataString(user)}")}");
        }
        var userId = string.IsNullOrEmpty(user) ? User.UserId() : user;
        if (!User.MayAccessUser(userId))
        {
            return Forbid();
        }
        if (await picks.ListAsync(userId, parsed, ct) is not { } list)
        {
            return NotFound();
        }
        Kind = parsed;
        List = list;
        OwnPicks = string.Equals(userId, User.UserId(), StringComparison.OrdinalIgnoreCase);
        if (OwnPicks)
        {
            Bars = await Feedback.IndexModel.BarsAsync(feedback, userId, parsed, list.Picks.Select(p => p.TitleId), id => $"pick-{id}", ct);
        }
        GridKey = Key(userId, parsed, list, Bars, Query);
        return Page();
    }

    // The grid's HTML is kept (the <cache> tag helper, per instance) under everything it shows: whose list, the signed-in
    // user's view of it, and a hash of the picks and feedback bars as read just now. A new run, a 👍 or a catalogue change
    // (a new name or poster) gives a new key; the user's id stays in the key as itself, so no other user's grid can match.
    public string GridKey { get; private set; } = "";

    private static string Key(string userId, MediaKind kind, PickList list, Dictionary<long, FeedbackBar> bars, string query)
    {
        var text = new System.Text.StringBuilder();
        foreach (var p in list.Picks)
        {
            text.Append(p.TitleId).Append('|').Append(p.Rank).Append('|').Append(p.MatchPercent).Append('|').Append(p.Name).Append('|')
                .Append(p.Year).Append('|').Append(p.Poster?.Tag).Append('|').AppendJoin(',', p.MatchedGenres).Append('|')
                .Append(bars.GetValueOrDefault(p.TitleId)).Append('\n');
        }
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())));
        return $"{userId}|{kind}|{query}|{bars.Count > 0}|{hash}";
    }

    public string Query => OwnPicks ? "" : $"?user={Uri.EscapeDataString(List.UserId)}";
}
