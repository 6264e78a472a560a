using Aperture.MediaServers;

namespace Aperture.Pages.Shared;

// The media server form as the setup page and the admin settings page bind it.
public sealed class MediaServerForm
{
    public string Type { get; set; } = "auto";
    public string? BaseUrl { get; set; }
    public string? ApiKey { get; set; }
    public string? PublicUrl { get; set; }

    public bool ApiKeySet { get; set; }
    public Dictionary<string, string> Errors { get; set; } = [];

    // An empty key field means "keep the stored key".
    public MediaServerConfigInput ToInput() =>
        new(Type, BaseUrl ?? "", string.IsNullOrWhiteSpace(ApiKey) ? null : ApiKey, PublicUrl ?? "");
}
