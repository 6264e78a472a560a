using System.Text.Json;

namespace Aperture.Fakes;

// Every call any fake in this process receives, appended as one JSON line to a file in the folder named by
// APERTURE_CONTRACT_JOURNAL, so that a contract test run after the whole suite (test.sh's last step) can check every
// request the app sent against the real servers' API descriptions. Off when the variable is not set.
public static class ContractJournal
{
    public const string FolderVariable = "APERTURE_CONTRACT_JOURNAL";

    private static readonly Lock Sync = new();
    private static readonly JsonSerializerOptions Json = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
    private static StreamWriter? writer;
    private static bool opened;

    public static string? Folder => Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } folder ? folder : null;

    internal static void Append(FakeDialect dialect, string version, RecordedCall call, string? client)
    {
        if (Folder is not { } folder)
        {
            return;
        }
        var line = JsonSerializer.Serialize(new JournalEntry(dialect, version, client, call.Method, call.Path, call.QueryString, call.Body, call.Token is not null, call.Status), Json);
        lock (Sync)
        {
            if (!opened)
            {
                opened = true;
                Directory.CreateDirectory(folder);
                // One file per process: the test runs of one suite (both projects, both databases) run one after another
                // or side by side, and none may interleave half lines with another.
                var path = Path.Combine(folder, $"calls-{Environment.ProcessId}-{Guid.NewGuid():N}.jsonl");
                writer = new StreamWriter(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
            }
            writer?.WriteLine(line);
        }
    }

    // What a journal line holds; ContractJournal.Read gives them back.
    // HasToken, not the token: the journal sits in test-output/ and must hold no secret. Client is the Client= field of the
    // caller's authorization header ("Aperture" for the app, "Aperture.Tests" for a test poking the fake directly).
    public sealed record JournalEntry(FakeDialect Dialect, string Version, string? Client, string Method, string Path, string QueryString, string Body, bool HasToken, int Status);

    public static IReadOnlyList<JournalEntry> Read(string folder)
    {
        var entries = new List<JournalEntry>();
        foreach (var file in Directory.EnumerateFiles(folder, "calls-*.jsonl"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.Length > 0)
                {
                    entries.Add(JsonSerializer.Deserialize<JournalEntry>(line, Json)
                        ?? throw new InvalidDataException($"{file}: an empty journal line"));
                }
            }
        }
        return entries;
    }
}
