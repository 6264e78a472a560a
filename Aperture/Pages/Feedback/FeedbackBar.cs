using System.Text.Json;
using System.Text.RegularExpressions;

namespace Aperture.Pages.Feedback;

// The 👍 / 👎 / "not interested" / rating bar under a pick, a channel entry or on a title page, always the signed-in user's own.
// RemoveId: the list item a 👎 takes away at once (pick-123, entry-123); none on a page about the title itself.
public sealed partial record FeedbackBar(string Kind, long TitleId, string? Reaction, string? Reason, int? Rating, string? RemoveId, string? Message = null)
{
    public string Id => $"feedback-{TitleId}";

    public string Vals(string? reaction = null, string? reason = null) => JsonSerializer.Serialize(new Dictionary<string, string?>
    {
        ["kind"] = Kind,
        ["titleId"] = TitleId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["reaction"] = reaction,
        ["reason"] = reason,
        ["removeId"] = RemoveId,
    }.Where(kv => kv.Value is not null).ToDictionary());

    // A 👎 in a list replaces the list item; elsewhere it re-renders the bar.
    public string RemoveTarget => RemoveId is null ? $"#{Id}" : $"#{RemoveId}";

    // Only ids this page family makes: a posted value never becomes arbitrary markup or a selector.
    public static string? SafeRemoveId(string? value) => value is not null && RemoveIdPattern().IsMatch(value) ? value : null;

    [GeneratedRegex("^(pick|entry)-[0-9]{1,19}$")]
    private static partial Regex RemoveIdPattern();
}
