namespace Aperture.Data;

// The schema starts from one migration per provider: the pre-release chain was squashed before the first
// release, so a database made by a pre-release build (or by a newer Aperture) records migrations this build
// does not know. EF would then try to create tables that exist, and fail with a raw SQL error halfway; this
// names the situation and the way out in one line instead, before anything is touched.
public static class MigrationChain
{
    public static string? Problem(IEnumerable<string> applied, IEnumerable<string> known)
    {
        var knownIds = known.ToHashSet(StringComparer.Ordinal);
        var unknown = applied.Where(id => !knownIds.Contains(id)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count == 0)
        {
            return null;
        }
        var newest = knownIds.Max(StringComparer.Ordinal) ?? "";
        return string.CompareOrdinal(unknown[^1], newest) > 0
            ? $"was upgraded by a newer Aperture (it has migration {unknown[^1]}, this build knows up to {newest}); run that release or restore a backup made for this one."
            : $"was made by a pre-release Aperture whose schema steps ({unknown.Count}, e.g. {unknown[0]}) were folded into one at release; " +
              "it cannot be upgraded in place: start this release on an empty database (a new data folder, or a new PostgreSQL database) and run the jobs again.";
    }
}
