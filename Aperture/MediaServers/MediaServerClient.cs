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
        Converters = { new NoNulStringConverter() },
    };

    // Response bodies are read into buffers this client keeps for its next requests (see BodyBuffers).
    private readonly BodyBuffers buffers = new();

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

    // A GET whose answer arrives cut short (the body ends mid-JSON, or the connection drops before Content-Length is reached) is
    // asked again, a bounded number of times with a growing pause: a proxy or a busy server drops a response now and then, and
    // one lost page must not fail an hour-long sync. Invalid JSON that arrives whole is the server's answer and is not repeated.
    internal const int TruncatedAttempts = 3;
    internal static readonly TimeSpan TruncatedBackoff = TimeSpan.FromMilliseconds(250);

    // asUserId: Emby only, the user the API key acts for (UserId in its authorization header).
    private async Task<T?> SendAsync<T>(HttpMethod method, string relativePath, object? body, string? token, string? deviceId, string? asUserId,
        CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SendOnceAsync<T>(method, relativePath, body, token, deviceId, asUserId, ct);
            }
            catch (TruncatedResponseException) when (method == HttpMethod.Get && attempt < TruncatedAttempts)
            {
                await Task.Delay(TruncatedBackoff * (1 << (attempt - 1)), ct);
            }
            catch (TruncatedResponseException e)
            {
                var times = method == HttpMethod.Get ? $" {attempt} times in a row" : "";
                throw new MediaServerException(MediaServerErrorKind.BadResponse,
                    $"The media server's answer to {Describe(method, relativePath)} was cut short{times} ({e.Message}).", e);
            }
        }
    }

    // Every call to the server goes through here: its URL under the API root, the dialect's auth header, and a transport
    // failure turned into a MediaServerException. The caller reads (and disposes) the response; only headers have arrived.
    private async Task<HttpResponseMessage> SendRequestAsync(HttpMethod method, string relativePath, object? body, string? token, string? deviceId,
        string? asUserId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(connection.ApiRoot, relativePath));
        AddAuthorization(request, token, deviceId ?? "aperture-server", asUserId);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (Exception e) when (!CancelledBy(e, ct) && Classify(e, connection.BaseUrl) is { } error)
        {
            throw error;
        }
    }

    private async Task<T?> SendOnceAsync<T>(HttpMethod method, string relativePath, object? body, string? token, string? deviceId, string? asUserId,
        CancellationToken ct)
    {
        using (var response = await SendRequestAsync(method, relativePath, body, token, deviceId, asUserId, ct))
        {
            await EnsureSuccessAsync(response, relativePath, ct);
            if (response.StatusCode == HttpStatusCode.NoContent || typeof(T) == typeof(object))
            {
                return default;
            }
            // The body goes into a reused buffer: a catalogue page is about a megabyte, and a fresh array (plus the copies a
            // growing MemoryStream makes) for every page is large-object heap churn that costs the sync a full collection
            // every few pages.
            var received = new PooledBody(buffers);
            try
            {
                try
                {
                    await received.ReadAsync(response.Content, ct);
                }
                catch (Exception e) when (!ct.IsCancellationRequested && e is IOException or HttpRequestException)
                {
                    // The headers came, then the connection ended (or was reset) before the announced Content-Length or the chunked
                    // terminator: the answer was cut short in transit.
                    throw new TruncatedResponseException($"the connection ended before the whole body arrived: {Innermost(e).Message}", e);
                }
                catch (Exception e) when (!CancelledBy(e, ct) && Classify(e, connection.BaseUrl) is { } error)
                {
                    throw error;
                }
                var bytes = received.Span;
                if (!IsCompleteJson(bytes, out var syntaxError))
                {
                    throw new TruncatedResponseException(bytes.Length == 0
                        ? "an empty body"
                        : $"the JSON ends after {bytes.Length:N0} bytes, before its last value is closed");
                }
                try
                {
                    return syntaxError is null ? JsonSerializer.Deserialize<T>(bytes, Json) : throw syntaxError;
                }
                catch (JsonException e)
                {
                    throw new MediaServerException(MediaServerErrorKind.BadResponse,
                        $"The media server sent malformed JSON for {Describe(method, relativePath)}: {e.Message}", e);
                }
            }
            finally
            {
                received.Return();
            }
        }
    }

    // A response body read whole into a buffer from the client's set (sized from Content-Length when there is one, grown
    // into a larger one otherwise), given back once it has been parsed.
    private sealed class PooledBody(BodyBuffers buffers)
    {
        private byte[]? buffer;
        private int length;

        public ReadOnlySpan<byte> Span => buffer.AsSpan(0, length);

        public async Task ReadAsync(HttpContent content, CancellationToken ct)
        {
            var expected = content.Headers.ContentLength;
            buffer = buffers.Rent(expected is > 0 and < int.MaxValue - 1 ? (int)expected.Value + 1 : 16 * 1024);
            await using var stream = await content.ReadAsStreamAsync(ct);
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = buffers.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    buffers.Return(buffer);
                    buffer = larger;
                }
                var read = await stream.ReadAsync(buffer.AsMemory(length), ct);
                if (read == 0)
                {
                    return;
                }
                length += read;
            }
        }

        public void Return()
        {
            if (buffer is not null)
            {
                buffers.Return(buffer);
                buffer = null;
            }
        }
    }

    // The few body buffers one client reuses. A client serves one job or one request and goes with it, and so do its
    // buffers. ArrayPool.Shared kept them instead: a copy per thread and per core of every size a sync's pages had needed,
    // ~17 MB held for a minute after the sync, through the picks run that follows it (README › Benchmarks, "Memory").
    internal sealed class BodyBuffers
    {
        // The syncs read one page at a time; a few spares cover the sizes a job meets and callers that overlap.
        private const int Keep = 4;
        private readonly List<byte[]> spare = new(Keep);

        public byte[] Rent(int minimum)
        {
            lock (spare)
            {
                var best = -1;
                for (var i = 0; i < spare.Count; i++)
                {
                    if (spare[i].Length >= minimum && (best < 0 || spare[i].Length < spare[best].Length))
                    {
                        best = i;
                    }
                }
                if (best >= 0)
                {
                    var found = spare[best];
                    spare.RemoveAt(best);
                    return found;
                }
            }
            // Powers of two, so a page a little larger than the last still fits a kept buffer.
            return GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(minimum, 4096))));
        }

        public void Return(byte[] buffer)
        {
            lock (spare)
            {
                if (spare.Count < Keep)
                {
                    spare.Add(buffer);
                    return;
                }
                // Full: keep the larger ones, which are the costly ones to allocate.
                var smallest = 0;
                for (var i = 1; i < spare.Count; i++)
                {
                    if (spare[i].Length < spare[smallest].Length)
                    {
                        smallest = i;
                    }
                }
                if (spare[smallest].Length < buffer.Length)
                {
                    spare[smallest] = buffer;
                }
            }
        }

        public int Kept
        {
            get
            {
                lock (spare)
                {
                    return spare.Count;
                }
            }
        }
    }

    // Whether the bytes hold one whole JSON value. Read as a block that more data could follow, a body cut short ends the
    // reader quietly while a value is still open; a body that is complete but wrong throws, and that error is handed back.
    private static bool IsCompleteJson(ReadOnlySpan<byte> bytes, out JsonException? syntaxError)
    {
        syntaxError = null;
        var reader = new Utf8JsonReader(bytes, isFinalBlock: false, state: default);
        var sawToken = false;
        try
        {
            while (reader.Read())
            {
                sawToken = true;
            }
        }
        catch (JsonException e)
        {
            syntaxError = e;
            return true;
        }
        return sawToken && reader.CurrentDepth == 0 && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.PropertyName);
    }

    // "GET Items (StartIndex 16, user 5f3c…)": the page and the user a failed request was for, without the long field lists.
    internal static string Describe(HttpMethod method, string relativePath)
    {
        var question = relativePath.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? relativePath : relativePath[..question];
        var query = question < 0 ? "" : relativePath[(question + 1)..];
        var parts = new List<string>();
        string? user = null;
        if (path.StartsWith("Users/", StringComparison.OrdinalIgnoreCase) && path.Split('/') is [_, var id, ..] && id.Length > 0)
        {
            user = Uri.UnescapeDataString(id);
        }
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var (name, value) = eq < 0 ? (pair, "") : (pair[..eq], Uri.UnescapeDataString(pair[(eq + 1)..]));
            if (name.Equals("StartIndex", StringComparison.OrdinalIgnoreCase))
            {
                parts.Insert(0, $"StartIndex {value}");
            }
            else if (name.Equals("userId", StringComparison.OrdinalIgnoreCase))
            {
                user = value;
            }
        }
        if (user is not null)
        {
            parts.Add($"user {user}");
        }
        return $"{method.Method} {path}{(parts.Count > 0 ? $" ({string.Join(", ", parts)})" : "")}";
    }

    private sealed class TruncatedResponseException(string message, Exception? inner = null) : Exception(message, inner);

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

    // The caller gave up (its token, not a timeout of ours, ended the call): let its OperationCanceledException through.
    // Anything else is classified even if the caller's token fired meanwhile: a per-attempt timeout that expires at the
    // same moment as the caller's own deadline is still a timeout, not an unexplained TimeoutRejectedException.
    internal static bool CancelledBy(Exception e, CancellationToken ct) => ct.IsCancellationRequested && e is OperationCanceledException;

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
        HttpRequestException when Innermost(e) is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionReset } =>
            new MediaServerException(MediaServerErrorKind.Unreachable, $"The media server at {baseUrl.Authority} reset the connection without answering ({Innermost(e).Message}).", e),
        HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } =>
            new MediaServerException(MediaServerErrorKind.Unreachable, $"The media server at {baseUrl.Authority} closed the connection without answering ({Innermost(e).Message}).", e),
        HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse } =>
            new MediaServerException(MediaServerErrorKind.NotAMediaServer, $"{baseUrl.Authority} did not answer like an HTTP media server ({Innermost(e).Message}).", e),
        HttpRequestException =>
            new MediaServerException(MediaServerErrorKind.Unreachable, $"The media server at {baseUrl.Authority} is unreachable ({Innermost(e).Message}).", e),
        _ => null,
    };

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}

// Every string read from the server loses its NUL characters (names, overviews, paths, genres, people, user names…):
// PostgreSQL text cannot hold them (22021), SQLite would keep them and fold "u5\0" into file names, and no title or
// person is told apart by one. Strings Aperture sends are written unchanged.
internal sealed class NoNulStringConverter : System.Text.Json.Serialization.JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        // JSON carries a NUL only escaped (\u0000; a raw control character is invalid and the reader rejects it), so a string
        // without escapes needs no search.
        if (value is null || !reader.ValueIsEscaped)
        {
            return value;
        }
        return value.Contains('\0', StringComparison.Ordinal) ? value.Replace("\0", "", StringComparison.Ordinal) : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

