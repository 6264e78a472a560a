namespace Aperture.Outputs;

// Every path Aperture writes or deletes goes through here: it must be under the output root, and no folder
// between the root and it may be a symbolic link (a link inside the root pointing elsewhere would carry writes
// and deletions out of it). Deletion never follows a link: it removes the link itself.
internal sealed class OutputFileSystem
{
    public OutputFileSystem(string root)
    {
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
    }

    public string Root { get; }

    // The library's folder; every part of its name must already be a SafeName.
    public string LibraryPath(OutputLibrary library)
    {
        var segments = library.Segments;
        if (segments.Count is 0 or > 4 || segments.Any(s => !SafeName.IsSafe(s)))
        {
            throw new OutputPathException($"\"{library.FolderName}\" is not a valid library folder: use 1 to 4 '/'-separated safe names");
        }
        var path = Path.Combine([Root, .. segments]);
        EnsureInside(path);
        return path;
    }

    public void EnsureInside(string path)
    {
        var full = Path.GetFullPath(path);
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new OutputPathException($"{path} is outside the output root {Root}");
        }
    }

    // Creates the root and the folders down to path's parent; refuses when any existing part below the root,
    // path included, is a link.
    public void PrepareParents(string path)
    {
        EnsureInside(path);
        Directory.CreateDirectory(Root);
        var current = Root;
        foreach (var part in Path.GetRelativePath(Root, path).Split(Path.DirectorySeparatorChar))
        {
            current = Path.Combine(current, part);
            if (IsLink(current))
            {
                throw new OutputPathException($"{current} is a symbolic link; Aperture does not write or delete through links in the output root");
            }
            if (current != path)
            {
                Directory.CreateDirectory(current);
            }
        }
    }

    // Symbolic links and Windows junctions report a target; a missing path reports none.
    public static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    // Removes a folder tree; links inside it (ours point at the real media) are unlinked, never followed.
    public void DeleteTree(string path)
    {
        EnsureInside(path);
        DeleteUnchecked(path);
    }

    private static void DeleteUnchecked(string path)
    {
        if (IsLink(path) || File.Exists(path))
        {
            File.Delete(path);
            return;
        }
        if (!Directory.Exists(path))
        {
            return;
        }
        foreach (var entry in Directory.EnumerateFileSystemEntries(path).ToList())
        {
            DeleteUnchecked(entry);
        }
        Directory.Delete(path);
    }

    // Same names, same link targets, same bytes: then a swap would change nothing the media server can see.
    public static bool SameTree(string a, string b)
    {
        var left = Directory.EnumerateFileSystemEntries(a).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var right = Directory.EnumerateFileSystemEntries(b).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        if (!left.SequenceEqual(right))
        {
            return false;
        }
        foreach (var name in left)
        {
            var x = Path.Combine(a, name!);
            var y = Path.Combine(b, name!);
            var (lx, ly) = (new FileInfo(x).LinkTarget, new FileInfo(y).LinkTarget);
            if (lx is not null || ly is not null)
            {
                if (lx != ly)
                {
                    return false;
                }
            }
            else if (Directory.Exists(x) || Directory.Exists(y))
            {
                if (!Directory.Exists(x) || !Directory.Exists(y) || !SameTree(x, y))
                {
                    return false;
                }
            }
            else if (new FileInfo(x).Length != new FileInfo(y).Length || !File.ReadAllBytes(x).AsSpan().SequenceEqual(File.ReadAllBytes(y)))
            {
                return false;
            }
        }
        return true;
    }
}
