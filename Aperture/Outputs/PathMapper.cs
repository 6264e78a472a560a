namespace Aperture.Outputs;

public sealed record PathMapping(string ServerPrefix, string LocalPrefix);

public sealed record PathCheck(string ServerPath, string LocalPath, bool Exists, string Message);

// The media file a pick points at is not where the mapping says Aperture can read it.
public sealed class MappedPathNotFoundException : Exception
{
    public MappedPathNotFoundException() { }
    public MappedPathNotFoundException(string message) : base(message) { }
    public MappedPathNotFoundException(string message, Exception inner) : base(message, inner) { }

    public MappedPathNotFoundException(string serverPath, string localPath)
        : base(localPath == serverPath
            ? $"{serverPath} does not exist here; if Aperture mounts the media elsewhere, set the media path mapping in Admin › Outputs (MEDIA_SERVER_LIBRARY_ROOT=serverPrefix=localPrefix)"
            : $"{serverPath} maps to {localPath}, which does not exist here; check the media path mapping in Admin › Outputs (MEDIA_SERVER_LIBRARY_ROOT)")
    {
        ServerPath = serverPath;
        LocalPath = localPath;
    }

    public string ServerPath { get; } = "";
    public string LocalPath { get; } = "";
}

// Maps the media server's paths to Aperture's (to find the media and its artwork) and Aperture's output
// folder to the server's (what the library's location must be). MEDIA_SERVER_LIBRARY_ROOT holds
// "serverPrefix=localPrefix" pairs separated by ';' (longest matching prefix wins, whole path components only).
// A bare path such as the original's "/mnt/media" says both see the media at that same path, as does an empty value.
// Server paths with backslashes (Emby on Windows) match case-insensitively and become '/' locally.
public sealed class PathMapper
{
    private readonly string _localRoot;
    private readonly string _serverRoot;

    public PathMapper(OutputOptions options)
    {
        Mappings = Parse(options.LibraryRoot);
        _localRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.StrmRoot));
        _serverRoot = options.ServerRoot.Length > 1 ? options.ServerRoot.TrimEnd('/', '\\') : options.ServerRoot;
    }

    public IReadOnlyList<PathMapping> Mappings { get; }

    public static IReadOnlyList<PathMapping> Parse(string? spec)
    {
        var mappings = new List<PathMapping>();
        foreach (var part in (spec ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var server = eq < 0 ? part : part[..eq].Trim();
            var local = eq < 0 ? part : part[(eq + 1)..].Trim();
            if (server.Length == 0 || local.Length == 0)
            {
                throw new FormatException($"\"{part}\" needs a path on both sides of '=' (serverPrefix=localPrefix)");
            }
            if (!Path.IsPathFullyQualified(local))
            {
                throw new FormatException($"\"{local}\" is not an absolute path");
            }
            if (eq >= 0)
            {
                mappings.Add(new PathMapping(TrimSeparators(server), TrimSeparators(local)));
            }
        }
        return mappings.OrderByDescending(m => m.ServerPrefix.Length).ToList();
    }

    // The server's path of a media file or folder, as Aperture can read it.
    public string ToLocal(string serverPath)
    {
        foreach (var m in Mappings)
        {
            if (StartsWithComponent(serverPath, m.ServerPrefix, out var rest))
            {
                rest = rest.Replace('\\', '/');
                return m.LocalPrefix == "/" ? (rest.Length == 0 ? "/" : rest) : m.LocalPrefix + rest;
            }
        }
        return serverPath;
    }

    // Like ToLocal, but the mapped file (or folder) must exist.
    public string ToLocalExisting(string serverPath, bool directory)
    {
        var local = ToLocal(serverPath);
        if (directory ? !Directory.Exists(local) : !File.Exists(local))
        {
            throw new MappedPathNotFoundException(serverPath, local);
        }
        return local;
    }

    // A path under the output root as the media server sees it (AI_LIBRARY_PATH_PREFIX).
    public string OutputToServer(string localOutputPath)
    {
        var full = Path.GetFullPath(localOutputPath);
        var relative = Path.GetRelativePath(_localRoot, full);
        if (relative == ".")
        {
            return _serverRoot;
        }
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw new OutputPathException($"{localOutputPath} is not under the output root {_localRoot}");
        }
        var separator = _serverRoot.Contains('\\', StringComparison.Ordinal) && !_serverRoot.Contains('/', StringComparison.Ordinal) ? '\\' : '/';
        return _serverRoot.TrimEnd(separator) + separator + relative.Replace(Path.DirectorySeparatorChar, separator);
    }

    // For the admin page: where one real title's media is looked for, and whether it is there.
    public PathCheck CheckExample(string serverPath)
    {
        var local = ToLocal(serverPath);
        var exists = File.Exists(local) || Directory.Exists(local);
        var rule = Mappings.FirstOrDefault(m => StartsWithComponent(serverPath, m.ServerPrefix, out _));
        var how = rule is null ? "no mapping applies, so the server's path is used as is" : $"mapped by {rule.ServerPrefix}={rule.LocalPrefix}";
        var message = exists
            ? $"Found {local} ({how})."
            : $"{local} does not exist here ({how}). Set the media path mapping below (MEDIA_SERVER_LIBRARY_ROOT) so the server's paths map to where Aperture mounts the media.";
        return new PathCheck(serverPath, local, exists, message);
    }

    private static bool StartsWithComponent(string path, string prefix, out string rest)
    {
        var windows = prefix.Contains('\\', StringComparison.Ordinal) || (prefix.Length >= 2 && prefix[1] == ':');
        var comparison = windows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        rest = "";
        if (prefix == "/")
        {
            rest = path;
            return path.StartsWith('/');
        }
        if (!path.StartsWith(prefix, comparison))
        {
            return false;
        }
        rest = path[prefix.Length..];
        return rest.Length == 0 || rest[0] is '/' or '\\';
    }

    private static string TrimSeparators(string path) => path.Length > 1 ? path.TrimEnd('/', '\\') : path;
}
