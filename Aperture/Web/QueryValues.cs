namespace Aperture.Web;

// Reads query-string values for pages and the API alike; every bad value adds an error naming the
// parameter (the API answers 400 with them, pages show them next to the form).
public static class QueryValues
{
    // Null when absent or blank; a repeated parameter is an error rather than a silent pick.
    public static string? Text(IQueryCollection query, string name, Dictionary<string, string> errors, int maxLength = 200)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return null;
        }
        if (values.Count > 1)
        {
            errors[name] = $"Give {name} once, not {values.Count} times.";
            return null;
        }
        var text = values.ToString().Trim();
        if (text.Length > maxLength)
        {
            errors[name] = $"{name} may be at most {maxLength} characters long.";
            return null;
        }
        return text.Length == 0 ? null : text;
    }

    public static int? Int(IQueryCollection query, string name, int min, int max, string hint, Dictionary<string, string> errors)
    {
        var text = Text(query, name, errors);
        if (text is null)
        {
            return null;
        }
        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
            || value < min || value > max)
        {
            errors[name] = $"{name} must be {hint}, not '{Shorten(text)}'.";
            return null;
        }
        return value;
    }

    // One of the allowed words (case-insensitive), returned as written in the list.
    public static string? Choice(IQueryCollection query, string name, IReadOnlyList<string> allowed, Dictionary<string, string> errors)
    {
        var text = Text(query, name, errors);
        if (text is null)
        {
            return null;
        }
        var match = allowed.FirstOrDefault(a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            errors[name] = $"{name} must be one of {string.Join(", ", allowed)}, not '{Shorten(text)}'.";
        }
        return match;
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}

// page/pageSize as every paginated list here reads them.
public sealed record Paging(int Page, int PageSize)
{
    public const int MaxPageSize = 100;

    public int Skip => (Page - 1) * PageSize;

    public static Paging Parse(IQueryCollection query, int defaultPageSize, Dictionary<string, string> errors) => new(
        QueryValues.Int(query, "page", 1, 100_000, "a whole number of 1 or more", errors) ?? 1,
        QueryValues.Int(query, "pageSize", 1, MaxPageSize, $"a whole number from 1 to {MaxPageSize}", errors) ?? defaultPageSize);
}
