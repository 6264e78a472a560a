using Aperture.Settings;

namespace Aperture.MediaServers;

public sealed record MediaServerConfig(
    string Type,
    string? BaseUrl,
    SettingSource BaseUrlSource,
    bool HasApiKey,
    SettingSource ApiKeySource,
    ServerFacts? Detected,
    string? PublicUrl = null)
{
    public bool IsConfigured => !string.IsNullOrEmpty(BaseUrl) && HasApiKey;

    // Where "Open in Jellyfin/Emby" links point: the public address when one is set (a reverse proxy, a domain),
    // else the address Aperture itself uses.
    public string? LinkBaseUrl => PublicUrl ?? BaseUrl;
}

// What an admin submits; null fields are left as they are. The key is write-only and can be
// replaced but not cleared: without it Aperture cannot talk to the server at all.
public sealed record MediaServerConfigInput(string? Type, string? BaseUrl, string? ApiKey, string? PublicUrl = null);

public sealed record ConnectionTestResult(bool Ok, ServerFacts? Facts, MediaServerErrorKind? ErrorKind, string? Error)
{
    public static ConnectionTestResult Failed(MediaServerException e) => new(false, null, e.Kind, e.Message);
}

public sealed class MediaServerSettings(SettingsStore store, MediaServerClientFactory factory, SetupState setup)
{
    public static readonly string[] Types = ["auto", "jellyfin", "emby"];

    private static readonly SettingKey[] Keys =
    [
        SettingKeys.MediaServerType, SettingKeys.MediaServerBaseUrl, SettingKeys.MediaServerApiKey, SettingKeys.MediaServerProduct,
        SettingKeys.MediaServerName, SettingKeys.MediaServerId, SettingKeys.MediaServerVersion, SettingKeys.MediaServerPublicUrl,
    ];

    public async Task<MediaServerConfig> GetAsync(CancellationToken ct)
    {
        var values = await store.GetManyAsync(Keys, ct);
        var url = values[SettingKeys.MediaServerBaseUrl];
        var key = values[SettingKeys.MediaServerApiKey];
        ServerFacts? detected = null;
        if (Enum.TryParse<MediaServerType>(values[SettingKeys.MediaServerProduct].Value, ignoreCase: true, out var detectedType))
        {
            detected = new ServerFacts(detectedType,
                values[SettingKeys.MediaServerName].Value ?? "",
                values[SettingKeys.MediaServerId].Value ?? "",
                values[SettingKeys.MediaServerVersion].Value ?? "",
                detectedType == MediaServerType.Jellyfin ? "Jellyfin Server" : "Emby Server");
        }
        var typeValue = values[SettingKeys.MediaServerType].Value?.ToLowerInvariant() is { } t && Types.Contains(t) ? t : "auto";
        var publicUrl = values[SettingKeys.MediaServerPublicUrl].Value is { Length: > 0 } p ? NormalizeUrl(p) : null;
        return new MediaServerConfig(typeValue, url.Value?.TrimEnd('/'), url.Source, key.HasValue, key.Source, detected, publicUrl);
    }

    // The connection the jobs and login use; null until an admin has set the server up.
    public async Task<MediaServerConnection?> GetConnectionAsync(CancellationToken ct)
    {
        var config = await GetAsync(ct);
        if (!config.IsConfigured)
        {
            return null;
        }
        var key = (await store.GetAsync(SettingKeys.MediaServerApiKey, ct)).Value;
        var url = new Uri(config.BaseUrl!);
        var type = ParseType(config.Type) ?? config.Detected?.Type;
        if (type is null)
        {
            // Configured from the environment and never detected: find out once and remember.
            var facts = await factory.DetectAsync(url, null, key, ct);
            await StoreFactsAsync(facts, ct);
            await store.SaveAsync(ct);
            type = facts.Type;
        }
        return new MediaServerConnection(type.Value, url, key);
    }

    public async Task<MediaServerClient> GetClientAsync(CancellationToken ct) =>
        factory.Create(await GetConnectionAsync(ct)
            ?? throw new MediaServerException(MediaServerErrorKind.NotConfigured, "No media server is configured yet: an admin sets it up under Admin › Settings."));

    public static Dictionary<string, string> Validate(MediaServerConfigInput input, bool requireComplete, MediaServerConfig current)
    {
        var errors = new Dictionary<string, string>();
        if (input.Type is not null && !Types.Contains(input.Type.ToLowerInvariant()))
        {
            errors["type"] = "Type must be auto, jellyfin or emby.";
        }
        if (input.BaseUrl is not null || requireComplete)
        {
            if (string.IsNullOrWhiteSpace(input.BaseUrl ?? current.BaseUrl))
            {
                errors["baseUrl"] = "Enter the server's address, e.g. http://192.168.1.10:8096.";
            }
            else if (NormalizeUrl(input.BaseUrl ?? current.BaseUrl!) is null)
            {
                errors["baseUrl"] = "The address must be a full http:// or https:// URL without user name, query or fragment, e.g. http://192.168.1.10:8096.";
            }
        }
        if (!string.IsNullOrWhiteSpace(input.PublicUrl) && NormalizeUrl(input.PublicUrl) is null)
        {
            errors["publicUrl"] = "The public address must be a full http:// or https:// URL without user name, query or fragment, e.g. https://jellyfin.example.org.";
        }
        if (input.ApiKey is not null && (input.ApiKey.Trim().Length is < 8 or > 256 || input.ApiKey.Trim().Any(char.IsWhiteSpace)))
        {
            errors["apiKey"] = "The API key looks wrong: create one in the server's dashboard (API Keys) and paste it whole.";
        }
        if (requireComplete && string.IsNullOrWhiteSpace(input.ApiKey) && !current.HasApiKey)
        {
            errors["apiKey"] = "Enter an API key from the server's dashboard (API Keys).";
        }
        return errors;
    }

    public static string? NormalizeUrl(string text) => SettingUrls.Normalize(text);

    // Tests what the admin typed (falling back to the stored key when none was typed).
    public async Task<ConnectionTestResult> TestAsync(MediaServerConfigInput input, CancellationToken ct)
    {
        var current = await GetAsync(ct);
        var url = NormalizeUrl(input.BaseUrl ?? current.BaseUrl ?? "");
        if (url is null)
        {
            return new ConnectionTestResult(false, null, null, "Enter a full http:// or https:// address first.");
        }
        var key = !string.IsNullOrWhiteSpace(input.ApiKey) ? input.ApiKey.Trim()
            : (await store.GetAsync(SettingKeys.MediaServerApiKey, ct)).Value;
        if (key is null)
        {
            return new ConnectionTestResult(false, null, MediaServerErrorKind.Unauthorized, "Enter an API key to test with.");
        }
        try
        {
            var facts = await factory.DetectAsync(new Uri(url), ParseType(input.Type ?? current.Type), key, ct);
            return new ConnectionTestResult(true, facts, null, null);
        }
        catch (MediaServerException e)
        {
            return e.Kind == MediaServerErrorKind.Unauthorized
                ? new ConnectionTestResult(false, null, e.Kind, "The server rejected the API key (401): create one under Dashboard › API Keys and paste it whole.")
                : ConnectionTestResult.Failed(e);
        }
    }

    // Applies a validated input. Facts from a successful test are remembered for display and dialect choice.
    public async Task SaveAsync(MediaServerConfigInput input, ServerFacts? facts, CancellationToken ct)
    {
        if (input.Type is not null)
        {
            await store.SetAsync(SettingKeys.MediaServerType, input.Type.ToLowerInvariant(), ct);
        }
        if (input.BaseUrl is not null)
        {
            await store.SetAsync(SettingKeys.MediaServerBaseUrl, NormalizeUrl(input.BaseUrl), ct);
        }
        if (input.PublicUrl is not null)
        {
            // Empty clears it: links go back to the server address.
            await store.SetAsync(SettingKeys.MediaServerPublicUrl, string.IsNullOrWhiteSpace(input.PublicUrl) ? null : NormalizeUrl(input.PublicUrl), ct);
        }
        if (!string.IsNullOrWhiteSpace(input.ApiKey))
        {
            await store.SetAsync(SettingKeys.MediaServerApiKey, input.ApiKey.Trim(), ct);
        }
        if (facts is not null)
        {
            await StoreFactsAsync(facts, ct);
        }
        await store.SaveAsync(ct);
        setup.Invalidate();
    }

    private async Task StoreFactsAsync(ServerFacts facts, CancellationToken ct)
    {
        await store.SetAsync(SettingKeys.MediaServerProduct, facts.Type.ToString(), ct);
        await store.SetAsync(SettingKeys.MediaServerName, facts.ServerName, ct);
        await store.SetAsync(SettingKeys.MediaServerId, facts.ServerId, ct);
        await store.SetAsync(SettingKeys.MediaServerVersion, facts.Version, ct);
    }

    private static MediaServerType? ParseType(string? type) => type?.ToLowerInvariant() switch
    {
        "jellyfin" => MediaServerType.Jellyfin,
        "emby" => MediaServerType.Emby,
        _ => null,
    };
}
