namespace Aperture.MediaServers;

// Wire shapes (PascalCase on both servers; read case-insensitively so a camelCase proxy still works).
public sealed record PublicSystemInfoDto(string? Id, string? ServerName, string? Version, string? ProductName, string? LocalAddress);

public sealed record UserPolicyDto(bool IsAdministrator, bool IsDisabled);

public sealed record UserDto(string Id, string Name, string? ServerId, UserPolicyDto? Policy)
{
    public bool IsAdministrator => Policy?.IsAdministrator ?? false;
    public bool IsDisabled => Policy?.IsDisabled ?? false;
}

public sealed record AuthenticationResultDto(UserDto? User, string? AccessToken, string? ServerId);

public sealed record QueryResultDto<T>(IReadOnlyList<T>? Items, int TotalRecordCount);

// What "Test connection" and detection report.
public sealed record ServerFacts(MediaServerType Type, string ServerName, string ServerId, string Version, string Product);
