namespace Aperture;

// Thrown for a configuration problem the admin must fix; Program prints its message as one line.
public sealed class StartupException : Exception
{
    public StartupException(string message) : base(message) { }
    public StartupException(string message, Exception inner) : base(message, inner) { }
    public StartupException() { }

    public static StartupException? Find(Exception? e) => e switch
    {
        null => null,
        StartupException s => s,
        // A bad setting found by an options validator at start (MEDIA_SERVER_STRM_ROOT, …): its own words, one line.
        Microsoft.Extensions.Options.OptionsValidationException o => new StartupException(string.Join("; ", o.Failures), o),
        AggregateException a => a.InnerExceptions.Select(Find).FirstOrDefault(x => x is not null),
        _ => Find(e.InnerException),
    };
}
