using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Data;

public sealed record BackupFile(string Name, long Bytes, DateTimeOffset CreatedAt);

public sealed record BackupManifest(string Format, int Version, string Provider, DateTimeOffset CreatedAt, bool HasDatabase, int Keys);

// Admin › Database › Backup: one zip under {data}/backups holding a consistent copy of the database (SQLite's online backup, taken
// while the app runs) and the Data Protection key ring that decrypts the stored secrets (media server and OpenAI keys): a copy of the
// database without its keys cannot be read back. On PostgreSQL the database is pg_dump's job; the archive then holds the key ring
// only (it lives in the database there, so a pg_dump has it too, and this copy is for keeping it apart).
public sealed partial class DatabaseBackup(AppPaths paths, DatabaseTarget target, AppDbContext db, TimeProvider time)
{
    public const string Format = "aperture-backup";
    public const string DatabaseEntry = "aperture.db";
    public const string ManifestEntry = "manifest.json";
    public const string KeysPrefix = "keys/";

    private static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Directory => BackupsDirectory(paths);

    public bool IncludesDatabase => target.Provider == DatabaseProvider.Sqlite;

    public static string BackupsDirectory(AppPaths paths) => Path.Combine(paths.DataDirectory, "backups");

    // Only names this class writes can be downloaded: nothing else under the data folder is reachable through them.
    [GeneratedRegex(@"^aperture-backup-\d{8}-\d{6}(-\d+)?\.zip$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    public static bool IsBackupName(string? name) => name is not null && NamePattern().IsMatch(name);

    public IReadOnlyList<BackupFile> List()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }
        return new DirectoryInfo(Directory).EnumerateFiles("aperture-backup-*.zip")
            .Where(f => IsBackupName(f.Name))
            .Select(f => new BackupFile(f.Name, f.Length, new DateTimeOffset(f.LastWriteTimeUtc, TimeSpan.Zero)))
            .OrderByDescending(f => f.Name, StringComparer.Ordinal)
            .ToList();
    }

    public string? PathOf(string name)
    {
        if (!IsBackupName(name))
        {
            return null;
        }
        var path = Path.Combine(Directory, name);
        return File.Exists(path) ? path : null;
    }

    public async Task<BackupFile> CreateAsync(CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var now = time.GetUtcNow();
        var stem = "aperture-backup-" + now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var name = stem + ".zip";
        for (var n = 2; File.Exists(Path.Combine(Directory, name)); n++)
        {
            name = $"{stem}-{n}.zip";
        }
        var final = Path.Combine(Directory, name);
        // Written under a temporary name and renamed: a crash or a full disk never leaves a half archive that looks whole.
        var partial = Path.Combine(Directory, "." + name + ".partial");
        var copy = Path.Combine(Directory, "." + name + ".db");
        try
        {
            var keys = new List<(string Name, string Xml)>();
            if (IncludesDatabase)
            {
                await using (var source = new SqliteConnection(target.ConnectionString))
                await using (var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString()))
                {
                    await source.OpenAsync(ct);
                    await destination.OpenAsync(ct);
                    // The online backup API copies a consistent snapshot while jobs keep writing.
                    source.BackupDatabase(destination);
                }
                foreach (var file in new DirectoryInfo(paths.KeysDirectory).EnumerateFiles("*.xml"))
                {
                    keys.Add((file.Name, await File.ReadAllTextAsync(file.FullName, ct)));
                }
            }
            else
            {
                foreach (var key in await db.DataProtectionKeys.AsNoTracking().ToListAsync(ct))
                {
                    keys.Add(($"{key.FriendlyName ?? "key-" + key.Id.ToString(CultureInfo.InvariantCulture)}.xml", key.Xml ?? ""));
                }
            }

            await using (var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write))
            using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
            {
                var manifest = new BackupManifest(Format, 1, target.Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres", now, IncludesDatabase, keys.Count);
                await using (var entry = await zip.CreateEntry(ManifestEntry).OpenAsync(ct))
                {
                    await JsonSerializer.SerializeAsync(entry, manifest, ManifestJson, ct);
                }
                if (IncludesDatabase)
                {
                    await zip.CreateEntryFromFileAsync(copy, DatabaseEntry, CompressionLevel.Optimal, ct);
                }
                foreach (var (keyName, xml) in keys)
                {
                    await using var entry = new StreamWriter(await zip.CreateEntry(KeysPrefix + SafeKeyName(keyName)).OpenAsync(ct));
                    await entry.WriteAsync(xml.AsMemory(), ct);
                }
            }
            File.Move(partial, final);
        }
        finally
        {
            File.Delete(partial);
            File.Delete(copy);
        }
        var info = new FileInfo(final);
        return new BackupFile(name, info.Length, now);
    }

    private static string SafeKeyName(string name)
    {
        var file = Path.GetFileName(name);
        return file.Length > 0 && file.IndexOfAny(Path.GetInvalidFileNameChars()) < 0 ? file : "key.xml";
    }
}
