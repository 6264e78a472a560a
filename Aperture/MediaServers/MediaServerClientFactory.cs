using System.Net.Http.Json;
using System.Text.Json;

namespace Aperture.MediaServers;

public sealed class MediaServerHttpOptions
{
    public const string Section = "MediaServer";

    // One attempt; the sync jobs retry transient failures, "Test connection" does not make people wait for retries.
    public int TimeoutSeconds { get; set; } = 15;
    public int Retries { get; set; } = 2;
}

public sealed class MediaServerClientFactory(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "media-server";
    public const string ProbeClientName = "media-server-probe";

    public MediaServerClient Create(MediaServerConnection connection) =>
        new(httpClients.CreateClient(HttpClientName), connection);

    // Finds out what answers at the URL: Jellyfin, Emby, or something else. A forced type skips the guess
    // but still requires a media server's public info to be there.
    public async Task<ServerFacts> DetectAsync(Uri baseUrl, MediaServerType? forced, string? apiKey, CancellationToken ct)
    {
        var http = httpClients.CreateClient(ProbeClientName);
        var root = MediaServerConnection.EnsureSlash(baseUrl);
        var info = await TryPublicInfoAsync(http, new Uri(root, "System/Info/Public"), baseUrl, apiKey, ct)
            ?? await TryPublicInfoAsync(http, new Uri(root, "emby/System/Info/Public"), baseUrl, apiKey, ct)
            ?? throw new MediaServerException(MediaServerErrorKind.NotAMediaServer,
                $"{baseUrl} answered, but not like a Jellyfin or Emby server (no /System/Info/Public).");

        var type = forced ?? Guess(info)
            ?? throw new MediaServerException(MediaServerErrorKind.NotAMediaServer,
                $"{baseUrl} answered /System/Info/Public but says it is neither Jellyfin nor Emby (product '{info.ProductName}', version '{info.Version}').");

        if (string.IsNullOrEmpty(apiKey))
        {
            return MediaServerClient.ToFacts(type, info);
        }
        // The authenticated call proves the API key; the public one cannot.
        var client = new MediaServerClient(http, new MediaServerConnection(type, baseUrl, apiKey));
        return await client.GetServerFactsAsync(ct);
    }

    internal static MediaServerType? Guess(PublicSystemInfoDto info)
    {
        if (info.ProductName?.Contains("Jellyfin", StringComparison.OrdinalIgnoreCase) == true)
        {
            return MediaServerType.Jellyfin;
        }
        if (info.ProductName?.Contains("Emby", StringComparison.OrdinalIgnoreCase) == true)
        {
            return MediaServerType.Emby;
        }
        // Emby's public info carries no ProductName; its versions are 4.x (Jellyfin's are 10.x and up).
        if (string.IsNullOrEmpty(info.ProductName) && !string.IsNullOrEmpty(info.Id)
            && Version.TryParse(info.Version, out var v) && v.Major is >= 3 and < 10)
        {
            return MediaServerType.Emby;
        }
        return null;
    }

    // The type is not known yet, so the key goes in a form each server reads: Jellyfin's own Authorization scheme (the only
    // one 12.0 accepts; Emby reads it too) and Emby's X-Emby-Token. Jellyfin serves this route to anyone; Emby 4.8 documents
    // it as needing an authenticated caller, and a proxy in front of either may insist on it. Without a key the probe still
    // says which client it is.
    private static async Task<PublicSystemInfoDto?> TryPublicInfoAsync(HttpClient http, Uri url, Uri baseUrl, string? apiKey, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        var fields = $"Client=\"{Uri.EscapeDataString(ClientIdentity.Client)}\", Device=\"{Uri.EscapeDataString(ClientIdentity.Device)}\", "
            + $"DeviceId=\"aperture-server\", Version=\"{Uri.EscapeDataString(ClientIdentity.Version)}\"";
        if (string.IsNullOrEmpty(apiKey))
        {
            request.Headers.TryAddWithoutValidation("Authorization", "MediaBrowser " + fields);
        }
        else
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"MediaBrowser {fields}, Token=\"{Uri.EscapeDataString(apiKey)}\"");
            request.Headers.TryAddWithoutValidation("X-Emby-Token", apiKey);
        }
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception e) when (!MediaServerClient.CancelledBy(e, ct) && MediaServerClient.Classify(e, baseUrl) is { } error)
        {
            throw error;
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }
            try
            {
                var info = await response.Content.ReadFromJsonAsync<PublicSystemInfoDto>(MediaServerClient.Json, ct);
                return info is { Version: { Length: > 0 } } ? info : null;
            }
            catch (Exception e) when (e is JsonException or NotSupportedException)
            {
                return null;
            }
        }
    }
}
