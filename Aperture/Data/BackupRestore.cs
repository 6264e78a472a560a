using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Aperture.Data;

// `Aperture restore <backup.zip>` (e.g. `dotnet run --project Aperture -- restore data/backups/aperture-backup-….zip`), on a
// stopped instance: it takes the data folder's lock, so it refuses while an Aperture runs there, checks the archive's database
// (SQLite's integrity check, Aperture's migrations table) before touching anything, moves the current database and key ring
// aside into {data}/before-restore-{time}/ (nothing is lost), then puts the backup's in place. The next start runs on it.
public static class BackupRestore
{
    private static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunCommandAsync(string[] args)
    {
        if (args is not ["restore", var archive, ..])
        {
            await Console.Error.WriteLineAsync("Usage: Aperture restore <backup.zip>");
            return 2;
        }
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args[2..])
            .Build();
        try
        {
            var paths = AppPaths.FromConfiguration(configuration);
            var target = DatabaseUrl.Resolve(configuration["DATABASE_URL"], paths.DataDirectory);
            var summary = await RestoreAsync(Path.GetFullPath(archive), paths, target, CancellationToken.None);
            await Console.Out.WriteLineAsync(summary);
            return 0;
        }
        catch (Exception e) when (e is RestoreException or StartupException)
        {
            await Console.Error.WriteLineAsync($"Aperture cannot restore: {e.Message}");
            return 1;
        }
    }

    public static async Task<string> RestoreAsync(string archive, AppPaths paths, DatabaseTarget target, CancellationToken ct)
    {
        if (!File.Exists(archive))
        {
            throw new RestoreException($"There is no backup at {archive}.");
        }
        if (target.Provider != DatabaseProvider.Sqlite)
        {
            throw new RestoreException("This install uses PostgreSQL: restore its database with pg_restore (or psql) from your pg_dump; " +
                "the key ring lives in that database, so the dump brings it back too.");
        }

        // The same lock a running instance holds: a restore under a running Aperture would be overwritten or corrupt it.
        var lockPath = Path.Combine(paths.DataDirectory, DatabaseInitializer.LockFileName);
        FileStream folderLock;
        try
        {
            folderLock = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new RestoreException($"An Aperture is running on the data folder {paths.DataDirectory} (it holds {lockPath}); stop it, then restore.");
        }
        await using var _ = folderLock;

        var databaseFile = new SqliteConnectionStringBuilder(target.ConnectionString).DataSource;
        var staged = Path.Combine(paths.DataDirectory, ".restore-" + Guid.NewGuid().ToString("N") + ".db");
        var keys = new List<(string Name, byte[] Xml)>();
        try
        {
            await using (var stream = File.OpenRead(archive))
            using (var zip = OpenArchive(stream))
            {
                var manifest = await ReadManifestAsync(zip, ct);
                if (!manifest.HasDatabase || zip.GetEntry(DatabaseBackup.DatabaseEntry) is not { } database)
                {
                    throw new RestoreException($"{Path.GetFileName(archive)} holds no database (it was taken from a {manifest.Provider} install).");
                }
                await using (var entry = await database.OpenAsync(ct))
                await using (var file = new FileStream(staged, FileMode.CreateNew, FileAccess.Write))
                {
                    await entry.CopyToAsync(file, ct);
                }
                foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith(DatabaseBackup.KeysPrefix, StringComparison.Ordinal)))
                {
                    // Only plain file names below keys/: an archive cannot place a file anywhere else.
                    var name = entry.FullName[DatabaseBackup.KeysPrefix.Length..];
                    if (name.Length == 0 || name != Path.GetFileName(name) || !name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
                    {
                        throw new RestoreException($"{Path.GetFileName(archive)} has an unexpected entry {entry.FullName}.");
                    }
                    await using var content = await entry.OpenAsync(ct);
                    using var buffer = new MemoryStream();
                    await content.CopyToAsync(buffer, ct);
                    keys.Add((name, buffer.ToArray()));
                }
                if (keys.Count == 0)
                {
                    throw new RestoreException($"{Path.GetFileName(archive)} holds no key ring: its stored secrets could not be decrypted.");
                }
            }
            await CheckDatabaseAsync(staged, Path.GetFileName(archive), ct);

            // Nothing is deleted: what was there moves aside first.
            var aside = Path.Combine(paths.DataDirectory, "before-restore-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            Directory.CreateDirectory(aside);
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                if (File.Exists(databaseFile + suffix))
                {
                    File.Move(databaseFile + suffix, Path.Combine(aside, Path.GetFileName(databaseFile) + suffix));
                }
            }
            if (Directory.Exists(paths.KeysDirectory))
            {
                Directory.Move(paths.KeysDirectory, Path.Combine(aside, "keys"));
            }
            Directory.CreateDirectory(paths.KeysDirectory);
            foreach (var (name, xml) in keys)
            {
                await File.WriteAllBytesAsync(Path.Combine(paths.KeysDirectory, name), xml, ct);
            }
            File.Move(staged, databaseFile);
            return $"Restored {Path.GetFileName(archive)} into {paths.DataDirectory} (database and {keys.Count} key(s)); " +
                $"the previous database and key ring are in {aside}. Start Aperture to use it.";
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(staged);
        }
    }

    private static ZipArchive OpenArchive(Stream stream)
    {
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            throw new RestoreException($"The file is not a backup archive ({e.Message}).");
        }
    }

    private static async Task<BackupManifest> ReadManifestAsync(ZipArchive zip, CancellationToken ct)
    {
        var entry = zip.GetEntry(DatabaseBackup.ManifestEntry) ?? throw new RestoreException("The archive has no manifest.json: it is not an Aperture backup.");
        try
        {
            await using var stream = await entry.OpenAsync(ct);
            var manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(stream, ManifestJson, ct);
            return manifest is { Format: DatabaseBackup.Format } ? manifest : throw new RestoreException("The archive's manifest.json is not an Aperture backup's.");
        }
        catch (JsonException e)
        {
            throw new RestoreException($"The archive's manifest.json cannot be read ({e.Message}).");
        }
    }

    private static async Task CheckDatabaseAsync(string file, string archive, CancellationToken ct)
    {
        try
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
            await connection.OpenAsync(ct);
            await using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            var result = (string?)await check.ExecuteScalarAsync(ct);
            if (result != "ok")
            {
                throw new RestoreException($"The database in {archive} is damaged ({result}).");
            }
            check.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory'";
            if (Convert.ToInt64(await check.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) == 0)
            {
                throw new RestoreException($"The database in {archive} is not an Aperture database.");
            }
        }
        catch (SqliteException e)
        {
            throw new RestoreException($"The database in {archive} cannot be read ({e.Message}).");
        }
    }
}

public sealed class RestoreException(string message) : Exception(message);
