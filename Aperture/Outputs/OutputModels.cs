using Aperture.Data;
using Aperture.Wording;

namespace Aperture.Outputs;

// One picked title. ServerPath is the title's media file (movie) or folder (series) as the media server sees it;
// Episodes are only needed for STRM series.
public sealed record OutputEntry(
    int Rank,
    MediaKind Kind,
    string ServerItemId,
    string Title,
    int? Year,
    string? Overview,
    string? ImdbId,
    string? TmdbId,
    string? TvdbId,
    string? ServerPath,
    IReadOnlyList<EpisodeEntry> Episodes,
    string? Why);

public sealed record EpisodeEntry(string ServerItemId, int? Season, int? Episode, string Name);

// A library folder under the output root, '/'-separated, each part already a SafeName
// (e.g. "AI Picks - alice/movies"). One media-server library points at one such folder.
public sealed record OutputLibrary(string FolderName)
{
    // The per-user layout: {AI_LIBRARY_NAME_PREFIX}{user} [{id}]/{movies|series}. The id tag, from the user's server id,
    // is the folder's identity: cleaning makes "u5" and "u5." (or a name with a NUL) the same name, never the same folder.
    public static OutputLibrary ForUser(string namePrefix, string userName, string userIdTag, MediaKind kind) =>
        new($"{SafeName.TitleFolder(namePrefix + userName, null, userIdTag)}/{kind.Slug()}");

    // The user's id as a folder tag: its first 8 characters, or all of it when another user's id starts the same.
    public static string UserIdTag(string userId, IEnumerable<string> allUserIds)
    {
        var shortId = SafeName.ShortId(userId);
        var clash = allUserIds.Any(other => !string.Equals(other, userId, StringComparison.OrdinalIgnoreCase)
            && string.Equals(SafeName.ShortId(other), shortId, StringComparison.OrdinalIgnoreCase));
        return clash ? userId : shortId;
    }

    // A library every user sees (Top Picks): {name}/{movies|series}.
    public static OutputLibrary Shared(string name, MediaKind kind) =>
        new($"{SafeName.Clean(name)}/{kind.Slug()}");

    public IReadOnlyList<string> Segments => FolderName.Split('/');
}

// MissingPath: the server's path of the media that was not found where Aperture looks (a mapping problem).
public sealed record SkippedEntry(int Rank, string ServerItemId, string Title, string Reason, string? MissingPath = null);

// Changed is false when the new content equalled what was already there (nothing was swapped, so the
// media server sees no modification).
public sealed record OutputWriteResult(
    int ItemCount,
    int FilesWritten,
    IReadOnlyList<SkippedEntry> Skipped,
    string LocalPath,
    string ServerPath,
    bool Changed);

// Thrown when a path would leave the output root or pass through a symbolic link inside it.
public sealed class OutputPathException : Exception
{
    public OutputPathException() { }
    public OutputPathException(string message) : base(message) { }
    public OutputPathException(string message, Exception inner) : base(message, inner) { }
}

// Not one of a library's titles could be written (typically: the media is not where Aperture looks for it). The
// previous library is kept as it was.
public sealed class NothingWrittenException(int picks, IReadOnlyList<SkippedEntry> skipped)
    : Exception($"0 of {Plural.Count(picks, "pick")} written: {(skipped.Count > 0 ? skipped[0].Reason : "all were skipped")}")
{
    public int Picks { get; } = picks;
    public IReadOnlyList<SkippedEntry> Skipped { get; } = skipped;
}
