using System.Text.Json;
using Aperture.Fakes;

namespace Aperture.Tests.Contracts;

// The server versions Aperture supports, each checked against its own API description in ../shared/contracts.
public enum ContractServer { Jellyfin10_11, Jellyfin12_0, Emby4_8 }

public sealed record ContractParam(string Name, string Source, string Type, bool Required, bool CommaList);

public sealed record ContractEndpoint(string Method, string Path, IReadOnlyList<ContractParam> Params, string? BodyType, bool BodyRequired)
{
    // Emby's description says per operation whether a caller must be authenticated; Jellyfin's contract does not.
    public bool NeedsToken { get; init; }

    public IReadOnlyList<string> Segments { get; } = Path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    public int LiteralSegments => Segments.Count(s => !s.StartsWith('{'));
}

public sealed record SchemaField(string Name, string Type, bool Required);

// One server's API as data: routes with their parameters, DTO/schema fields and enum members. Names compare
// case-insensitively everywhere because both servers bind query and JSON names that way.
public sealed class ServerContract
{
    private static readonly Dictionary<ContractServer, ServerContract> Cache = [];
    private static readonly Lock CacheSync = new();

    private ServerContract(ContractServer server, string file, IReadOnlyList<ContractEndpoint> endpoints,
        Dictionary<string, Dictionary<string, SchemaField>> schemas, Dictionary<string, HashSet<string>> enums)
    {
        Server = server;
        File = file;
        Endpoints = endpoints;
        Schemas = schemas;
        Enums = enums;
    }

    public ContractServer Server { get; }
    public string File { get; }
    public IReadOnlyList<ContractEndpoint> Endpoints { get; }
    public IReadOnlyDictionary<string, Dictionary<string, SchemaField>> Schemas { get; }
    public IReadOnlyDictionary<string, HashSet<string>> Enums { get; }
    public bool IsEmby => Server == ContractServer.Emby4_8;

    // Query names that carry the token rather than an action parameter (MEDIA-SERVER-API.md §2): Jellyfin 12 dropped api_key.
    public IReadOnlyList<string> AuthQueryNames => Server switch
    {
        ContractServer.Jellyfin10_11 => ["ApiKey", "api_key"],
        ContractServer.Jellyfin12_0 => ["ApiKey"],
        _ => ["api_key", "X-Emby-Token"],
    };

    public static ContractServer For(FakeDialect dialect, string version) =>
        dialect == FakeDialect.Emby ? ContractServer.Emby4_8
        : System.Version.TryParse(version, out var v) && v.Major >= 12 ? ContractServer.Jellyfin12_0
        : ContractServer.Jellyfin10_11;

    public static string FileName(ContractServer server) => server switch
    {
        ContractServer.Jellyfin10_11 => "jellyfin-10.11.json",
        ContractServer.Jellyfin12_0 => "jellyfin-12.0.json",
        _ => "emby-4.8.json",
    };

    // In CI the repository is cloned with shared/ beside it: ../shared/contracts from the folder holding Aperture.sln.
    public static string ContractsFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Aperture.sln")))
            {
                var folder = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "contracts"));
                return Directory.Exists(folder) ? folder
                    : throw new DirectoryNotFoundException($"The API contracts are not at {folder} (expected ../shared/contracts beside the repository).");
            }
        }
        throw new DirectoryNotFoundException($"No Aperture.sln above {AppContext.BaseDirectory}: cannot find ../shared/contracts.");
    }

    public static ServerContract Load(ContractServer server)
    {
        lock (CacheSync)
        {
            if (!Cache.TryGetValue(server, out var contract))
            {
                var path = Path.Combine(ContractsFolder(), FileName(server));
                using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(path));
                contract = server == ContractServer.Emby4_8 ? ReadEmby(doc.RootElement, path) : ReadJellyfin(server, doc.RootElement, path);
                Cache[server] = contract;
            }
            return contract;
        }
    }

    private static ServerContract ReadJellyfin(ContractServer server, JsonElement root, string path)
    {
        var endpoints = new List<ContractEndpoint>();
        foreach (var e in root.GetProperty("endpoints").EnumerateArray())
        {
            var route = e.GetProperty("path").GetString()!;
            var parameters = new List<ContractParam>();
            string? bodyType = null;
            var bodyRequired = false;
            foreach (var p in e.GetProperty("params").EnumerateArray())
            {
                var name = p.GetProperty("name").GetString()!;
                var type = p.GetProperty("type").GetString()!;
                var source = p.GetProperty("source").GetString()!;
                var required = p.GetProperty("required").GetBoolean();
                if (source == "implicit")
                {
                    // No [From...] attribute: MVC binds a simple type from the route when the template names it, else the query.
                    source = route.Contains('{' + name + '}', StringComparison.OrdinalIgnoreCase) ? "route" : "query";
                }
                if (source == "body")
                {
                    bodyType = type;
                    // Jellyfin builds with nullable reference types: a non-nullable [FromBody] parameter is required by MVC.
                    bodyRequired = required || (!type.EndsWith('?') && p.GetProperty("default").ValueKind == JsonValueKind.Null);
                    continue;
                }
                parameters.Add(new ContractParam(name, source, type, required, p.GetProperty("comma_binder").GetBoolean()));
            }
            endpoints.Add(new ContractEndpoint(e.GetProperty("method").GetString()!, route, parameters, bodyType, bodyRequired));
        }

        var schemas = new Dictionary<string, Dictionary<string, SchemaField>>(StringComparer.OrdinalIgnoreCase);
        // The server's own DTOs first; the SDK's OpenAPI schemas fill in the nested types (LibraryOptions, MediaPathInfo...).
        foreach (var dto in root.GetProperty("dtos").EnumerateObject())
        {
            var props = dto.Value.GetProperty("props");
            if (props.EnumerateObject().Any())
            {
                schemas[dto.Name] = props.EnumerateObject()
                    .ToDictionary(f => f.Name, f => new SchemaField(f.Name, f.Value.GetString()!, false), StringComparer.OrdinalIgnoreCase);
            }
        }
        // The DTO list holds each class's own properties only (SystemInfo : PublicSystemInfo lists no ServerName); the
        // OpenAPI schemas carry the inherited ones, so they are added to a DTO's fields but never change a field's type.
        foreach (var schema in root.GetProperty("openapi_schemas_sdk_1_0_0").EnumerateObject())
        {
            if (!schema.Value.EnumerateObject().Any())
            {
                continue;
            }
            if (!schemas.TryGetValue(schema.Name, out var fields))
            {
                schemas[schema.Name] = fields = new Dictionary<string, SchemaField>(StringComparer.OrdinalIgnoreCase);
            }
            foreach (var f in schema.Value.EnumerateObject())
            {
                fields.TryAdd(f.Name, new SchemaField(f.Name, f.Value.GetString()!, false));
            }
        }

        return new ServerContract(server, path, endpoints, schemas, JellyfinEnums.For(server));
    }

    private static ServerContract ReadEmby(JsonElement root, string path)
    {
        var endpoints = new List<ContractEndpoint>();
        foreach (var e in root.GetProperty("endpoints").EnumerateArray())
        {
            var parameters = new List<ContractParam>();
            foreach (var p in e.GetProperty("path_params").EnumerateArray())
            {
                parameters.Add(new ContractParam(p.GetString()!, "route", "string", true, false));
            }
            foreach (var q in e.GetProperty("query").EnumerateArray())
            {
                var type = q.GetProperty("type").GetString()!;
                parameters.Add(new ContractParam(q.GetProperty("name").GetString()!, "query", type, q.GetProperty("required").GetBoolean(),
                    type.StartsWith("Array<", StringComparison.Ordinal)));
            }
            endpoints.Add(new ContractEndpoint(e.GetProperty("method").GetString()!, e.GetProperty("path").GetString()!, parameters,
                e.GetProperty("body").ValueKind == JsonValueKind.String ? e.GetProperty("body").GetString() : null,
                e.GetProperty("body_required").GetBoolean())
            {
                // The description marks even the logins as "requires authentication"; they are how a token is obtained.
                NeedsToken = e.GetProperty("auth").GetString() is { } auth && auth.StartsWith("Requires", StringComparison.Ordinal)
                    && !e.GetProperty("path").GetString()!.EndsWith("Authenticate", StringComparison.OrdinalIgnoreCase)
                    && !e.GetProperty("path").GetString()!.EndsWith("AuthenticateByName", StringComparison.OrdinalIgnoreCase),
            });
        }

        var schemas = new Dictionary<string, Dictionary<string, SchemaField>>(StringComparer.OrdinalIgnoreCase);
        var enums = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var schema in root.GetProperty("schemas").EnumerateObject())
        {
            if (schema.Value.TryGetProperty("fields", out var fields))
            {
                schemas[schema.Name] = fields.EnumerateObject().ToDictionary(
                    f => f.Name,
                    f => new SchemaField(f.Name, f.Value.GetProperty("type").GetString()!, f.Value.TryGetProperty("required", out var r) && r.GetBoolean()),
                    StringComparer.OrdinalIgnoreCase);
            }
            else if (schema.Value.TryGetProperty("enum", out var members))
            {
                enums[schema.Name] = new HashSet<string>(members.EnumerateArray().Select(m => m.GetString()!), StringComparer.OrdinalIgnoreCase);
            }
        }
        foreach (var e in root.GetProperty("enums").EnumerateObject())
        {
            enums[e.Name] = new HashSet<string>(e.Value.GetProperty("enum").EnumerateArray().Select(m => m.GetString()!), StringComparer.OrdinalIgnoreCase);
        }
        return new ServerContract(ContractServer.Emby4_8, path, endpoints, schemas, enums);
    }

    // Emby's description types these query parameters as plain strings; its own enums say which values they take.
    public string? EnumOfEmbyQuery(string name) => IsEmby ? name.ToUpperInvariant() switch
    {
        "FIELDS" => "ItemFields",
        "SORTBY" => "ItemSortBy",
        "FILTERS" => "ItemFilter",
        "MEDIATYPES" or "MEDIATYPE" => "MediaType",
        "PLAYCOMMAND" => "PlayCommand",
        _ => null,
    } : null;
}

// The members of the enums Jellyfin's actions bind (the contract files name the types only). Read from the server
// source at tags v10.11.11 and v12.0-rc5 (Jellyfin.Data/Enums, MediaBrowser.Model) into jellyfin-enums.json.
internal static class JellyfinEnums
{
    public static Dictionary<string, HashSet<string>> For(ContractServer server)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Contracts", "jellyfin-enums.json");
        using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(path));
        var tag = server == ContractServer.Jellyfin12_0 ? "v12.0-rc5" : "v10.11.11";
        return doc.RootElement.GetProperty(tag).EnumerateObject().ToDictionary(
            e => e.Name,
            e => new HashSet<string>(e.Value.EnumerateArray().Select(m => m.GetString()!), StringComparer.OrdinalIgnoreCase),
            StringComparer.OrdinalIgnoreCase);
    }
}
