using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Aperture.Tests.Contracts;

// A request as a fake received it.
public sealed record ContractCall(ContractServer Server, string Method, string Path, string QueryString, string Body, bool HasToken = true);

public enum ViolationKind { UnknownRoute, MissingToken, MethodNotAllowed, UnknownQueryParameter, MissingRequiredParameter, BadValue, UnexpectedBody, MissingBody, UnknownBodyField, MissingBodyField, UnreadResponseProperty }

public sealed record ContractViolation(ContractServer Server, ViolationKind Kind, string Where, string Detail)
{
    public override string ToString() => $"[{Server}] {Kind} {Where}: {Detail}";
}

// Checks recorded requests against a server's contract and lists every violation, not the first.
public static class ContractChecker
{
    public static IReadOnlyList<ContractViolation> Check(IEnumerable<ContractCall> calls)
    {
        var found = new List<ContractViolation>();
        foreach (var call in calls)
        {
            found.AddRange(Check(ServerContract.Load(call.Server), call));
        }
        return found;
    }

    // Many calls repeat a violation (every page of a sync): one line per distinct violation, with how often it occurred.
    public static string Report(IEnumerable<ContractViolation> violations) =>
        string.Join('\n', violations.GroupBy(v => v).OrderBy(g => g.Key.Server).ThenBy(g => g.Key.Where, StringComparer.Ordinal)
            .Select(g => g.Count() == 1 ? g.Key.ToString() : $"{g.Key} (x{g.Count()})"));

    public static IReadOnlyList<ContractViolation> Check(ServerContract contract, ContractCall call)
    {
        var violations = new List<ContractViolation>();
        var path = call.Path;
        if (contract.IsEmby && (path.Equals("/emby", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/emby/", StringComparison.OrdinalIgnoreCase)))
        {
            path = path[5..];
        }
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var matches = contract.Endpoints.Where(e => Matches(e, segments)).ToList();
        var where = $"{call.Method} {call.Path}";
        if (matches.Count == 0)
        {
            violations.Add(new(contract.Server, ViolationKind.UnknownRoute, where, $"{contract.File} has no route {path}"));
            return violations;
        }
        var endpoint = matches.Where(e => e.Method.Equals(call.Method, StringComparison.OrdinalIgnoreCase))
            // A literal segment wins over a parameter, as in both servers' routers (/Users/Query before /Users/{Id}).
            .OrderByDescending(e => e.LiteralSegments).FirstOrDefault();
        if (endpoint is null)
        {
            violations.Add(new(contract.Server, ViolationKind.MethodNotAllowed, where,
                $"{matches[0].Path} takes only {string.Join(", ", matches.Select(m => m.Method).Distinct())}"));
            return violations;
        }
        where = $"{call.Method} {endpoint.Path}";
        if (endpoint.NeedsToken && !call.HasToken)
        {
            violations.Add(new(contract.Server, ViolationKind.MissingToken, where, "the server requires an authenticated caller; no token was sent"));
        }

        // Route values have types too (Jellyfin's {itemId} is a Guid: an Emby-style numeric id is a 404 there).
        for (var i = 0; i < endpoint.Segments.Count; i++)
        {
            if (endpoint.Segments[i].StartsWith('{') && endpoint.Segments[i].EndsWith('}'))
            {
                var name = endpoint.Segments[i].Trim('{', '}');
                var param = endpoint.Params.FirstOrDefault(p => p.Source == "route" && p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
                if (param is not null)
                {
                    CheckValue(contract, param, param.Name, Uri.UnescapeDataString(segments[i]), where, violations);
                }
            }
        }

        var query = QueryHelpers.ParseQuery(call.QueryString);
        foreach (var (name, values) in query)
        {
            var param = endpoint.Params.FirstOrDefault(p => p.Source == "query" && p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (param is null)
            {
                if (!contract.AuthQueryNames.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    violations.Add(new(contract.Server, ViolationKind.UnknownQueryParameter, where, $"'{name}' is not a parameter of {endpoint.Path}"));
                }
                continue;
            }
            var (isArray, _) = TypeShape.Parse(param.Type);
            if (!isArray && values.Count > 1)
            {
                violations.Add(new(contract.Server, ViolationKind.BadValue, where, $"'{name}' takes one value, got {values.Count}"));
            }
            foreach (var value in values)
            {
                // Jellyfin's [ModelBinder(CommaDelimitedArrayModelBinder)] and Emby's Array<> split one value on commas;
                // a plain array parameter takes one element per occurrence. Emby's enum lists are typed "string" but comma lists too.
                var embyEnum = contract.EnumOfEmbyQuery(name);
                var elements = (isArray && param.CommaList) || embyEnum is not null ? value!.Split(',') : [value!];
                foreach (var element in elements)
                {
                    CheckValue(contract, param, name, element, where, violations, embyEnum);
                }
            }
        }
        foreach (var required in endpoint.Params.Where(p => p.Source == "query" && p.Required))
        {
            if (!query.Keys.Contains(required.Name, StringComparer.OrdinalIgnoreCase))
            {
                violations.Add(new(contract.Server, ViolationKind.MissingRequiredParameter, where, $"required query parameter '{required.Name}' is missing"));
            }
        }

        var hasBody = !string.IsNullOrWhiteSpace(call.Body);
        if (endpoint.BodyType is null)
        {
            if (hasBody)
            {
                violations.Add(new(contract.Server, ViolationKind.UnexpectedBody, where, "sends a body that this endpoint does not read"));
            }
        }
        else if (!hasBody)
        {
            if (endpoint.BodyRequired)
            {
                violations.Add(new(contract.Server, ViolationKind.MissingBody, where, $"requires a {endpoint.BodyType} body"));
            }
        }
        else
        {
            try
            {
                using var doc = JsonDocument.Parse(call.Body);
                CheckJson(contract, endpoint.BodyType, doc.RootElement, "body", where, violations);
            }
            catch (JsonException e)
            {
                violations.Add(new(contract.Server, ViolationKind.BadValue, where, $"the body is not JSON: {e.Message}"));
            }
        }
        return violations;
    }

    private static bool Matches(ContractEndpoint endpoint, string[] segments) =>
        endpoint.Segments.Count == segments.Length
        && endpoint.Segments.Select((s, i) => SegmentMatches(s, segments[i])).All(ok => ok);

    // "{itemId}" takes any segment; "stream.{Container}" is a literal with a parameter inside.
    private static bool SegmentMatches(string template, string segment)
    {
        if (template.StartsWith('{') && template.EndsWith('}') && template.IndexOf('}', StringComparison.Ordinal) == template.Length - 1)
        {
            return segment.Length > 0;
        }
        if (!template.Contains('{', StringComparison.Ordinal))
        {
            return template.Equals(segment, StringComparison.OrdinalIgnoreCase);
        }
        var pattern = "^" + System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Escape(template), @"\\\{[^}]*}", "[^/]+") + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(segment, pattern, System.Text.RegularExpressions.RegexOptions.IgnoreCase);
    }

    private static void CheckValue(ServerContract contract, ContractParam param, string sentName, string value, string where, List<ContractViolation> violations, string? enumOverride = null)
    {
        var (_, element) = TypeShape.Parse(param.Type);
        if (enumOverride is not null)
        {
            element = enumOverride;
        }
        if (ScalarProblem(contract, element, value) is { } problem)
        {
            violations.Add(new(contract.Server, ViolationKind.BadValue, where, $"'{sentName}={value}': {problem}"));
        }
    }

    // Null when the text is a valid value of the type; unknown types (server-side classes) are not checked.
    private static string? ScalarProblem(ServerContract contract, string type, string value)
    {
        var ok = type.ToUpperInvariant() switch
        {
            "BOOL" or "BOOLEAN" => bool.TryParse(value, out _),
            "INT" or "LONG" or "INTEGER" or "SHORT" or "BYTE" => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            "DOUBLE" or "FLOAT" or "NUMBER" or "DECIMAL" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            "GUID" => Guid.TryParse(value, out _),
            "DATETIME" or "DATETIMEOFFSET" => DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            _ => !contract.Enums.TryGetValue(type, out var members) || members.Contains(value.Trim()),
        };
        return ok ? null : contract.Enums.ContainsKey(type) ? $"not a member of {type}" : $"not a {type}";
    }

    private static void CheckJson(ServerContract contract, string type, JsonElement value, string at, string where, List<ContractViolation> violations)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }
        var (isArray, element) = TypeShape.Parse(type);
        if (isArray)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                violations.Add(new(contract.Server, ViolationKind.BadValue, where, $"{at} should be an array of {element}, got {value.ValueKind}"));
                return;
            }
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                CheckJson(contract, element, item, $"{at}[{i++}]", where, violations);
            }
            return;
        }
        if (contract.Schemas.TryGetValue(element, out var fields))
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                violations.Add(new(contract.Server, ViolationKind.BadValue, where, $"{at} should be a {element} object, got {value.ValueKind}"));
                return;
            }
            foreach (var property in value.EnumerateObject())
            {
                if (!fields.TryGetValue(property.Name, out var field))
                {
                    violations.Add(new(contract.Server, ViolationKind.UnknownBodyField, where, $"{at}.{property.Name} is not a field of {element}"));
                    continue;
                }
                CheckJson(contract, field.Type, property.Value, $"{at}.{property.Name}", where, violations);
            }
            foreach (var required in fields.Values.Where(f => f.Required))
            {
                if (!value.EnumerateObject().Any(p => p.Name.Equals(required.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    violations.Add(new(contract.Server, ViolationKind.MissingBodyField, where, $"{at}.{required.Name} is required in {element}"));
                }
            }
            return;
        }
        var kindOk = element.ToUpperInvariant() switch
        {
            "BOOL" or "BOOLEAN" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "INT" or "LONG" or "INTEGER" or "SHORT" or "BYTE" or "DOUBLE" or "FLOAT" or "NUMBER" or "DECIMAL" => value.ValueKind == JsonValueKind.Number,
            "STRING" => value.ValueKind == JsonValueKind.String,
            "GUID" => value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out _),
            "DATETIME" or "DATETIMEOFFSET" => value.ValueKind == JsonValueKind.String,
            _ => !contract.Enums.ContainsKey(element) || value.ValueKind is JsonValueKind.String or JsonValueKind.Number,
        };
        if (!kindOk)
        {
            violations.Add(new(contract.Server, ViolationKind.BadValue, where, $"{at} should be a {element}, got {value.ValueKind}"));
        }
        else if (value.ValueKind == JsonValueKind.String && contract.Enums.TryGetValue(element, out var members) && !members.Contains(value.GetString()!))
        {
            violations.Add(new(contract.Server, ViolationKind.BadValue, where, $"{at}='{value.GetString()}' is not a member of {element}"));
        }
    }
}

// The contract files spell types in C# (Jellyfin's own source: "Guid[]", "IReadOnlyList<Guid>", "int?") and in
// TypeScript/OpenAPI ("Array<MediaPathInfo>", "string | null"); this reads both as (is it a list, element type).
internal static class TypeShape
{
    private static readonly string[] ListTypes = ["Array", "IReadOnlyList", "IReadOnlyCollection", "IList", "List", "IEnumerable", "ICollection"];

    public static (bool IsArray, string Element) Parse(string type)
    {
        var t = type.Replace("| null", "", StringComparison.Ordinal).Trim().TrimEnd('?').Trim();
        if (t.EndsWith("[]", StringComparison.Ordinal))
        {
            return (true, Parse(t[..^2]).Element);
        }
        var open = t.IndexOf('<', StringComparison.Ordinal);
        if (open > 0 && t.EndsWith('>'))
        {
            var outer = t[..open];
            if (ListTypes.Contains(outer))
            {
                return (true, Parse(t[(open + 1)..^1]).Element);
            }
            // Dictionaries and other generics are not checked inside.
            return (false, "object");
        }
        return (false, t);
    }
}
