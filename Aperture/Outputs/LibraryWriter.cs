using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Aperture.Data;

namespace Aperture.Outputs;

// Writes a library folder under the output root (layout in README, "Outputs (files)"):
//
//   {root}/{library}/Title (Year) [id]/movie.nfo + Title (Year) [id].mkv -> server's file (+ subtitles, artwork)
//                                      or          Title (Year) [id].strm
//   {root}/{library}/Show (Year) [id]/tvshow.nfo + Season 01 -> server's season folder (each child linked)
//                                      or          Season 01/S01E01.strm
//
// The new content is built in ".{name}.aperture-new-*" beside the library and swapped in with two renames, so the
// media server only ever sees the last good library; a failure or cancellation deletes the temp folder, and the next
// run removes what a killed process left behind (putting an old library back first if it was caught mid-swap).
//
// A writer is made for the output settings in force (OutputSettings.WriterAsync); writers share one lock per library folder.
public sealed partial class LibraryWriter(OutputOptions options, ILogger<LibraryWriter> logger)
{
    private static readonly HashSet<string> VideoExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".mkv", ".mp4", ".m4v", ".avi", ".mov", ".wmv", ".ts", ".m2ts", ".mts", ".webm", ".mpg", ".mpeg", ".flv", ".iso", ".vob", ".ogv", ".3gp", ".divx",
    };

    // Files named after the video ("Film.en.srt", "Film-poster.jpg") travel with it under the new name.
    private static readonly HashSet<string> SidecarExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".srt", ".ass", ".ssa", ".sub", ".idx", ".vtt", ".sup", ".smi", ".jpg", ".jpeg", ".png", ".webp", ".tbn",
    };

    // Folder-level artwork and extras belong to the title only when the folder holds a single video.
    private static readonly HashSet<string> FolderExtras = new(StringComparer.OrdinalIgnoreCase)
    {
        "poster.jpg", "poster.png", "folder.jpg", "folder.png", "cover.jpg", "fanart.jpg", "fanart.png", "backdrop.jpg", "backdrop.png",
        "background.jpg", "banner.jpg", "banner.png", "logo.png", "clearlogo.png", "clearart.png", "disc.png", "discart.png",
        "landscape.jpg", "thumb.jpg", "theme.mp3",
        "extras", "trailers", "featurettes", "behind the scenes", "deleted scenes", "interviews", "scenes", "shorts", "other",
    };

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);

    private readonly PathMapper mapper = new(options);

    public OutputOptions Options => options;

    public PathMapper Mapper => mapper;

    private OutputFileSystem Files => new(options.StrmRoot);

    public async Task<OutputWriteResult> WriteAsync(OutputLibrary library, IReadOnlyList<OutputEntry> entries, OutputMode mode,
        IStreamUrlBuilder? streamUrls, CancellationToken ct)
    {
        if (mode == OutputMode.Strm && streamUrls is null)
        {
            throw new ArgumentException("STRM output needs a stream URL builder", nameof(streamUrls));
        }
        var files = Files;
        var live = files.LibraryPath(library);
        var gate = Locks.GetOrAdd(live, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            files.PrepareParents(live);
            RecoverAndClean(files, live);
            var temp = SiblingPath(live, "new");
            try
            {
                var built = PlanLibrary(entries, mode, streamUrls, ct);
                ct.ThrowIfCancellationRequested();
                if (built.Items == 0 && entries.Count > 0)
                {
                    // Every pick skipped: an empty library in its place would only hide the problem (and the last good one).
                    throw new NothingWrittenException(entries.Count, built.Skipped);
                }
                // Unchanged picks cost reads only: the live library is compared with the plan before anything is written.
                var changed = !Directory.Exists(live) || OutputFileSystem.IsLink(live) || !MatchesPlan(live, built.Files);
                if (changed)
                {
                    Directory.CreateDirectory(temp);
                    Materialize(temp, built.Files, ct);
                    ct.ThrowIfCancellationRequested();
                    Swap(files, live, temp);
                }
                logger.LogInformation("Wrote {Library} ({Mode}): {Items} titles, {Files} files, {Skipped} skipped{Unchanged}",
                    library.FolderName, mode, built.Items, built.Files.Count, built.Skipped.Count, changed ? "" : ", unchanged");
                return new OutputWriteResult(built.Items, built.Files.Count, built.Skipped, live, mapper.OutputToServer(live), changed);
            }
            catch
            {
                if (Directory.Exists(temp))
                {
                    files.DeleteTree(temp);
                }
                // A first write that failed leaves no empty user folder behind either.
                var parent = Path.GetDirectoryName(live)!;
                if (!Directory.Exists(live) && parent != files.Root && Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
                {
                    Directory.Delete(parent);
                }
                throw;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    // Removes a library folder (a user disabled or gone), and its parent when that leaves it empty.
    public async Task<bool> DeleteLibraryAsync(OutputLibrary library, CancellationToken ct)
    {
        var files = Files;
        var live = files.LibraryPath(library);
        var gate = Locks.GetOrAdd(live, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (!Directory.Exists(Path.GetDirectoryName(live)) && !OutputFileSystem.IsLink(live))
            {
                return false;
            }
            files.PrepareParents(live);
            RecoverAndClean(files, live);
            if (!Directory.Exists(live))
            {
                return false;
            }
            // Aside first, so the server never scans a half-deleted library.
            var aside = SiblingPath(live, "old");
            Directory.Move(live, aside);
            files.DeleteTree(aside);
            var parent = Path.GetDirectoryName(live)!;
            if (parent != files.Root && !Directory.EnumerateFileSystemEntries(parent).Any())
            {
                Directory.Delete(parent);
            }
            logger.LogInformation("Deleted output library {Library}", library.FolderName);
            return true;
        }
        finally
        {
            gate.Release();
        }
    }

    // The library as planned: every file and link by its path under the library folder ('/'-separated), in writing order.
    private sealed record Built(int Items, List<(string RelativePath, Planned File)> Files, IReadOnlyList<SkippedEntry> Skipped);

    // One file or link of a title, relative to its folder.
    private sealed record Planned(string RelativePath, string? LinkTarget, bool LinkIsDirectory, byte[]? Content);

    private Built PlanLibrary(IReadOnlyList<OutputEntry> entries, OutputMode mode, IStreamUrlBuilder? streamUrls, CancellationToken ct)
    {
        var skipped = new List<SkippedEntry>();
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        // Case-insensitive: the root may be an SMB share or a case-insensitive file system.
        var folders = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var files = new List<(string, Planned)>();
        var items = 0;
        foreach (var entry in entries.OrderBy(e => e.Rank).ThenBy(e => e.ServerItemId, StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            if (!seenIds.Add(entry.ServerItemId))
            {
                skipped.Add(Skip(entry, "listed more than once"));
                continue;
            }
            var folder = SafeName.TitleFolder(entry.Title, entry.Year, SafeName.ShortId(entry.ServerItemId));
            if (!folders.Add(folder))
            {
                folder = SafeName.TitleFolder(entry.Title, entry.Year, entry.ServerItemId);
                if (!folders.Add(folder))
                {
                    skipped.Add(Skip(entry, $"its folder name \"{folder}\" is taken by another pick"));
                    continue;
                }
            }
            List<Planned> plan;
            try
            {
                plan = mode == OutputMode.Symlink ? PlanLinks(entry, folder) : PlanStrm(entry, folder, streamUrls!);
            }
            catch (MappedPathNotFoundException e)
            {
                skipped.Add(Skip(entry, e.Message) with { MissingPath = e.ServerPath.Length > 0 ? e.ServerPath : null });
                continue;
            }
            catch (SkipException e)
            {
                skipped.Add(Skip(entry, e.Message));
                continue;
            }
            plan.Add(new Planned(Nfo.FileName(entry.Kind), null, false, Nfo.Write(entry)));
            foreach (var item in plan)
            {
                files.Add((folder + "/" + item.RelativePath.Replace(Path.DirectorySeparatorChar, '/'), item));
            }
            items++;
        }
        return new Built(items, files, skipped);
    }

    // Small files written synchronously: one system call each, where the async path costs a thread-pool round trip per file.
    private static void Materialize(string temp, List<(string RelativePath, Planned File)> files, CancellationToken ct)
    {
        var made = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (relative, item) in files)
        {
            ct.ThrowIfCancellationRequested();
            var path = Path.Combine(temp, relative);
            var parent = Path.GetDirectoryName(path)!;
            if (made.Add(parent))
            {
                Directory.CreateDirectory(parent);
            }
            if (item.LinkTarget is { } target)
            {
                if (item.LinkIsDirectory)
                {
                    Directory.CreateSymbolicLink(path, target);
                }
                else
                {
                    File.CreateSymbolicLink(path, target);
                }
            }
            else
            {
                File.WriteAllBytes(path, item.Content!);
            }
        }
    }

    // Whether the live library holds exactly the planned files, links and folders, compared by reading only: names (as the
    // old tree comparison did, ordinal), link targets and file bytes.
    private static bool MatchesPlan(string live, List<(string RelativePath, Planned File)> files)
    {
        var planned = new Dictionary<string, Planned>(files.Count, StringComparer.Ordinal);
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (relative, item) in files)
        {
            if (!planned.TryAdd(relative, item))
            {
                return false;
            }
            for (var cut = relative.LastIndexOf('/'); cut > 0; cut = relative.LastIndexOf('/', cut - 1))
            {
                if (!folders.Add(relative[..cut]))
                {
                    break;
                }
            }
        }
        var seen = 0;
        var pending = new Stack<(string Path, string Relative)>();
        pending.Push((live, ""));
        while (pending.Count > 0)
        {
            var (directory, prefix) = pending.Pop();
            foreach (var path in Directory.EnumerateFileSystemEntries(directory))
            {
                var relative = prefix + Path.GetFileName(path);
                var info = new FileInfo(path);
                if (info.LinkTarget is { } target)
                {
                    if (!planned.TryGetValue(relative, out var item) || item.LinkTarget != target)
                    {
                        return false;
                    }
                    seen++;
                }
                else if (Directory.Exists(path))
                {
                    if (!folders.Contains(relative))
                    {
                        return false;
                    }
                    pending.Push((path, relative + "/"));
                }
                else
                {
                    if (!planned.TryGetValue(relative, out var item) || item.Content is not { } content || info.Length != content.Length
                        || !File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
                    {
                        return false;
                    }
                    seen++;
                }
            }
        }
        return seen == planned.Count;
    }

    private static SkippedEntry Skip(OutputEntry entry, string reason) => new(entry.Rank, entry.ServerItemId, entry.Title, reason);

    private sealed class SkipException(string message) : Exception(message);

    // Links point at the server's paths, not Aperture's: the media server is the one that follows them. Aperture
    // reads the mapped local paths only to check the media exists and to find its sidecar files.
    private List<Planned> PlanLinks(OutputEntry entry, string folder)
    {
        if (string.IsNullOrWhiteSpace(entry.ServerPath))
        {
            throw new SkipException("the media server gave no path for it");
        }
        var serverPath = entry.ServerPath.Trim();
        var local = mapper.ToLocal(serverPath);
        if (Directory.Exists(local))
        {
            // A series, or a disc-structure movie (BDMV, VIDEO_TS). The title folder stays ours, so the NFO with the
            // rank lives under the root and never in the media folder; linking each child (season folders, episode
            // files, artwork) keeps the structure Jellyfin and Emby scan, since both follow links while scanning.
            return PlanChildren(local, serverPath);
        }
        if (entry.Kind == MediaKind.Series || !File.Exists(local))
        {
            throw new MappedPathNotFoundException(serverPath, local);
        }

        var plan = new List<Planned>();
        var extension = SafeName.Clean(Path.GetExtension(local).TrimStart('.'), 16, "") is { Length: > 0 } ext ? "." + ext : "";
        plan.Add(new Planned(SafeName.FileName(folder + extension), serverPath, false, null));
        var directory = Path.GetDirectoryName(local)!;
        var videoName = Path.GetFileName(local);
        var stem = Path.GetFileNameWithoutExtension(local);
        var siblings = Directory.EnumerateFileSystemEntries(directory).Select(p => (Path: p, Name: Path.GetFileName(p)))
            .Where(s => s.Name != videoName).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        var alone = !siblings.Any(s => VideoExtensions.Contains(Path.GetExtension(s.Name)) && File.Exists(s.Path));
        var names = new HashSet<string>(plan.Select(p => p.RelativePath), StringComparer.OrdinalIgnoreCase);
        foreach (var (path, name) in siblings)
        {
            var isDirectory = Directory.Exists(path);
            string? linkName = null;
            if (!isDirectory && name.Length > stem.Length && name.StartsWith(stem, StringComparison.Ordinal) && name[stem.Length] is '.' or '-'
                && SidecarExtensions.Contains(Path.GetExtension(name)))
            {
                linkName = SafeName.FileName(folder + name[stem.Length..]);
            }
            else if (alone && FolderExtras.Contains(name))
            {
                linkName = SafeName.FileName(name);
            }
            if (linkName is not null && names.Add(linkName))
            {
                plan.Add(new Planned(linkName, ServerSibling(serverPath, name), isDirectory, null));
            }
        }
        return plan;
    }

    private static List<Planned> PlanChildren(string localFolder, string serverFolder)
    {
        var plan = new List<Planned>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Nfo.MovieFile, Nfo.SeriesFile };
        foreach (var path in Directory.EnumerateFileSystemEntries(localFolder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            // Hidden entries and NAS metadata folders (@eaDir) are not media; the server's own NFO is replaced by ours.
            if (name.StartsWith('.') || name.StartsWith('@') || name.Equals(Nfo.MovieFile, StringComparison.OrdinalIgnoreCase)
                || name.Equals(Nfo.SeriesFile, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var linkName = SafeName.FileName(name);
            if (names.Add(linkName))
            {
                plan.Add(new Planned(linkName, ServerChild(serverFolder, name), Directory.Exists(path), null));
            }
        }
        if (plan.Count == 0)
        {
            throw new SkipException($"{localFolder} is empty");
        }
        return plan;
    }

    private static List<Planned> PlanStrm(OutputEntry entry, string folder, IStreamUrlBuilder streamUrls)
    {
        if (entry.Kind == MediaKind.Movie)
        {
            return [new Planned(folder + ".strm", null, false, StrmContent(streamUrls.StreamUrl(entry.ServerItemId, entry.ServerPath)))];
        }
        if (entry.Episodes.Count == 0)
        {
            throw new SkipException("no episodes are known for it");
        }
        var plan = new List<Planned>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var ordered = entry.Episodes
            .OrderBy(e => e.Season ?? int.MaxValue).ThenBy(e => e.Episode ?? int.MaxValue).ThenBy(e => e.ServerItemId, StringComparer.Ordinal);
        foreach (var episode in ordered)
        {
            var seasonFolder = episode.Season is { } s ? $"Season {s:D2}" : null;
            var baseName = episode is { Season: { } season, Episode: { } number }
                ? $"S{season:D2}E{number:D2}"
                : SafeName.Clean(episode.Name, 100, "Episode");
            var name = baseName + ".strm";
            // Two files for one episode number (versions, double entries) each keep their own file.
            foreach (var candidate in (string[])[name, $"{baseName} [{SafeName.ShortId(episode.ServerItemId)}].strm", $"{baseName} [{SafeName.Clean(episode.ServerItemId, 64)}].strm"])
            {
                var relative = seasonFolder is null ? candidate : Path.Combine(seasonFolder, candidate);
                if (names.Add(relative))
                {
                    plan.Add(new Planned(relative, null, false, StrmContent(streamUrls.StreamUrl(episode.ServerItemId, null))));
                    break;
                }
            }
        }
        return plan;
    }

    private static byte[] StrmContent(string url) => Encoding.UTF8.GetBytes(url + "\n");

    private static string ServerSibling(string serverFile, string name)
    {
        var cut = serverFile.LastIndexOfAny(['/', '\\']);
        return cut < 0 ? name : serverFile[..(cut + 1)] + name;
    }

    private static string ServerChild(string serverFolder, string name)
    {
        var separator = serverFolder.Contains('\\', StringComparison.Ordinal) && !serverFolder.Contains('/', StringComparison.Ordinal) ? '\\' : '/';
        return serverFolder.TrimEnd('/', '\\') + separator + name;
    }

    private static string SiblingPath(string live, string kind) =>
        Path.Combine(Path.GetDirectoryName(live)!, $".{Path.GetFileName(live)}.aperture-{kind}-{Guid.NewGuid():N}");

    private static bool IsSibling(string live, string name, string kind) =>
        SiblingPattern().Match(name) is { Success: true } m && m.Groups["name"].Value == Path.GetFileName(live) && m.Groups["kind"].Value == kind;

    [GeneratedRegex(@"^\.(?<name>.+)\.aperture-(?<kind>new|old)-[0-9a-f]{32}$")]
    private static partial Regex SiblingPattern();

    // Leftovers of a killed process: a new folder never swapped in is dropped; an old library moved aside but
    // not replaced is put back, so the server keeps the last good library even if this run fails too.
    private void RecoverAndClean(OutputFileSystem files, string live)
    {
        var parent = Path.GetDirectoryName(live)!;
        var leftovers = Directory.EnumerateFileSystemEntries(parent).Select(p => (Path: p, Name: Path.GetFileName(p))).ToList();
        if (!Directory.Exists(live) && !OutputFileSystem.IsLink(live))
        {
            var old = leftovers.Where(l => IsSibling(live, l.Name, "old") && !OutputFileSystem.IsLink(l.Path))
                .OrderByDescending(l => Directory.GetLastWriteTimeUtc(l.Path)).FirstOrDefault();
            if (old.Path is not null)
            {
                Directory.Move(old.Path, live);
                logger.LogWarning("Restored {Library} from an interrupted swap", live);
            }
        }
        foreach (var (path, name) in leftovers)
        {
            if ((IsSibling(live, name, "new") || IsSibling(live, name, "old")) && (Directory.Exists(path) || OutputFileSystem.IsLink(path)))
            {
                files.DeleteTree(path);
            }
        }
    }

    private void Swap(OutputFileSystem files, string live, string temp)
    {
        if (!Directory.Exists(live))
        {
            Directory.Move(temp, live);
            return;
        }
        var aside = SiblingPath(live, "old");
        Directory.Move(live, aside);
        try
        {
            Directory.Move(temp, live);
        }
        catch
        {
            Directory.Move(aside, live);
            throw;
        }
        try
        {
            files.DeleteTree(aside);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The new library is in place; the next run removes the leftover.
            logger.LogWarning(e, "Could not remove the previous copy of {Library}", live);
        }
    }
}
