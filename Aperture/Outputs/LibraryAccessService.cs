using Aperture.MediaServers;
using Aperture.Settings;

namespace Aperture.Outputs;

// LibraryAccess with its memory: which users Aperture converted from "all libraries", kept in the settings table so that
// every instance and every run agrees on who gets new real libraries automatically.
public sealed class LibraryAccessService(MediaServerSettings mediaServer, SettingsStore settings, JsonSettings json, ILogger<LibraryAccessService> logger)
{
    public static readonly SettingKey StateKey = new("outputs.libraryAccess");

    public async Task<LibraryAccessResult> ApplyAsync(PicksLibraries picks, CancellationToken ct)
    {
        var access = new LibraryAccess(await mediaServer.GetClientAsync(ct));
        var result = await access.ApplyAsync(picks, await LoadStateAsync(ct), ct);
        await json.SetAsync(StateKey, new StoredState(result.State.ConvertedUsers), ct);
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

    // Losing this only means converted users stop getting new libraries automatically: an unreadable state is logged (naming
    // the key) and read as empty, and the next save keeps its text beside the new one.
    public async Task<LibraryAccessState> LoadStateAsync(CancellationToken ct)
    {
        var state = await json.GetOrDefaultsAsync<StoredState?>(StateKey, () => null, ct);
        return new LibraryAccessState(new Dictionary<string, IReadOnlyList<string>>(
            state?.ConvertedUsers ?? new Dictionary<string, IReadOnlyList<string>>(), StringComparer.OrdinalIgnoreCase));
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
