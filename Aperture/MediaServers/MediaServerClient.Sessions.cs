using System.Text;
using System.Text.Json.Serialization;

namespace Aperture.MediaServers;

// A running client as /Sessions lists it; only sessions that support remote control can be told to play.
public sealed record SessionDto(
    string Id,
    [property: JsonConverter(typeof(FlexibleStringConverter))] string? UserId,
    string? UserName,
    string? Client,
    string? DeviceName,
    string? DeviceId,
    bool SupportsRemoteControl,
    DateTimeOffset? LastActivityDate);

public sealed partial class MediaServerClient
{
    // ControllableByUserId: the sessions that user may drive (their own clients that accept remote control).
    public async Task<IReadOnlyList<SessionDto>> GetSessionsAsync(string? controllableByUserId, CancellationToken ct)
    {
        var path = controllableByUserId is null ? "Sessions" : $"Sessions?ControllableByUserId={Uri.EscapeDataString(controllableByUserId)}";
        return await SendAsync<List<SessionDto>>(HttpMethod.Get, path, null, connection.ApiKey, null, ct) ?? [];
    }

    // No web URL starts playback: the "play" buttons tell a running client to play (both servers, 204).
    public Task PlayOnSessionAsync(string sessionId, IReadOnlyList<string> itemIds, long? startPositionTicks, CancellationToken ct)
    {
        if (itemIds.Count == 0)
        {
            throw new ArgumentException("At least one item id is needed.", nameof(itemIds));
        }
        var s = new StringBuilder($"Sessions/{Uri.EscapeDataString(sessionId)}/Playing?");
        Add(s, "playCommand", "PlayNow");
        Add(s, "itemIds", itemIds);
        Add(s, "startPositionTicks", startPositionTicks?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Emby 4.8 requires a PlayRequest body beside the query (none of its fields are needed here); Jellyfin reads none.
        var body = connection.Type == MediaServerType.Emby ? new System.Text.Json.Nodes.JsonObject() : null;
        return SendAsync<object>(HttpMethod.Post, s.ToString().TrimEnd('&'), body, connection.ApiKey, null, ct);
    }
}
