using Aperture.Fakes;
using Aperture.MediaServers;

namespace Aperture.Tests.Contracts;

// A fake speaking one supported server version, and the recorded calls as the checker reads them.
public static class ContractServers
{
    public static readonly TheoryData<ContractServer> All = [ContractServer.Jellyfin10_11, ContractServer.Jellyfin12_0, ContractServer.Emby4_8];

    // The fakes' own releases: the version string and Jellyfin 12's auth rules come from FakeServerVersion.
    public static Task<FakeMediaServer> StartAsync(ContractServer server, Action<FakeLibraryBuilder>? seed = null) =>
        FakeMediaServer.StartAsync(server switch
        {
            ContractServer.Jellyfin10_11 => FakeServerVersion.Jellyfin10_11,
            ContractServer.Jellyfin12_0 => FakeServerVersion.Jellyfin12_0,
            _ => FakeServerVersion.Emby4_8,
        }, seed);

    public static MediaServerClient ClientFor(FakeMediaServer fake) =>
        new(new HttpClient(), new MediaServerConnection(
            fake.Dialect == FakeDialect.Emby ? MediaServerType.Emby : MediaServerType.Jellyfin, new Uri(fake.BaseUrl), fake.ApiKey));

    public static IEnumerable<ContractCall> CallsOf(FakeMediaServer fake) =>
        fake.Calls.Select(c => new ContractCall(ServerContract.For(fake.Dialect, fake.Version), c.Method, c.Path, c.QueryString, c.Body, c.Token is not null));

    // A URL the app hands to someone else (a .strm file's stream URL) read as the call it will become.
    public static ContractCall CallOf(ContractServer server, string method, string url)
    {
        var uri = new Uri(url);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query);
        return new ContractCall(server, method, uri.AbsolutePath, uri.Query, "", query.ContainsKey("api_key") || query.ContainsKey("ApiKey"));
    }
}
