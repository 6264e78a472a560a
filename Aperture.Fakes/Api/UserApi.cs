using System.Text.Json;
using Aperture.Fakes.Wire;

namespace Aperture.Fakes.Api;

internal static class SystemApi
{
    public static Reply PublicInfo(FakeRequest q) => Reply.Object(w => Identity(w, q));

    public static Reply Info(FakeRequest q) => Reply.Object(w =>
    {
        Identity(w, q);
        w.WriteString("OperatingSystemDisplayName", "Linux");
        w.WriteBoolean("HasPendingRestart", false);
        w.WriteBoolean("IsShuttingDown", false);
        w.WriteBoolean("SupportsLibraryMonitor", true);
        w.WriteNumber("WebSocketPortNumber", new Uri(q.Server.BaseUrl).Port);
        w.WriteBoolean("CanSelfRestart", true);
        w.WriteBoolean("CanLaunchWebBrowser", false);
        w.WriteString("ProgramDataPath", "/config");
        w.WriteString("ItemsByNamePath", "/config/metadata");
        w.WriteString("CachePath", "/cache");
        w.WriteString("LogPath", "/config/log");
        w.WriteString("InternalMetadataPath", "/config/metadata");
        w.WriteString("TranscodingTempPath", "/cache/transcodes");
        w.WriteBoolean("HasUpdateAvailable", false);
    });

    public static Reply Ping(FakeRequest q) => Reply.Text(200, q.Dialect.Kind == FakeDialect.Jellyfin ? "Jellyfin Server" : "Emby Server");

    private static void Identity(Utf8JsonWriter w, FakeRequest q)
    {
        w.WriteString("LocalAddress", q.Server.BaseUrl);
        w.WriteString("ServerName", q.Server.ServerName);
        w.WriteString("Version", q.Server.Version);
        q.Dialect.WriteProductInfo(w);
        w.WriteString("Id", q.State.ServerId);
    }
}

internal static class UserApi
{
    public static Reply Authenticate(FakeRequest q)
    {
        var client = q.Auth.Field("Client");
        var device = q.Auth.Field("Device");
        var deviceId = q.Auth.Field("DeviceId");
        var version = q.Auth.Field("Version");
        if (q.Dialect.LoginNeedsClientInfo && (client is null || device is null || deviceId is null || version is null))
        {
            return Reply.BadRequest("Client, Device, DeviceId and Version are required in the Authorization header.");
        }
        var name = Json.PropString(q.Body, "Username");
        var password = Json.PropString(q.Body, "Pw") ?? Json.PropString(q.Body, "Password") ?? "";
        var user = name is null ? null : q.State.UsersList.FirstOrDefault(u => string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase));
        if (user is null || user.Password != password || user.IsDisabled)
        {
            return Reply.Text(401, "Error processing request.");
        }
        var now = q.State.Time.GetUtcNow();
        user.LastLoginDate = now;
        var token = q.State.IssueToken(user, deviceId ?? "unknown", client ?? "unknown", device ?? "unknown", version ?? "unknown");
        var session = q.State.AddSession(new FakeSession
        {
            Id = Ids.NewGuid(),
            UserId = user.Id,
            UserName = user.Name,
            Client = token.Client ?? "",
            DeviceName = token.Device ?? "",
            DeviceId = token.DeviceId ?? "",
            ApplicationVersion = token.Version ?? "",
            LastActivityDate = now,
        });
        return Reply.Object(w =>
        {
            w.WritePropertyName("User");
            Dtos.User(w, q.State, user);
            w.WritePropertyName("SessionInfo");
            Dtos.Session(w, q.State, session);
            w.WriteString("AccessToken", token.Token);
            w.WriteString("ServerId", q.State.ServerId);
        });
    }

    // An administrator sees everyone; a plain user only themselves.
    public static Reply List(FakeRequest q) => Reply.Array(Visible(q), (w, u) => Dtos.User(w, q.State, u));

    public static Reply Query(FakeRequest q)
    {
        var all = Visible(q).ToList();
        var start = q.QueryInt("StartIndex") ?? 0;
        var page = all.Skip(start).Take(q.QueryInt("Limit") ?? int.MaxValue).ToList();
        return Reply.Json(w => Dtos.Page(w, q.Dialect, page, all.Count, start, (w, u) => Dtos.User(w, q.State, u)));
    }

    public static Reply Get(FakeRequest q) =>
        q.ResolveUser(out var user) ?? (user is null ? Reply.NotFound("User not found.") : Reply.Json(w => Dtos.User(w, q.State, user)));

    public static Reply Me(FakeRequest q) =>
        q.Me.User is { } user ? Reply.Json(w => Dtos.User(w, q.State, user)) : Reply.BadRequest("The API key has no user.");

    // The whole policy replaces the stored one, unknown fields included.
    public static Reply SetPolicy(FakeRequest q)
    {
        if (q.State.FindUser(q.Route("userId")) is not { } user)
        {
            return Reply.NotFound("User not found.");
        }
        if (q.Body is not { } policy)
        {
            return Reply.BadRequest("A policy body is required.");
        }
        if (q.Dialect.RejectPolicy(policy) is { } error)
        {
            return Reply.BadRequest(error);
        }
        user.Policy = policy;
        return Reply.NoContent();
    }

    private static IEnumerable<FakeUser> Visible(FakeRequest q) => q.State.UsersList.Where(u => q.Me.IsAdmin || q.Me.Is(u));
}
