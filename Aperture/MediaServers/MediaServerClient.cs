using System.Net;
using System.Net.Http.Json;
using System.Security.Authentication;
using System.Text.Json;
using Polly.Timeout;

namespace Aperture.MediaServers;

// One hand-written client for both servers; the dialect decides paths and auth headers.
public sealed partial class MediaServerClient(HttpClient http, MediaServerConnection connection)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = true,
        PropertyNamingPolicy = null,
    };

    public MediaServerConnection Connection => connection;

    public async Task<ServerFacts> GetServerFactsAsync(CancellationToken ct)
    {
        var info = await SendAsync<PublicSystemInfoDto>(HttpMethod.Get, "System/Info", null, connection.ApiKey, null, ct)
            ?? throw new MediaServerException(MediaServerErrorKind.NotAMediaServer, "The server's /System/Info answer was empty.");
        return ToFacts(connection.Type, info);
    }

    public async Task<AuthenticationResultDto> AuthenticateByNameAsync(string username, string password, CancellationToken ct)
    {
        var result = await SendAsync<AuthenticationResultDto>(HttpMethod.Post, "Users/AuthenticateByName",
            new { Username = username, Pw = password }, token: null, deviceId: DeviceIdFor(username), ct);
        if (result?.User is null || string.IsNullOrEmpty(result.User.Id))
        {
            throw new MediaServerException(MediaServerErrorKind.BadResponse, "The server's login answer had no user.");
        }
        return result;
    }

    public Task<IReadOnlyList<UserDto>> GetUsersAsync(CancellationToken ct) => ListUsersAsync<UserDto>(ct);

    private async Task<IReadOnlyList<T>> ListUsersAsync<T>(CancellationToken ct)
    {
        if (connection.Type == MediaServerType.Emby)
        {
            // Emby 4.7.5+ pages users under /Users/Query.
            var users = new List<T>();
            while (true)
            {
                var page = await SendAsync<QueryResultDto<T>>(HttpMethod.Get, $"Users/Query?StartIndex={users.Count}&Limit=200", null, connection.ApiKey, null, ct);
                var items = page?.Items ?? [];
                users.AddRange(items);
                if (items.Count == 0 || users.Count >= (page?.TotalRecordCount ?? 0))
                {
                    return users;
                }
            }
        }
        return await SendAsync<List<T>>(HttpMethod.Get, "Users", null, connection.ApiKey, null, ct) ?? [];
    }

    internal static ServerFacts ToFacts(MediaServerType type, PublicSystemInfoDto info) => new(
        type,
        info.ServerName ?? "(unnamed)",
        info.Id ?? "",
        info.Version ?? "",
        info.ProductName ?? (type == MediaServerType.Emby ? "Emby Server" : "Jellyfin Server"));

    // Stable per user and server, so a new login replaces Aperture's previous session for that
    // user instead of piling up devices in the server's dashboard.
    private string DeviceIdFor(string username) =>
        "aperture-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(connection.BaseUrl.AbsoluteUri + "\n" + username.ToUpperInvariant())))[..24];

    internal Task<T?> SendAsync<T>(HttpMethod method, string relativePath, object? body, string? token, string? deviceId, CancellationToken ct) =>
        SendAsync<T>(method, relativePath, body, token, deviceId, null, ct);

    // asUserId: Emby only, the user the API key acts for (UserId in its authorization header).
    private async Task<T?> SendAsync<T>(HttpMethod method, string relativePath, object? body, string? token, string? deviceId, string? asUserId,
        CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(connection.ApiRoot, relativePath));
        AddAuthorization(request, token, deviceId ?? "aperture-server", asUserId);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && Classify(e, connection.BaseUrl) is { } error)
        {
            throw error;
        }

        using (response)
        {
            await EnsureSuccessAsync(response, relativePath, ct);
            if (response.StatusCode == HttpStatusCode.NoContent || typeof(T) == typeof(object))
            {
                return default;
            }
            try
            {
                return await response.Content.ReadFromJsonAsync<T>(Json, ct);
            }
            catch (JsonException e)
            {
                throw new MediaServerException(MediaServerErrorKind.BadResponse,
                    $"The media server sent malformed JSON for {relativePath}: {e.Message}", e);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && Classify(e, connection.BaseUrl) is { } error)
            {
                throw error;
            }
        }
    }

    private void AddAuthorization(HttpRequestMessage request, string? token, string deviceId, string? asUserId)
    {
        var fields = $"Client=\"{Q(ClientIdentity.Client)}\", Device=\"{Q(ClientIdentity.Device)}\", DeviceId=\"{Q(deviceId)}\", Version=\"{Q(ClientIdentity.Version)}\"";
        if (connection.Type == MediaServerType.Jellyfin)
        {
            // Jellyfin 12 turns the legacy X-Emby-* headers off by default: use its own scheme.
            var value = token is null ? fields : $"{fields}, Token=\"{Q(token)}\"";
            request.Headers.TryAddWithoutValidation("Authorization", "MediaBrowser " + value);
        }
        else
        {
            var user = asUserId is null ? "" : $"UserId=\"{Q(asUserId)}\", ";
            request.Headers.TryAddWithoutValidation("X-Emby-Authorization", "Emby " + user + fields);
            if (token is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Emby-Token", token);
            }
        }

        static string Q(string value) => Uri.EscapeDataString(value);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string path, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var status = (int)response.StatusCode;
        var detail = await ReadSnippetAsync(response, ct);
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new MediaServerException(MediaServerErrorKind.Unauthorized, "The media server rejected the credentials (401).", statusCode: status),
            HttpStatusCode.Forbidden => new MediaServerException(MediaServerErrorKind.Forbidden, "The media server refused access (403): the API key or user lacks the rights for this.", statusCode: status),
            HttpStatusCode.NotFound => new MediaServerException(MediaServerErrorKind.NotFound, $"The media server has no {path} (404).", statusCode: status),
            _ => new MediaServerException(MediaServerErrorKind.ServerError, $"The media server answered HTTP {status} for {path}{detail}.", statusCode: status),
        };
    }

    private static async Task<string> ReadSnippetAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = (await response.Content.ReadAsStringAsync(ct)).Trim();
            return text.Length == 0 ? "" : ": " + (text.Length > 200 ? text[..200] + "…" : text);
        }
        catch (HttpRequestException)
        {
            return "";
        }
    }

    // Turns transport failures into the reasons an admin can act on.
    internal static MediaServerException? Classify(Exception e, Uri baseUrl) => e switch
    {
        MediaServerException m => m,
        TimeoutRejectedException or TaskCanceledException or TimeoutException =>
            new MediaServerException(MediaServerErrorKind.Timeout, $"The media server at {baseUrl.Authority} did not answer in time (timeout).", e),
        HttpRequestException { InnerException: AuthenticationException } or HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } =>
            new MediaServerException(MediaServerErrorKind.Tls, $"The TLS handshake with {baseUrl.Authority} failed ({Innermost(e).Message}); check the certificate or use http://.", e),
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } =>
            new MediaServerException(MediaServerErrorKind.Unreachable, $"The host name {baseUrl.Host} cannot be resolved: the media server is unreachable.", e),
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } =>
            new MediaServerException(MediaServerErrorKind.Unreachable, $"Cannot connect to {baseUrl.Authority} ({Innermost(e).Message}): the media server is unreachable.", e),
        HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded } =>
            new MediaServerException(MediaServerErrorKind.NotAMediaServer, $"{baseUrl.Authority} did not answer like an HTTP media server ({Innermost(e).Message}).", e),
        HttpRequestException =>
            new MediaServerException(MediaServerErrorKind.Unreachable, $"The media server at {baseUrl.Authority} is unreachable ({Innermost(e).Message}).", e),
        _ => null,
    };

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
