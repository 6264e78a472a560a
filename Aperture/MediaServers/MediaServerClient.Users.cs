using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Aperture.MediaServers;

// A user with the whole policy object as the server sent it, so that a policy update keeps every field Aperture does not
// model (the POST replaces the stored policy with what it is given).
public sealed record UserWithPolicyDto(
    [property: JsonConverter(typeof(FlexibleStringConverter))] string Id,
    string Name,
    JsonObject? Policy)
{
    public bool IsAdministrator => Flag("IsAdministrator");
    public bool IsDisabled => Flag("IsDisabled");
    public bool EnableAllFolders => Flag("EnableAllFolders");
    public IReadOnlyList<string> EnabledFolders => List("EnabledFolders");
    public IReadOnlyList<string> BlockedMediaFolders => List("BlockedMediaFolders");

    private bool Flag(string name) => Policy?[name] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private List<string> List(string name) =>
        Policy?[name] is JsonArray a ? [.. a.Select(n => n?.ToString()).OfType<string>().Where(s => s.Length > 0)] : [];
}

public sealed partial class MediaServerClient
{
    // Jellyfin's UserPolicy marks both as [Required]: a policy without them is a 400. These are its built-in providers,
    // used only when the server's own policy did not carry them.
    internal const string JellyfinDefaultAuthenticationProvider = "Jellyfin.Server.Implementations.Users.DefaultAuthenticationProvider";
    internal const string JellyfinDefaultPasswordResetProvider = "Jellyfin.Server.Implementations.Users.DefaultPasswordResetProvider";

    public Task<IReadOnlyList<UserWithPolicyDto>> GetUsersWithPolicyAsync(CancellationToken ct) => ListUsersAsync<UserWithPolicyDto>(ct);

    public async Task<UserWithPolicyDto> GetUserAsync(string userId, CancellationToken ct) =>
        await SendAsync<UserWithPolicyDto>(HttpMethod.Get, $"Users/{Uri.EscapeDataString(userId)}", null, connection.ApiKey, null, ct)
        ?? throw new MediaServerException(MediaServerErrorKind.BadResponse, $"The media server answered /Users/{userId} with an empty body.");

    // The one way Aperture changes a policy. The POST replaces the whole policy, so every change starts from a fresh read:
    // change edits a copy of it (it gets the fresh user too) and says whether there is anything to write. True when written.
    public async Task<bool> RewriteUserPolicyAsync(string userId, Func<UserWithPolicyDto, JsonObject, bool> change, CancellationToken ct)
    {
        var fresh = await GetUserAsync(userId, ct);
        var policy = fresh.Policy?.DeepClone() as JsonObject
            ?? throw new MediaServerException(MediaServerErrorKind.BadResponse, $"The media server sent the user {fresh.Name} ({userId}) without a policy.");
        if (!change(fresh, policy))
        {
            return false;
        }
        await UpdateUserPolicyAsync(userId, policy, ct);
        return true;
    }

    // POST /Users/{id}/Policy with the whole policy (admin; 204). Use RewriteUserPolicyAsync, which reads it first.
    public Task UpdateUserPolicyAsync(string userId, JsonObject policy, CancellationToken ct)
    {
        var body = (JsonObject)policy.DeepClone();
        if (connection.Type == MediaServerType.Jellyfin)
        {
            FillIfEmpty(body, "AuthenticationProviderId", JellyfinDefaultAuthenticationProvider);
            FillIfEmpty(body, "PasswordResetProviderId", JellyfinDefaultPasswordResetProvider);
        }
        return SendAsync<object>(HttpMethod.Post, $"Users/{Uri.EscapeDataString(userId)}/Policy", body, connection.ApiKey, null, ct);

        static void FillIfEmpty(JsonObject policy, string name, string value)
        {
            if (string.IsNullOrEmpty(policy[name]?.ToString()))
            {
                policy[name] = value;
            }
        }
    }
}
