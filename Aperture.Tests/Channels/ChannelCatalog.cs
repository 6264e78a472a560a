using Aperture.Fakes;

namespace Aperture.Tests.Channels;

// A small server for channel tests over HTTP and in the browser: an admin, alice, bob and carol, and two families of
// films whose words leave no doubt which is which ("Night Street n": noir; "Frontier n": westerns).
public static class ChannelCatalog
{
    public static void NoirAndWesterns(FakeLibraryBuilder b, string password = "pw")
    {
        b.User("Admin", password, admin: true);
        b.User("alice", password);
        b.User("bob", password);
        b.User("carol", password);
        b.MovieLibrary("Movies");
        for (var i = 0; i < 6; i++)
        {
            b.Movie($"Night Street {i}", 1945 + i, genres: ["Crime", "Mystery"], overview: $"A noir detective walks the rain {i}.",
                people: [FakePerson.Director("Howard Hawks")], tags: ["noir", "detective"], communityRating: 7, tmdb: $"n{i}");
            b.Movie($"Frontier {i}", 1960 + i, genres: ["Western"], overview: $"A sheriff and an outlaw on the frontier {i}.",
                people: [FakePerson.Director("Sergio Leone")], tags: ["sheriff", "outlaw"], communityRating: 7, tmdb: $"w{i}");
        }
    }
}
