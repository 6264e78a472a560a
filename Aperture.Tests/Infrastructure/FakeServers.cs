using Aperture.Fakes;
using Aperture.Tests.Infrastructure;
using Aperture.MediaServers;

namespace Aperture.Tests.Infrastructure;

// The server releases every media-server test that is not about one release runs against.
public static class FakeServers
{
    public static TheoryData<FakeServerVersion> All => new() { FakeServerVersion.Jellyfin10_11, FakeServerVersion.Jellyfin12_0, FakeServerVersion.Emby4_8 };

    public static TheoryData<FakeServerVersion> Jellyfin => new() { FakeServerVersion.Jellyfin10_11, FakeServerVersion.Jellyfin12_0 };

    public static FakeDialect Dialect(this FakeServerVersion version) => version == FakeServerVersion.Emby4_8 ? FakeDialect.Emby : FakeDialect.Jellyfin;

    // A client speaking to the fake with its API key, as the app's jobs do.
    public static MediaServerClient ClientFor(FakeMediaServer server) =>
        new(new HttpClient(), new MediaServerConnection(
            server.Dialect == FakeDialect.Emby ? MediaServerType.Emby : MediaServerType.Jellyfin, new Uri(server.BaseUrl), server.ApiKey));
}
