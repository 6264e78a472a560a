using System.Reflection;
using System.Text.Json.Serialization;
using Aperture.MediaServers;

namespace Aperture.Tests.Contracts;

// Which server schema each of the client's response records is read from. A property the client reads must be a field
// the server sends; "only" marks a property the client reads from one server family and tolerates missing on the other
// (Emby's library Id/Guid, Jellyfin's ProductName whose absence is how Emby is recognised).
public sealed record ResponseShape(Type ClientType, string[] Jellyfin, string[] Emby)
{
    public string[] EmbyOnly { get; init; } = [];
    public string[] JellyfinOnly { get; init; } = [];

    // Fields read by name out of a JsonObject property (the whole policy is kept so updates can send it back).
    public (string Property, string Schema, string[] Fields)[] ReadByName { get; init; } = [];

    public string[] SchemasFor(ContractServer server) => server == ContractServer.Emby4_8 ? Emby : Jellyfin;
}

public static class ResponseReads
{
    public static readonly IReadOnlyList<ResponseShape> Shapes =
    [
        new(typeof(PublicSystemInfoDto), ["PublicSystemInfo", "SystemInfo"], ["PublicSystemInfo", "SystemInfo"]) { JellyfinOnly = ["ProductName"] },
        new(typeof(UserDto), ["UserDto"], ["UserDto"]),
        new(typeof(UserPolicyDto), ["UserPolicy"], ["UserPolicy"]),
        new(typeof(UserWithPolicyDto), ["UserDto"], ["UserDto"])
        {
            ReadByName = [("Policy", "UserPolicy", ["IsAdministrator", "IsDisabled", "EnableAllFolders", "EnabledFolders", "BlockedMediaFolders"])],
        },
        new(typeof(AuthenticationResultDto), ["AuthenticationResult"], ["Authentication.AuthenticationResult"]),
        new(typeof(QueryResultDto<>), ["QueryResult"], ["QueryResult_BaseItemDto", "QueryResult_UserDto", "QueryResult_VirtualFolderInfo"]),
        new(typeof(VirtualFolderDto), ["VirtualFolderInfo"], ["VirtualFolderInfo"]) { EmbyOnly = ["Id", "Guid"] },
        new(typeof(BaseItemDto), ["BaseItemDto"], ["BaseItemDto"]),
        new(typeof(UserItemDataDto), ["UserItemDataDto"], ["UserItemDataDto"]),
        new(typeof(PersonDto), ["BaseItemPerson"], ["BaseItemPerson"]),
        new(typeof(NameRefDto), ["NameGuidPair"], ["NameLongIdPair"]),
        new(ClientType("CreatedItemDto"), ["PlaylistCreationResult", "CollectionCreationResult"],
            ["Playlists.PlaylistCreationResult", "Collections.CollectionCreationResult"]),
        new(ClientType("PlaylistEntryDto"), ["BaseItemDto"], ["BaseItemDto"]),
        new(typeof(PlaylistSummaryDto), ["BaseItemDto"], ["BaseItemDto"]),
        new(typeof(SessionDto), ["SessionInfoDto"], ["Session.SessionInfo"]),
    ];

    // Every record the client deserialises a server answer into: the *Dto types of Aperture.MediaServers.
    public static IReadOnlyList<Type> ClientResponseTypes() =>
        [.. typeof(MediaServerClient).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(MediaServerClient).Namespace && t.Name.Split('`')[0].EndsWith("Dto", StringComparison.Ordinal) && !t.IsNested)];

    private static Type ClientType(string name) =>
        typeof(MediaServerClient).Assembly.GetType($"{typeof(MediaServerClient).Namespace}.{name}", throwOnError: true)!;

    // The JSON names System.Text.Json fills: settable/init properties and record constructor parameters; computed
    // properties (UserDto.IsAdministrator, VirtualFolderDto.LibraryId) are not read from the wire.
    public static IReadOnlyList<(string JsonName, PropertyInfo Property)> ReadProperties(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.SetMethod is not null)
            .Select(p => (p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name, p))];

    public static IReadOnlyList<ContractViolation> Check(ContractServer server)
    {
        var contract = ServerContract.Load(server);
        var violations = new List<ContractViolation>();
        foreach (var shape in Shapes)
        {
            var schemas = shape.SchemasFor(server);
            foreach (var schemaName in schemas)
            {
                if (!contract.Schemas.TryGetValue(schemaName, out var fields))
                {
                    violations.Add(new(server, ViolationKind.UnreadResponseProperty, shape.ClientType.Name, $"{contract.File} has no schema {schemaName}"));
                    continue;
                }
                var skipped = server == ContractServer.Emby4_8 ? shape.JellyfinOnly : shape.EmbyOnly;
                foreach (var (name, _) in ReadProperties(shape.ClientType))
                {
                    if (!skipped.Contains(name) && !fields.ContainsKey(name))
                    {
                        violations.Add(new(server, ViolationKind.UnreadResponseProperty, $"{shape.ClientType.Name}.{name}",
                            $"the client reads it, {schemaName} in {contract.File} has no such field"));
                    }
                }
                foreach (var (property, nested, names) in shape.ReadByName)
                {
                    if (!fields.ContainsKey(property) || !contract.Schemas.TryGetValue(nested, out var nestedFields))
                    {
                        continue;
                    }
                    foreach (var name in names.Where(n => !nestedFields.ContainsKey(n)))
                    {
                        violations.Add(new(server, ViolationKind.UnreadResponseProperty, $"{shape.ClientType.Name}.{property}.{name}",
                            $"the client reads it, {nested} in {contract.File} has no such field"));
                    }
                }
            }
        }
        return violations;
    }
}
