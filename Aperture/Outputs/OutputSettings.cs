using Aperture.Data;
using Aperture.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aperture.Outputs;

// One output setting as Admin › Outputs shows it: the value in force, and the environment variable that sets it, if one
// does (then the page shows it read-only: the environment wins, so a value saved here would not apply).
public sealed record OutputField(string Label, string? Value, string EnvVar, bool FromEnvironment);

public sealed record OutputSettingsView(
    OutputField StrmRoot, OutputField ServerRoot, OutputField LibraryRoot, OutputField MovieMode, OutputField SeriesMode, string DefaultStrmRoot);

// What the admin typed on Admin › Outputs. Null fields are left as they are; an empty string clears a stored value.
public sealed record OutputSettingsInput(string? StrmRoot, string? ServerRoot, string? LibraryRoot, OutputMode? MovieMode, OutputMode? SeriesMode);

// The output settings in force: the environment variables of the original win; otherwise what Admin › Outputs stored;
// otherwise the defaults (output root: /strm in the container image, {data folder}/strm elsewhere, so a bare-metal
// install never writes at the file-system root).
public sealed class OutputSettings(SettingsStore store, IConfiguration configuration, IOptions<OutputOptions> environment, AppPaths paths,
    AppDbContext db, ILoggerFactory loggers)
{
    public const string StrmRootLabel = "Output root";
    public const string ServerRootLabel = "Output root as the media server sees it";
    public const string LibraryRootLabel = "Media path mapping";
    public const string MovieModeLabel = "Movies written as";
    public const string SeriesModeLabel = "Series written as";

    public static readonly SettingKey StrmRootKey = new("outputs.strmRoot");
    public static readonly SettingKey ServerRootKey = new("outputs.serverRoot");
    public static readonly SettingKey LibraryRootKey = new("outputs.libraryRoot");
    public static SettingKey ModeKey(MediaKind kind) => new($"outputs.mode.{kind.Slug()}");

    // The official .NET images set DOTNET_RUNNING_IN_CONTAINER; the Dockerfile makes /strm for the shared mount.
    public string DefaultStrmRoot => string.Equals(configuration["DOTNET_RUNNING_IN_CONTAINER"], "true", StringComparison.OrdinalIgnoreCase)
        ? "/strm"
        : Path.Combine(paths.DataDirectory, "strm");

    public async Task<OutputOptions> GetAsync(CancellationToken ct) => Resolve(await StoredAsync(ct));

    public async Task<OutputSettingsView> ViewAsync(CancellationToken ct)
    {
        var o = await GetAsync(ct);
        return new OutputSettingsView(
            new OutputField(StrmRootLabel, o.StrmRoot, "MEDIA_SERVER_STRM_ROOT", FromEnv("MEDIA_SERVER_STRM_ROOT")),
            new OutputField(ServerRootLabel, o.LibraryPathPrefix, "AI_LIBRARY_PATH_PREFIX", FromEnv("AI_LIBRARY_PATH_PREFIX")),
            new OutputField(LibraryRootLabel, o.LibraryRoot, "MEDIA_SERVER_LIBRARY_ROOT", FromEnv("MEDIA_SERVER_LIBRARY_ROOT")),
            new OutputField(MovieModeLabel, o.ModeFor(MediaKind.Movie).ToString(), "STRM_USE_STREAMING_URL", FromEnv("STRM_USE_STREAMING_URL")),
            new OutputField(SeriesModeLabel, o.ModeFor(MediaKind.Series).ToString(), "STRM_USE_STREAMING_URL", FromEnv("STRM_USE_STREAMING_URL")),
            DefaultStrmRoot);
    }

    // A writer for the settings in force now (a saved change applies to the next run, on every instance).
    public async Task<LibraryWriter> WriterAsync(CancellationToken ct) =>
        new(await GetAsync(ct), loggers.CreateLogger<LibraryWriter>());

    // The settings the input would give (environment still winning), and what is wrong with them, keyed by field
    // ("strmRoot", "serverRoot", "libraryRoot") with messages that name the field's label.
    public async Task<(OutputOptions Options, Dictionary<string, string> Errors)> PreviewAsync(OutputSettingsInput input, CancellationToken ct)
    {
        var stored = await StoredAsync(ct);
        var next = stored with
        {
            StrmRoot = input.StrmRoot is null ? stored.StrmRoot : input.StrmRoot.Trim(),
            ServerRoot = input.ServerRoot is null ? stored.ServerRoot : input.ServerRoot.Trim(),
            LibraryRoot = input.LibraryRoot is null ? stored.LibraryRoot : input.LibraryRoot.Trim(),
            MovieMode = input.MovieMode?.ToString() ?? stored.MovieMode,
            SeriesMode = input.SeriesMode?.ToString() ?? stored.SeriesMode,
        };
        var options = Resolve(next);
        return (options, Validate(options));
    }

    public static Dictionary<string, string> Validate(OutputOptions o)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(o.StrmRoot) || !Path.IsPathFullyQualified(o.StrmRoot))
        {
            errors["strmRoot"] = $"{StrmRootLabel} must be an absolute folder such as /srv/aperture-picks (got \"{o.StrmRoot}\").";
        }
        else if (Path.GetFullPath(o.StrmRoot) == Path.GetPathRoot(Path.GetFullPath(o.StrmRoot)))
        {
            errors["strmRoot"] = $"{StrmRootLabel} must not be the file-system root: Aperture deletes what it no longer needs under it. Choose a folder of its own, such as /srv/aperture-picks.";
        }
        if (!string.IsNullOrWhiteSpace(o.LibraryPathPrefix) && !IsAbsoluteOnAnyServer(o.LibraryPathPrefix))
        {
            errors["serverRoot"] = $"{ServerRootLabel} must be an absolute path on the media server, such as /strm or D:\\picks (got \"{o.LibraryPathPrefix}\").";
        }
        try
        {
            PathMapper.Parse(o.LibraryRoot);
        }
        catch (FormatException e)
        {
            errors["libraryRoot"] = $"{LibraryRootLabel}: {e.Message}.";
        }
        return errors;
    }

    // Saves what the environment does not set. Call after Validate found nothing.
    public async Task SaveAsync(OutputSettingsInput input, CancellationToken ct)
    {
        if (input.StrmRoot is not null && !FromEnv("MEDIA_SERVER_STRM_ROOT"))
        {
            await store.SetAsync(StrmRootKey, input.StrmRoot.Trim(), ct);
        }
        if (input.ServerRoot is not null && !FromEnv("AI_LIBRARY_PATH_PREFIX"))
        {
            await store.SetAsync(ServerRootKey, input.ServerRoot.Trim(), ct);
        }
        if (input.LibraryRoot is not null && !FromEnv("MEDIA_SERVER_LIBRARY_ROOT"))
        {
            await store.SetAsync(LibraryRootKey, input.LibraryRoot.Trim(), ct);
        }
        if (!FromEnv("STRM_USE_STREAMING_URL"))
        {
            if (input.MovieMode is { } movie)
            {
                await store.SetAsync(ModeKey(MediaKind.Movie), movie.ToString(), ct);
            }
            if (input.SeriesMode is { } series)
            {
                await store.SetAsync(ModeKey(MediaKind.Series), series.ToString(), ct);
            }
        }
        await store.SaveAsync(ct);
    }

    // The live check before saving: the output root can be written, and one real title's media is where the mapping
    // says Aperture can read it (symlink mode needs it; STRM mode does not read the media).
    public async Task<OutputCheck> CheckAsync(OutputOptions o, CancellationToken ct)
    {
        var errors = Validate(o);
        if (errors.Count > 0)
        {
            return new OutputCheck(false, errors, null, null, null);
        }
        string? rootProblem = null;
        try
        {
            Directory.CreateDirectory(o.StrmRoot);
            var probe = Path.Combine(o.StrmRoot, $".aperture-write-test-{Guid.NewGuid():N}");
            await File.WriteAllTextAsync(probe, "", ct);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            rootProblem = $"{StrmRootLabel}: Aperture cannot write to {o.StrmRoot} ({e.Message}).";
            errors["strmRoot"] = rootProblem;
        }
        var sample = await SampleAsync(o, ct);
        PathCheck? example = null;
        MappingSuggestion? suggestion = null;
        if (sample is not null)
        {
            var mapper = new PathMapper(o);
            example = mapper.CheckExample(sample.Path);
            if (!example.Exists)
            {
                suggestion = MappingDetector.Suggest(sample.Path, MappingDetector.CandidateRoots(paths.DataDirectory));
                var symlinks = Enum.GetValues<MediaKind>().Any(k => o.ModeFor(k) == OutputMode.Symlink);
                if (symlinks)
                {
                    var here = example.LocalPath == sample.Path ? "Aperture cannot see that path" : $"Aperture looks for it at {example.LocalPath}, which does not exist";
                    errors["libraryRoot"] = $"{LibraryRootLabel}: {sample.Name} is at {sample.Path} on the server, and {here}"
                        + (suggestion is null ? "; mount the media in Aperture and enter serverPrefix=localPrefix." : $"; it was found at {suggestion.LocalPath}, so try {suggestion.Mapping}.");
                }
            }
        }
        return new OutputCheck(errors.Count == 0, errors, sample?.Name, example, suggestion);
    }

    public sealed record Sample(string Name, string Path, MediaKind Kind);

    // One real title of a kind written as symlinks (those need the media readable), else any title with a path.
    public async Task<Sample?> SampleAsync(OutputOptions o, CancellationToken ct)
    {
        var kinds = Enum.GetValues<MediaKind>().Where(k => o.ModeFor(k) == OutputMode.Symlink).ToList();
        var query = db.Titles.AsNoTracking().Where(t => t.Path != null);
        var sample = await query.Where(t => kinds.Contains(t.Kind)).OrderBy(t => t.Id).Select(t => new Sample(t.Name, t.Path!, t.Kind)).FirstOrDefaultAsync(ct)
            ?? await query.OrderBy(t => t.Id).Select(t => new Sample(t.Name, t.Path!, t.Kind)).FirstOrDefaultAsync(ct);
        return sample;
    }

    private bool FromEnv(string name) => !string.IsNullOrEmpty(configuration[name]);

    private sealed record Stored(string? StrmRoot, string? ServerRoot, string? LibraryRoot, string? MovieMode, string? SeriesMode);

    private async Task<Stored> StoredAsync(CancellationToken ct)
    {
        var movieKey = ModeKey(MediaKind.Movie);
        var seriesKey = ModeKey(MediaKind.Series);
        var values = await store.GetManyAsync([StrmRootKey, ServerRootKey, LibraryRootKey, movieKey, seriesKey], ct);
        return new Stored(values[StrmRootKey].Value, values[ServerRootKey].Value, values[LibraryRootKey].Value, values[movieKey].Value, values[seriesKey].Value);
    }

    private OutputOptions Resolve(Stored stored)
    {
        var env = environment.Value;
        var streaming = FromEnv("STRM_USE_STREAMING_URL");
        return new OutputOptions
        {
            StrmRoot = FromEnv("MEDIA_SERVER_STRM_ROOT") ? env.StrmRoot : string.IsNullOrEmpty(stored.StrmRoot) ? DefaultStrmRoot : stored.StrmRoot,
            LibraryPathPrefix = FromEnv("AI_LIBRARY_PATH_PREFIX") ? env.LibraryPathPrefix : NullIfEmpty(stored.ServerRoot),
            LibraryNamePrefix = env.LibraryNamePrefix,
            LibraryRoot = FromEnv("MEDIA_SERVER_LIBRARY_ROOT") ? env.LibraryRoot : NullIfEmpty(stored.LibraryRoot),
            UseStreamingUrl = streaming ? env.UseStreamingUrl : Mode(stored.MovieMode) == OutputMode.Strm,
            SeriesUseStreamingUrl = streaming ? env.UseStreamingUrl : Mode(stored.SeriesMode) == OutputMode.Strm,
        };
    }

    private static OutputMode Mode(string? value) => Enum.TryParse<OutputMode>(value, ignoreCase: true, out var mode) ? mode : OutputMode.Symlink;

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    // The media server may run on another OS than Aperture: /strm, D:\picks and \\nas\picks are all absolute there.
    private static bool IsAbsoluteOnAnyServer(string path) =>
        path.StartsWith('/') || path.StartsWith(@"\\", StringComparison.Ordinal) || (path.Length >= 3 && char.IsAsciiLetter(path[0]) && path[1] == ':' && path[2] is '\\' or '/');
}

public sealed record OutputCheck(bool Ok, IReadOnlyDictionary<string, string> Errors, string? SampleTitle, PathCheck? Example, MappingSuggestion? Suggestion);
