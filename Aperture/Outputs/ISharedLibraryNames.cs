namespace Aperture.Outputs;

// The names of the server-wide libraries another feature writes under the output root (Top Picks), so that the
// picks libraries' sync treats them as Aperture's own and not as a user's. Implemented by TopPicksSettings, so
// that Outputs does not depend on TopPicks (which writes through Outputs).
public interface ISharedLibraryNames
{
    Task<IReadOnlyList<string>> SharedLibraryNamesAsync(CancellationToken ct);
}
