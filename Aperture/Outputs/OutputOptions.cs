using Aperture.Data;

namespace Aperture.Outputs;

// The output root and how the media server sees it and its own media. Bound from the original's variables.
public sealed class OutputOptions
{
    // MEDIA_SERVER_STRM_ROOT: the folder Aperture writes (and the only one it writes or deletes in).
    public string StrmRoot { get; set; } = "/strm";

    // AI_LIBRARY_PATH_PREFIX: the same folder as the media server sees it; empty = the same path.
    public string? LibraryPathPrefix { get; set; }

    // AI_LIBRARY_NAME_PREFIX: per-user folders and libraries are named prefix + user name.
    public string LibraryNamePrefix { get; set; } = "AI Picks - ";

    // MEDIA_SERVER_LIBRARY_ROOT: "serverPrefix=localPrefix;..." (see PathMapper); empty = the same paths.
    public string? LibraryRoot { get; set; }

    // STRM_USE_STREAMING_URL: true makes .strm files with stream URLs the output instead of symlinks. Admin › Outputs
    // chooses per kind (this one for movies); the variable sets both.
    public bool UseStreamingUrl { get; set; }

    public bool SeriesUseStreamingUrl { get; set; }

    public string ServerRoot => string.IsNullOrWhiteSpace(LibraryPathPrefix) ? StrmRoot : LibraryPathPrefix;

    public OutputMode ModeFor(MediaKind kind) => (kind == MediaKind.Movie ? UseStreamingUrl : SeriesUseStreamingUrl) ? OutputMode.Strm : OutputMode.Symlink;

    public static void Bind(OutputOptions options, IConfiguration configuration)
    {
        if (configuration["MEDIA_SERVER_STRM_ROOT"] is { Length: > 0 } root)
        {
            options.StrmRoot = root;
        }
        if (configuration["AI_LIBRARY_PATH_PREFIX"] is { Length: > 0 } prefix)
        {
            options.LibraryPathPrefix = prefix;
        }
        // An empty prefix is a valid choice ("alice"), so only an absent variable keeps the default.
        if (configuration["AI_LIBRARY_NAME_PREFIX"] is { } namePrefix)
        {
            options.LibraryNamePrefix = namePrefix;
        }
        if (configuration["MEDIA_SERVER_LIBRARY_ROOT"] is { Length: > 0 } mapping)
        {
            options.LibraryRoot = mapping;
        }
        if (configuration["STRM_USE_STREAMING_URL"] is { Length: > 0 } streaming)
        {
            options.UseStreamingUrl = streaming.Trim().ToLowerInvariant() is "true" or "1" or "yes" or "on";
            options.SeriesUseStreamingUrl = options.UseStreamingUrl;
        }
    }

    // Null when valid, otherwise what is wrong, naming the variable.
    public string? Validate()
    {
        if (!Path.IsPathFullyQualified(StrmRoot))
        {
            return $"MEDIA_SERVER_STRM_ROOT must be an absolute path (got \"{StrmRoot}\")";
        }
        if (Path.GetFullPath(StrmRoot) == Path.GetPathRoot(Path.GetFullPath(StrmRoot)))
        {
            return "MEDIA_SERVER_STRM_ROOT must not be the file-system root";
        }
        try
        {
            PathMapper.Parse(LibraryRoot);
        }
        catch (FormatException e)
        {
            return $"MEDIA_SERVER_LIBRARY_ROOT: {e.Message}";
        }
        return null;
    }
}
