namespace Aperture.Tests.Contracts;

// Violations whose fix belongs to another change of issue 12 (the fakes-fidelity work, points 3–6), listed so the contract
// tests stay red for anything else. Each entry must still occur: once that change lands, the stale entry fails the
// contract tests ("no longer happens") and is deleted here. The whole-suite journal check uses the same list.
public static class KnownViolations
{
    public sealed record Pending(ContractServer? Server, ViolationKind Kind, string Where, string DetailContains, string Why);

    // Empty since the fakes-fidelity fixes of issue 12 landed (points 3–6).
    public static readonly IReadOnlyList<Pending> All = [];

    private static bool Covers(Pending p, ContractViolation v) =>
        (p.Server is null || p.Server == v.Server) && p.Kind == v.Kind
        && v.Where.Equals(p.Where, StringComparison.Ordinal) && v.Detail.Contains(p.DetailContains, StringComparison.Ordinal);

    public static IReadOnlyList<ContractViolation> Unexpected(IEnumerable<ContractViolation> violations) =>
        [.. violations.Where(v => !All.Any(p => Covers(p, v)))];

    // The entries for this server and side (requests or response reads) that no longer occur: their fix has landed.
    public static IReadOnlyList<string> Stale(ContractServer server, IEnumerable<ContractViolation> violations, bool responses)
    {
        var seen = violations.ToList();
        return [.. All.Where(p => (p.Server is null || p.Server == server) && (p.Kind == ViolationKind.UnreadResponseProperty) == responses
                && !seen.Any(v => Covers(p, v)))
            .Select(p => $"{p.Kind} {p.Where} no longer happens ({p.Why}): delete it from KnownViolations")];
    }
}
