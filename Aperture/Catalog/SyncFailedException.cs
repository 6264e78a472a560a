using Aperture.MediaServers;

namespace Aperture.Catalog;

// A sync that stopped: the message says what it was doing and why, for the job history.
public sealed class SyncFailedException : Exception
{
    public SyncFailedException() { }
    public SyncFailedException(string message) : base(message) { }
    public SyncFailedException(string message, Exception inner) : base(message, inner) { }

    public static SyncFailedException While(string doing, MediaServerException cause) =>
        new($"Failed while {doing}: {cause.Message} Nothing was deleted; the previous sync's data is kept.", cause);
}
