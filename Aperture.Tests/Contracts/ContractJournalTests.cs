using Aperture.Fakes;
using Aperture.MediaServers;

namespace Aperture.Tests.Contracts;

// The whole suite's requests: every fake appends each call to APERTURE_CONTRACT_JOURNAL (test.sh sets it per run), and
// test.sh's last step runs this category alone with APERTURE_CONTRACT_JOURNAL_VERIFY=1 to check all of them at once.
[Trait("Category", Category)]
public sealed class ContractJournalTests
{
    public const string Category = "ContractJournal";
    public const string VerifyVariable = "APERTURE_CONTRACT_JOURNAL_VERIFY";

    [Fact]
    public void Every_request_the_app_sent_during_the_whole_suite_is_one_the_server_knows()
    {
        if (Environment.GetEnvironmentVariable(VerifyVariable) != "1")
        {
            Assert.Skip($"The whole-suite journal is checked by test.sh's contract step ({VerifyVariable}=1 after all runs); "
                + "ClientContractTests checks every operation inside the normal suite.");
        }
        var folder = ContractJournal.Folder;
        Assert.False(folder is null, $"{VerifyVariable}=1 but {ContractJournal.FolderVariable} names no journal folder.");
        Assert.True(Directory.Exists(folder), $"The contract journal folder {folder} does not exist: no fake recorded anything.");
        var entries = ContractJournal.Read(folder);
        Assert.True(entries.Count > 0, $"The contract journal in {folder} is empty: the suite's fakes recorded no call.");

        var violations = ContractChecker.Check(AppCalls(entries));
        var unexpected = KnownViolations.Unexpected(violations);

        Assert.True(unexpected.Count == 0, $"{unexpected.Count} request(s) of the suite break a server contract "
            + $"({string.Join(", ", unexpected.GroupBy(v => v.Server).Select(g => $"{g.Key}: {g.Count()}"))}; {entries.Count} calls checked):\n"
            + ContractChecker.Report(unexpected));
    }

    // Every request Aperture sends names it (Client="Aperture", the detection probe too); tests that poke a fake directly
    // say Client="Aperture.Tests" or send no authorization header (a plain HttpClient fetching an image).
    internal static IEnumerable<ContractCall> AppCalls(IEnumerable<ContractJournal.JournalEntry> entries) =>
        entries.Where(e => e.Client == ClientIdentity.Client)
            .Select(e => new ContractCall(ServerContract.For(e.Dialect, e.Version), e.Method, e.Path, e.QueryString, e.Body, e.HasToken));
}

// Runs in the normal suite: the journal step's filter keeps to the app's own calls.
public sealed class ContractJournalFilterTests
{
    [Fact]
    public void Only_the_apps_own_requests_are_checked_not_a_tests_direct_calls_to_a_fake()
    {
        ContractJournal.JournalEntry Entry(string? client) => new(FakeDialect.Jellyfin, "10.11.11", client, "GET", "/Nope", "", "", true, 404);

        var checkedCalls = ContractJournalTests.AppCalls([Entry(ClientIdentity.Client), Entry("Aperture.Tests"), Entry(null)]).ToList();

        var only = Assert.Single(ContractChecker.Check(checkedCalls));
        Assert.Equal(ViolationKind.UnknownRoute, only.Kind);
    }
}
