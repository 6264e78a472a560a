using Aperture.Auth;
using Aperture.MediaServers;
using Aperture.Settings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aperture.Api;

public static class SettingsApi
{
    // Public facts every signed-in page needs (deep links, labels); never the URL's secrets or the key.
    public sealed record MediaServerInfo(bool Configured, string? Type, string? ServerName, string? ServerId, string? Version, string? BaseUrl);

    public sealed record MediaServerConfigResponse(string Type, string? BaseUrl, string BaseUrlSource, bool ApiKeySet,
        string ApiKeySource, MediaServerInfo Detected, string? PublicUrl, ConnectionTestResponse? Test = null);

    public sealed record ConnectionTestResponse(bool Ok, string? ServerName, string? Product, string? Version, string? ServerId,
        string? Type, string? ErrorKind, string? Error)
    {
        public static ConnectionTestResponse From(ConnectionTestResult r) => new(r.Ok, r.Facts?.ServerName, r.Facts?.Product,
            r.Facts?.Version, r.Facts?.ServerId, r.Facts?.Type.ToString().ToLowerInvariant(), r.ErrorKind?.ToString(), r.Error);
    }

    public sealed record MediaServerConfigPatch(string? Type, string? BaseUrl, string? ApiKey, string? PublicUrl);

    public static void MapSettingsApi(this RouteGroupBuilder api)
    {
        var settings = api.MapGroup("/settings/media-server");
        settings.MapGet("", GetInfoAsync);

        var admin = settings.MapGroup("").RequireAuthorization(ClaimsPrincipalExtensions.AdminPolicy);
        admin.MapGet("/config", GetConfigAsync);
        admin.MapPatch("/config", PatchConfigAsync);
        admin.MapPost("/test", TestAsync);
    }

    public static async Task<Ok<MediaServerInfo>> GetInfoAsync(MediaServerSettings media, CancellationToken ct) =>
        TypedResults.Ok(Info(await media.GetAsync(ct)));

    public static async Task<Ok<MediaServerConfigResponse>> GetConfigAsync(MediaServerSettings media, CancellationToken ct) =>
        TypedResults.Ok(Config(await media.GetAsync(ct)));

    public static async Task<Results<Ok<MediaServerConfigResponse>, ProblemHttpResult>> PatchConfigAsync(HttpRequest request,
        MediaServerSettings media, CancellationToken ct)
    {
        var (patch, error) = await ApiJson.ReadAsync<MediaServerConfigPatch>(request, ct);
        if (error is not null)
        {
            return error;
        }
        var input = new MediaServerConfigInput(patch!.Type, patch.BaseUrl, patch.ApiKey, patch.PublicUrl);
        var errors = MediaServerSettings.Validate(input, requireComplete: false, await media.GetAsync(ct));
        if (errors.Count > 0)
        {
            return ApiJson.Invalid(errors);
        }
        // Saved even if the server is down right now; the answer says whether it answered.
        var test = await media.TestAsync(input, ct);
        await media.SaveAsync(input, test.Ok ? test.Facts : null, ct);
        return TypedResults.Ok(Config(await media.GetAsync(ct)) with { Test = ConnectionTestResponse.From(test) });
    }

    // Without a body: the saved settings. With one: those values over the saved ones, without saving.
    public static async Task<Results<Ok<ConnectionTestResponse>, ProblemHttpResult>> TestAsync(HttpRequest request,
        MediaServerSettings media, CancellationToken ct)
    {
        var input = new MediaServerConfigInput(null, null, null);
        if (ApiJson.HasBody(request))
        {
            var (patch, error) = await ApiJson.ReadAsync<MediaServerConfigPatch>(request, ct);
            if (error is not null)
            {
                return error;
            }
            input = new MediaServerConfigInput(patch!.Type, patch.BaseUrl, patch.ApiKey);
            var errors = MediaServerSettings.Validate(input, requireComplete: false, await media.GetAsync(ct));
            if (errors.Count > 0)
            {
                return ApiJson.Invalid(errors);
            }
        }
        return TypedResults.Ok(ConnectionTestResponse.From(await media.TestAsync(input, ct)));
    }

    private static MediaServerInfo Info(MediaServerConfig c) => new(c.IsConfigured,
        (c.Detected?.Type.ToString() ?? (c.Type == "auto" ? null : c.Type))?.ToLowerInvariant(),
        c.Detected?.ServerName, c.Detected?.ServerId, c.Detected?.Version, c.BaseUrl);

    private static MediaServerConfigResponse Config(MediaServerConfig c) => new(c.Type, c.BaseUrl, Source(c.BaseUrlSource),
        c.HasApiKey, Source(c.ApiKeySource), Info(c), c.PublicUrl);

    private static string Source(SettingSource s) => s.ToString().ToLowerInvariant();
}
