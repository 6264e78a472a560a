using System.Text.Json;
using Aperture.MediaServers;
using Aperture.Settings;

namespace Aperture.Outputs;

// LibraryAccess with its memory: which users Aperture converted from "all libraries", kept in the settings table so that
// every instance and every run agrees on who gets new real libraries automatically.
public sealed class LibraryAccessService(MediaServerSettings mediaServer, SettingsStore settings, ILogger<LibraryAccessService> logger)
{
    public static readonly SettingKey StateKey = new("outputs.libraryAccess");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<LibraryAccessResult> ApplyAsync(PicksLibraries picks, CancellationToken ct)
    {
        var access = new LibraryAccess(await mediaServer.GetClientAsync(ct));
        var result = await access.ApplyAsync(picks, await LoadStateAsync(ct), ct);
        await settings.SetAsync(StateKey, JsonSerializer.Serialize(new StoredState(result.State.ConvertedUsers), Json), ct);
        await settings.SaveAsync(ct);

        foreach (var user in result.ConvertedNow)
        {
            logger.LogInformation("{User} had access to all libraries; Aperture gave them an explicit list of every real library plus their own picks", user.UserName);
        }
        foreach (var failed in result.Failed)
        {
            logger.LogError("Library access for {User} could not be set: {Error}", failed.UserName, failed.Error);
        }
        return result;
    }

    public async Task<LibraryAccessCheck> CheckAsync(PicksLibraries picks, CancellationToken ct) =>
        await new LibraryAccess(await mediaServer.GetClientAsync(ct)).CheckAsync(picks, ct);

    public async Task<LibraryAccessState> LoadStateAsync(CancellationToken ct)
    {
        var stored = (await settings.GetAsync(StateKey, ct)).Value;
        if (string.IsNullOrEmpty(stored))
        {
            return LibraryAccessState.Empty;
        }
        try
        {
            var state = JsonSerializer.Deserialize<StoredState>(stored, Json);
            return new LibraryAccessState(new Dictionary<string, IReadOnlyList<string>>(
                state?.ConvertedUsers ?? new Dictionary<string, IReadOnlyList<string>>(), StringComparer.OrdinalIgnoreCase));
        }
        catch (JsonException e)
        {
            // Losing this only means converted users stop getting new libraries automatically: say so, do not fail outputs.
            logger.LogWarning("The stored library access state is unreadable ({Error}); new real libraries will not be added automatically until the next conversion", e.Message);
            return LibraryAccessState.Empty;
        }
    }

    private sealed record StoredState(IReadOnlyDictionary<string, IReadOnlyList<string>>? ConvertedUsers);
}

public static class ServerLibrariesExtensions
{
    public static WebApplicationBuilder AddServerLibraries(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<LibraryAccessService>();
        return builder;
    }
}
