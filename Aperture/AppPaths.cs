namespace Aperture;

// Where Aperture keeps its files: the SQLite database, Data Protection keys, caches.
public sealed class AppPaths
{
    public AppPaths(string dataDirectory)
    {
        DataDirectory = Path.GetFullPath(dataDirectory);
    }

    public string DataDirectory { get; }
    public string KeysDirectory => Path.Combine(DataDirectory, "keys");

    // The app's own folder is its content root (wwwroot, appsettings.json) wherever it is started from: `dotnet /app/Aperture.dll`
    // from any working directory serves htmx and reads its settings. An explicit --contentRoot or ASPNETCORE_CONTENTROOT wins.
    public static WebApplicationOptions BuilderOptions(string[] args)
    {
        var explicitRoot = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"));
        return explicitRoot ? new WebApplicationOptions { Args = args } : new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory };
    }

    public static AppPaths FromConfiguration(IConfiguration configuration)
    {
        var paths = new AppPaths(configuration["APERTURE_DATA_DIR"] is { Length: > 0 } dir ? dir : "data");
        try
        {
            Directory.CreateDirectory(paths.DataDirectory);
            Directory.CreateDirectory(paths.KeysDirectory);
            // The folder holds the database and the encryption keys: wherever it is (Aperture/data under `dotnet run`,
            // a folder inside someone's checkout), `git add .` must never pick it up.
            var ignore = Path.Combine(paths.DataDirectory, ".gitignore");
            if (!File.Exists(ignore))
            {
                File.WriteAllText(ignore, "# Aperture's data folder: database, encryption keys, caches. Never commit it.\n*\n");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"Cannot create the data folder {paths.DataDirectory} ({e.Message}); set APERTURE_DATA_DIR to a writable folder.", e);
        }
        return paths;
    }
}
