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
