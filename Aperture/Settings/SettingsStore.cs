using System.Security.Cryptography;
using Aperture.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Settings;

// A setting stored in the database, defaulting to the original's environment variable.
public sealed record SettingKey(string Key, string? EnvVar = null, bool IsSecret = false);

public enum SettingSource { None, Environment, Database }

public sealed record SettingValue(string? Value, SettingSource Source)
{
    public bool HasValue => !string.IsNullOrEmpty(Value);
}

public static class SettingKeys
{
    public static readonly SettingKey MediaServerType = new("mediaServer.type", "MEDIA_SERVER_TYPE");
    public static readonly SettingKey MediaServerBaseUrl = new("mediaServer.baseUrl", "MEDIA_SERVER_BASE_URL");
    // The address people open the server at, when it differs from the one Aperture reaches it by ("Open in" links).
    public static readonly SettingKey MediaServerPublicUrl = new("mediaServer.publicUrl", "MEDIA_SERVER_PUBLIC_URL");
    public static readonly SettingKey MediaServerApiKey = new("mediaServer.apiKey", "MEDIA_SERVER_API_KEY", IsSecret: true);
    public static readonly SettingKey MediaServerName = new("mediaServer.serverName");
    public static readonly SettingKey MediaServerId = new("mediaServer.serverId");
    public static readonly SettingKey MediaServerVersion = new("mediaServer.version");
    public static readonly SettingKey MediaServerProduct = new("mediaServer.product");
    public static readonly SettingKey OpenAiApiKey = new("openai.apiKey", "OPENAI_API_KEY", IsSecret: true);
    public static readonly SettingKey EmbeddingProvider = new("embeddings.provider");
    public static readonly SettingKey EmbeddingModel = new("embeddings.model", "OPENAI_EMBED_MODEL");
    public static readonly SettingKey EmbeddingBaseUrl = new("embeddings.baseUrl");
    public static readonly SettingKey EmbeddingCompatibleApiKey = new("embeddings.compatibleApiKey", IsSecret: true);
    public static readonly SettingKey TextGenerationProvider = new("textGeneration.provider");
    public static readonly SettingKey TextGenerationModel = new("textGeneration.model");
    public static readonly SettingKey TextGenerationBaseUrl = new("textGeneration.baseUrl");
    public static readonly SettingKey TextGenerationCompatibleApiKey = new("textGeneration.compatibleApiKey", IsSecret: true);
    public static readonly SettingKey TextGenerationLlmPicksPerUser = new("textGeneration.llmPicksPerUser");
    public static readonly SettingKey AppBaseUrl = new("app.baseUrl", "APP_BASE_URL");

    // The vector set searches use per kind, and a counter bumped whenever its vectors change.
    public static SettingKey ActiveEmbeddingModel(Data.MediaKind kind) => new($"embeddings.active.{kind.Slug()}");
    public static SettingKey EmbeddingGeneration(Data.MediaKind kind) => new($"embeddings.generation.{kind.Slug()}");
}

// Values saved from the UI win over the environment; a value cleared in the UI is stored as
// empty so that the environment default does not silently come back.
public sealed class SettingsStore(AppDbContext db, IDataProtectionProvider protection, IConfiguration configuration,
    TimeProvider time, ILogger<SettingsStore> logger)
{
    private readonly IDataProtector protector = protection.CreateProtector("Aperture.Settings.v1");

    public async Task<SettingValue> GetAsync(SettingKey key, CancellationToken ct) =>
        (await GetManyAsync([key], ct))[key];

    // One query for several settings (a page typically needs a group of them).
    public async Task<IReadOnlyDictionary<SettingKey, SettingValue>> GetManyAsync(IReadOnlyCollection<SettingKey> keys, CancellationToken ct)
    {
        var names = keys.Select(k => k.Key).ToList();
        var rows = await db.Settings.AsNoTracking().Where(s => names.Contains(s.Key)).ToDictionaryAsync(s => s.Key, s => s.Value, ct);
        return keys.ToDictionary(key => key, key => Resolve(key, rows.GetValueOrDefault(key.Key)));
    }

    private SettingValue Resolve(SettingKey key, string? stored)
    {
        if (stored is not null)
        {
            return new SettingValue(key.IsSecret ? Unprotect(key, stored) : stored, SettingSource.Database);
        }
        var env = key.EnvVar is null ? null : configuration[key.EnvVar];
        return string.IsNullOrEmpty(env) ? new SettingValue(null, SettingSource.None) : new SettingValue(env, SettingSource.Environment);
    }

    // Stages a change; call SaveAsync (or the context's SaveChangesAsync) to commit it.
    public async Task SetAsync(SettingKey key, string? value, CancellationToken ct)
    {
        var stored = string.IsNullOrEmpty(value) ? "" : key.IsSecret ? protector.Protect(value) : value;
        var row = await db.Settings.FirstOrDefaultAsync(s => s.Key == key.Key, ct);
        if (row is null)
        {
            db.Settings.Add(new Setting { Key = key.Key, Value = stored, IsSecret = key.IsSecret, UpdatedAt = time.GetUtcNow() });
        }
        else
        {
            row.Value = stored;
            row.IsSecret = key.IsSecret;
            row.UpdatedAt = time.GetUtcNow();
        }
    }

    public Task SaveAsync(CancellationToken ct) => db.SaveChangesAsync(ct);

    private string? Unprotect(SettingKey key, string value)
    {
        if (value.Length == 0)
        {
            return null;
        }
        try
        {
            return protector.Unprotect(value);
        }
        catch (CryptographicException)
        {
            // The key ring was replaced (data folder lost or moved): the secret is unreadable, not wrong.
            logger.LogWarning("The stored secret {Key} cannot be decrypted with the current keys; enter it again in the admin settings", key.Key);
            return null;
        }
    }
}
