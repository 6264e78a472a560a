namespace Aperture.Outputs;

// A media path mapping that makes one real title's server path a path Aperture can read.
public sealed record MappingSuggestion(string ServerPrefix, string LocalPrefix, string LocalPath)
{
    public string Mapping => $"{ServerPrefix}={LocalPrefix}";
}

// Finds where Aperture sees a title the media server has at some path: the same tail of the path (".../movies/Heat/Heat.mkv")
// under a folder Aperture can read. The part of the server path before that tail and the folder it was found under are
// the prefix pair for MEDIA_SERVER_LIBRARY_ROOT.
public static class MappingDetector
{
    // Folders that never hold someone's media; not walked.
    private static readonly HashSet<string> SystemFolders = new(StringComparer.Ordinal)
    {
        "/proc", "/sys", "/dev", "/run", "/usr", "/lib", "/lib32", "/lib64", "/bin", "/sbin", "/etc", "/boot", "/snap", "/var/lib", "/var/cache", "/var/log",
    };

    private const int MaxDepth = 3;
    private const int MaxRoots = 20_000;

    // Folders up to three levels below the file-system root (and the data folder's parent), symbolic links not followed.
    public static IReadOnlyList<string> CandidateRoots(string dataDirectory)
    {
        var roots = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Walk(string folder, int depth)
        {
            if (roots.Count >= MaxRoots || SystemFolders.Contains(folder) || !seen.Add(folder))
            {
                return;
            }
            roots.Add(folder);
            if (depth == MaxDepth)
            {
                return;
            }
            IEnumerable<string> children;
            try
            {
                children = new DirectoryInfo(folder).EnumerateDirectories("*", new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint })
                    .Select(d => d.FullName).Order(StringComparer.Ordinal).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return;
            }
            foreach (var child in children)
            {
                Walk(child, depth + 1);
            }
        }
        var parent = Path.GetDirectoryName(Path.GetFullPath(dataDirectory));
        if (parent is not null)
        {
            Walk(parent, MaxDepth - 1);
        }
        foreach (var top in OperatingSystem.IsWindows() ? DriveInfo.GetDrives().Select(d => d.RootDirectory.FullName) : ["/"])
        {
            Walk(top, 0);
        }
        return roots;
    }

    public static MappingSuggestion? Suggest(string serverPath, IReadOnlyList<string> roots)
    {
        var parts = serverPath.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries);
        // Drive letters ("D:") belong to the server prefix, never to the tail.
        var first = parts.Length > 0 && parts[0].EndsWith(':') ? 1 : 0;
        // The longest tail first; at least a folder and the file, so a bare "movie.mkv" never matches by chance.
        for (var skip = first; skip <= parts.Length - 2; skip++)
        {
            var tail = string.Join('/', parts[skip..]);
            foreach (var root in roots)
            {
                var local = Path.Combine(root, tail);
                if (File.Exists(local) || Directory.Exists(local))
                {
                    // Keep one shared folder name on both sides ("/media=/mnt/nas/media"), so the pair reads as a mount.
                    var serverPrefix = Prefix(serverPath, parts, skip + 1);
                    var localPrefix = Path.Combine(root, parts[skip]);
                    return new MappingSuggestion(serverPrefix, localPrefix, local);
                }
            }
        }
        return null;
    }

    private static string Prefix(string serverPath, string[] parts, int count)
    {
        var separator = serverPath.Contains('\\', StringComparison.Ordinal) && !serverPath.Contains('/', StringComparison.Ordinal) ? "\\" : "/";
        var lead = serverPath.StartsWith(@"\\", StringComparison.Ordinal) ? @"\\" : parts[0].EndsWith(':') ? "" : separator;
        return lead + string.Join(separator, parts[..count]);
    }
}
