using Aperture.Fakes;

namespace Aperture.Tests.Infrastructure;

// One connected app with an admin and alice on a fake Jellyfin (what AppFactory.WithAdminAsync starts), shared by the tests
// of a class (IClassFixture<AdminHost>) that only read, or are refused before anything is stored, so no test's leftovers can
// make another pass or fail. xUnit runs the tests of a class one after another, never two at once on this host. Each test
// signs in its own client: one test signing out cannot end another's session. A test that changes settings, restarts,
// or needs a fresh install starts its own AppFactory instead.
public sealed class AdminHost : IAsyncLifetime
{
    public AppFactory App { get; private set; } = null!;
    public FakeMediaServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await FakeMediaServer.StartAsync(FakeDialect.Jellyfin, b => { b.User("Admin", "pw", admin: true); b.User("alice", "pw"); });
        App = new AppFactory();
        await App.ConnectAsync(Server);
    }

    public Task<HttpClient> AdminClientAsync() => App.SignedInClientAsync("Admin", "pw");

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
