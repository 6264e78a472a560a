using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aperture.Settings;

// A stored JSON setting that cannot be read. Its text stays in the database as it was.
public sealed class StoredSettingException(string key, string message) : Exception(message)
{
    public string Key { get; } = key;
}

// Settings kept as one JSON value (recommendation and Top Picks tuning, Top Picks' server ids, library access state).
// Their own serializer, not the API's: a row written by an older or newer release must still load, so unknown members are
// ignored and missing ones take their defaults. A row that still cannot be read is never replaced behind the admin's back:
// the error names the key, jobs that need it fail, pages show the defaults in memory, and an explicit save keeps the old
// text beside the new value under "{key}.unreadable".
public sealed class JsonSettings(SettingsStore store, ILogger<JsonSettings> logger)
{
    public const string UnreadableSuffix = ".unreadable";

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    // The stored value, or defaults when nothing is stored; throws StoredSettingException when the stored text is unreadable.
    public async Task<T> GetAsync<T>(SettingKey key, Func<T> defaults, CancellationToken ct)
    {
        var (value, error) = await ReadAsync(key, defaults, ct);
        return error is null ? value : throw new StoredSettingException(key.Key, error);
    }

    // For pages and edits: the stored value, or the defaults (in memory only) when the stored text is unreadable.
    public async Task<T> GetOrDefaultsAsync<T>(SettingKey key, Func<T> defaults, CancellationToken ct) =>
        (await ReadAsync(key, defaults, ct)).Value;

    // Stages the new value (call SettingsStore.SaveAsync to commit). Unreadable stored text is set aside first, never lost.
    public async Task SetAsync<T>(SettingKey key, T value, CancellationToken ct)
    {
        var stored = (await store.GetAsync(key, ct)).Value;
        if (!string.IsNullOrEmpty(stored) && TryParse<T>(stored, out _) is not null)
        {
            await store.SetAsync(new SettingKey(key.Key + UnreadableSuffix), stored, ct);
            logger.LogWarning("The unreadable stored setting {Key} was replaced by a save; its old text is kept as {Kept}", key.Key, key.Key + UnreadableSuffix);
        }
        await store.SetAsync(key, Serialize(value), ct);
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    private async Task<(T Value, string? Error)> ReadAsync<T>(SettingKey key, Func<T> defaults, CancellationToken ct)
    {
        var stored = (await store.GetAsync(key, ct)).Value;
        if (string.IsNullOrEmpty(stored))
        {
            return (defaults(), null);
        }
        if (TryParse<T>(stored, out var value) is { } problem)
        {
            var error = $"The stored setting '{key.Key}' cannot be read ({problem}); it is kept as it was. " +
                "Save the setting again to replace it (the old text is kept as '" + key.Key + UnreadableSuffix + "').";
            logger.LogError("The stored setting {Key} cannot be read ({Problem}); it is kept as it was and not replaced by defaults", key.Key, problem);
            return (defaults(), error);
        }
        return (value ?? defaults(), null);
    }

    private static string? TryParse<T>(string text, out T? value)
    {
        try
        {
            value = JsonSerializer.Deserialize<T>(text, Options);
            return null;
        }
        catch (JsonException e)
        {
            value = default;
            return $"{e.Path}: {e.Message.Split('\n')[0].Trim()}";
        }
    }
}
