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

    // Where Admin › Database puts an uploaded backup once it has been checked; the next start restores it (see ApplyPendingAsync).
    public const string PendingFileName = "restore-pending.zip";

    public static string PendingPath(AppPaths paths) => Path.Combine(paths.DataDirectory, PendingFileName);

    private const string PostgresRefusal = "This install uses PostgreSQL: restore its database with pg_restore (or psql) from your pg_dump; " +
        "the key ring lives in that database, so the dump brings it back too.";

    public static async Task<string> RestoreAsync(string archive, AppPaths paths, DatabaseTarget target, CancellationToken ct)
    {
        if (!File.Exists(archive))
        {
            throw new RestoreException($"There is no backup at {archive}.");
        }
        if (target.Provider != DatabaseProvider.Sqlite)
        {
            throw new RestoreException(PostgresRefusal);
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
        return await ApplyAsync(archive, Path.GetFileName(archive), paths, target, ct);
    }

    // Admin › Database › Restore: the upload is checked as a restore would check it (an Aperture backup of a SQLite install, its
    // database intact, a key ring in it) and kept as the pending restore, which the next start applies before it opens the
    // database. Nothing of the running install changes; a file that fails a check is deleted and the message says why.
    public static async Task<BackupManifest> StageAsync(Stream upload, string uploadName, AppPaths paths, DatabaseTarget target, CancellationToken ct)
    {
        if (target.Provider != DatabaseProvider.Sqlite)
        {
            throw new RestoreException(PostgresRefusal);
        }
        var received = Path.Combine(paths.DataDirectory, ".restore-upload-" + Guid.NewGuid().ToString("N") + ".zip");
        var staged = Path.Combine(paths.DataDirectory, ".restore-check-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            await using (var file = new FileStream(received, FileMode.CreateNew, FileAccess.Write))
            {
                await upload.CopyToAsync(file, ct);
            }
            var (manifest, _) = await ReadArchiveAsync(received, uploadName, staged, ct);
            File.Move(received, PendingPath(paths), overwrite: true);
            return manifest;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(received);
            DeleteWithSidecars(staged);
        }
    }

    // The staged restore, if any, and when it was staged.
    public static DateTimeOffset? Pending(AppPaths paths) =>
        File.Exists(PendingPath(paths)) ? new DateTimeOffset(File.GetLastWriteTimeUtc(PendingPath(paths)), TimeSpan.Zero) : null;

    public static bool CancelPending(AppPaths paths)
    {
        var path = PendingPath(paths);
        if (!File.Exists(path))
        {
            return false;
        }
        File.Delete(path);
        return true;
    }

    // At start, holding the data folder's lock and before the database is opened: the staged backup replaces the database and
    // key ring (the previous ones move aside) and the archive moves aside with them. One that no longer passes the checks is
    // renamed restore-refused-….zip and the install starts on its current database.
    internal static async Task<string?> ApplyPendingAsync(AppPaths paths, DatabaseTarget target, ILogger logger, CancellationToken ct)
    {
        var pending = PendingPath(paths);
        if (!File.Exists(pending))
        {
            return null;
        }
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        try
        {
            if (target.Provider != DatabaseProvider.Sqlite)
            {
                throw new RestoreException(PostgresRefusal);
            }
            var summary = await ApplyAsync(pending, "the staged backup", paths, target, ct);
            var aside = Directory.GetDirectories(paths.DataDirectory, "before-restore-*").OrderDescending(StringComparer.Ordinal).First();
            File.Move(pending, Path.Combine(aside, "restored-backup.zip"));
            logger.LogWarning("Applied the restore staged in Admin › Database: {Summary}", summary);
            return summary;
        }
        catch (RestoreException e)
        {
            var refused = Path.Combine(paths.DataDirectory, $"restore-refused-{stamp}.zip");
            File.Move(pending, refused);
            logger.LogError("The restore staged in Admin › Database was not applied, the current database stays: {Error} (the file is now {File})", e.Message, refused);
            return null;
        }
    }

    private static async Task<string> ApplyAsync(string archive, string archiveName, AppPaths paths, DatabaseTarget target, CancellationToken ct)
    {
        var databaseFile = new SqliteConnectionStringBuilder(target.ConnectionString).DataSource;
        var staged = Path.Combine(paths.DataDirectory, ".restore-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            var (_, keys) = await ReadArchiveAsync(archive, archiveName, staged, ct);

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
            return $"Restored {archiveName} into {paths.DataDirectory} (database and {keys.Count} key(s)); " +
                $"the previous database and key ring are in {aside}. Start Aperture to use it.";
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            DeleteWithSidecars(staged);
        }
    }

    // Every check a restore makes, before anything is touched: the database is copied out to staged and checked there.
    private static async Task<(BackupManifest Manifest, List<(string Name, byte[] Xml)> Keys)> ReadArchiveAsync(string archive, string archiveName,
        string staged, CancellationToken ct)
    {
        var keys = new List<(string Name, byte[] Xml)>();
        BackupManifest manifest;
        await using (var stream = File.OpenRead(archive))
        using (var zip = OpenArchive(stream))
        {
            manifest = await ReadManifestAsync(zip, ct);
            if (!manifest.HasDatabase || zip.GetEntry(DatabaseBackup.DatabaseEntry) is not { } database)
            {
                throw new RestoreException($"{archiveName} holds no database (it was taken from a {manifest.Provider} install).");
            }
            try
            {
                await using var entry = await database.OpenAsync(ct);
                await using var file = new FileStream(staged, FileMode.CreateNew, FileAccess.Write);
                await entry.CopyToAsync(file, ct);
            }
            catch (InvalidDataException e)
            {
                throw new RestoreException($"The database in {archiveName} is damaged ({e.Message}).");
            }
            foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith(DatabaseBackup.KeysPrefix, StringComparison.Ordinal)))
            {
                // Only plain file names below keys/: an archive cannot place a file anywhere else.
                var name = entry.FullName[DatabaseBackup.KeysPrefix.Length..];
                if (name.Length == 0 || name != Path.GetFileName(name) || !name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
                {
                    throw new RestoreException($"{archiveName} has an unexpected entry {entry.FullName}.");
                }
                try
                {
                    await using var content = await entry.OpenAsync(ct);
                    using var buffer = new MemoryStream();
                    await content.CopyToAsync(buffer, ct);
                    keys.Add((name, buffer.ToArray()));
                }
                catch (InvalidDataException e)
                {
                    throw new RestoreException($"The key {entry.FullName} in {archiveName} is damaged ({e.Message}).");
                }
            }
            if (keys.Count == 0)
            {
                throw new RestoreException($"{archiveName} holds no key ring: its stored secrets could not be decrypted.");
            }
        }
        await CheckDatabaseAsync(staged, archiveName, ct);
        return (manifest, keys);
    }

    // The checked copy and whatever SQLite kept beside it while it was read (a journal, a WAL of a database in WAL mode).
    private static void DeleteWithSidecars(string database)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(database + suffix);
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
        catch (Exception e) when (e is JsonException or InvalidDataException)
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
