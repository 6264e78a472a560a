using System.Net;
using Aperture.Fakes.Wire;
using Microsoft.AspNetCore.Http;

namespace Aperture.Fakes.Api;

// What the request said about itself: the token and the client fields of a MediaBrowser/Emby authorization header.
internal sealed record AuthInfo(string? Token, IReadOnlyDictionary<string, string> Fields)
{
    public string? Field(string name) => Fields.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
}

internal static class FakeAuth
{
    // Only the sources the dialect accepts are read, so a 12.0-style Jellyfin ignores X-Emby-Token as if it were absent.
    public static AuthInfo Read(HttpRequest request, Dialect dialect, bool legacyDisabled)
    {
        bool Accepts(AuthSource s) => dialect.AcceptsAuthSource(s, legacyDisabled);

        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var authorization = request.Headers.Authorization.ToString();
        var scheme = authorization.Split(' ', 2)[0];
        if ((scheme.Equals("MediaBrowser", StringComparison.OrdinalIgnoreCase) && Accepts(AuthSource.AuthorizationMediaBrowser))
            || (scheme.Equals("Emby", StringComparison.OrdinalIgnoreCase) && Accepts(AuthSource.AuthorizationEmby)))
        {
            Merge(fields, authorization);
        }
        if (Accepts(AuthSource.XEmbyAuthorization))
        {
            Merge(fields, request.Headers["X-Emby-Authorization"].ToString());
        }

        var token = Header(fields, "Token");
        if (Accepts(AuthSource.XEmbyToken))
        {
            token ??= NonEmpty(request.Headers["X-Emby-Token"]) ?? NonEmpty(request.Headers["X-MediaBrowser-Token"]);
            foreach (var (header, field) in (ReadOnlySpan<(string, string)>)[("X-Emby-Client", "Client"), ("X-Emby-Device-Name", "Device"), ("X-Emby-Device-Id", "DeviceId"), ("X-Emby-Client-Version", "Version")])
            {
                if (NonEmpty(request.Headers[header]) is { } value)
                {
                    fields.TryAdd(field, value);
                }
            }
        }
        if (Accepts(AuthSource.QueryApiKey))
        {
            token ??= NonEmpty(request.Query["ApiKey"]);
        }
        if (Accepts(AuthSource.QueryApiKeyLegacy))
        {
            token ??= NonEmpty(request.Query["api_key"]);
        }
        return new AuthInfo(token, fields);
    }

    // MediaBrowser Client="Aperture", Device="x", DeviceId="y", Version="1", Token="t" with URL-encoded values;
    // an X-Emby-Authorization value may omit the scheme.
    private static void Merge(Dictionary<string, string> fields, string header)
    {
        if (header.Length == 0)
        {
            return;
        }
        var body = header;
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0 && !header[..space].Contains('=', StringComparison.Ordinal))
        {
            body = header[(space + 1)..];
        }
        foreach (var part in SplitOutsideQuotes(body))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }
            var key = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim().Trim('"');
            fields.TryAdd(key, WebUtility.UrlDecode(value));
        }
    }

    private static IEnumerable<string> SplitOutsideQuotes(string s)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '"')
            {
                quoted = !quoted;
            }
            else if (s[i] == ',' && !quoted)
            {
                yield return s[start..i];
                start = i + 1;
            }
        }
        yield return s[start..];
    }

    private static string? Header(Dictionary<string, string> fields, string name) => fields.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    private static string? NonEmpty(Microsoft.Extensions.Primitives.StringValues values) => values.ToString() is { Length: > 0 } s ? s : null;
}
