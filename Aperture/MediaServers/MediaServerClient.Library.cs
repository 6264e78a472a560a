using System.Text.Json;

namespace Aperture.MediaServers;

public sealed partial class MediaServerClient
{
    // Jellyfin answers /Library/VirtualFolders with a plain array. Emby 4.8 pages them under /Query (whose items add Id and
    // Guid); older Emby only has the plain route, which some versions answer with the paged envelope: both shapes are read.
    public async Task<IReadOnlyList<VirtualFolderDto>> GetVirtualFoldersAsync(CancellationToken ct)
    {
        JsonElement answer;
        if (connection.Type == MediaServerType.Emby)
        {
            try
            {
                answer = await SendAsync<JsonElement>(HttpMethod.Get, "Library/VirtualFolders/Query", null, connection.ApiKey, null, ct);
            }
            catch (MediaServerException e) when (e.Kind == MediaServerErrorKind.NotFound)
            {
                answer = await SendAsync<JsonElement>(HttpMethod.Get, "Library/VirtualFolders", null, connection.ApiKey, null, ct);
            }
        }
        else
        {
            answer = await SendAsync<JsonElement>(HttpMethod.Get, "Library/VirtualFolders", null, connection.ApiKey, null, ct);
        }

        var list = answer.ValueKind switch
        {
            JsonValueKind.Array => answer,
            JsonValueKind.Object when (answer.TryGetProperty("Items", out var items) || answer.TryGetProperty("items", out items))
                && items.ValueKind == JsonValueKind.Array => items,
            _ => throw new MediaServerException(MediaServerErrorKind.BadResponse,
                $"The media server's library list is neither an array nor a paged result ({answer.ValueKind})."),
        };
        try
        {
            return list.Deserialize<List<VirtualFolderDto>>(Json) ?? [];
        }
        catch (JsonException e)
        {
            throw new MediaServerException(MediaServerErrorKind.BadResponse, $"The media server's library list could not be read: {e.Message}", e);
        }
    }
}
