using Aperture.Data;
using Aperture.Outputs;
using Aperture.Settings;

namespace Aperture.TopPicks;

// Unique viewers carry half the score: how many different people chose a title is the popularity signal one person cannot
// inflate. Completion (0.3) separates what people finished from what they gave up on, so a much-sampled flop does not top
// the list. Play count (0.2) rewards rewatches and bingeing but is the easiest to skew (one user replaying a film), so it
// counts least.
public sealed record TopPicksWeights(double UniqueViewers = 0.5, double PlayCount = 0.2, double Completion = 0.3)
{
    public double Sum => UniqueViewers + PlayCount + Completion;
}

public sealed record TopPicksOutputs(bool Library = true, bool Collection = false, bool Playlist = false)
{
    public bool Any => Library || Collection || Playlist;
}

// Per-kind settings (Admin › Top Picks, /api/settings/top-picks), one JSON value per kind; what is not stored takes the
// defaults, so a better default reaches every install that kept it.
public sealed record KindTopPicksSettings
{
    public bool Enabled { get; init; } = true;
    public int WindowDays { get; init; } = 30;
    public TopPicksWeights Weights { get; init; } = new();
    public int MinViewers { get; init; } = 2;
    public int Count { get; init; } = 20;
    public TopPicksOutputs Outputs { get; init; } = new();
    // The media-server library, collection and playlist are all called this. Null: the default for the kind.
    public string? LibraryName { get; init; }

    public static string DefaultLibraryName(MediaKind kind) => kind == MediaKind.Movie ? "Top Picks - Movies" : "Top Picks - Series";

    public string NameFor(MediaKind kind) => string.IsNullOrWhiteSpace(LibraryName) ? DefaultLibraryName(kind) : LibraryName;
}

public sealed record TopPicksWeightsPatch(double? UniqueViewers, double? PlayCount, double? Completion);

public sealed record TopPicksOutputsPatch(bool? Library, bool? Collection, bool? Playlist);

public sealed record TopPicksSettingsPatch(
    bool? Enabled, int? WindowDays, TopPicksWeightsPatch? Weights, int? MinViewers, int? Count, TopPicksOutputsPatch? Outputs, string? LibraryName);

public sealed class TopPicksSettings(JsonSettings json, SettingsStore store, Microsoft.Extensions.Options.IOptions<OutputOptions> outputs) : ISharedLibraryNames
{
    public const int MaxNameLength = 100;

    public static SettingKey Key(MediaKind kind) => new($"topPicks.{kind.Slug()}");

    // For the jobs and the access pass: a stored value that cannot be read fails them (StoredSettingException naming the key)
    // rather than publishing under default names and orphaning the real library, collection and playlist.
    public Task<KindTopPicksSettings> GetAsync(MediaKind kind, CancellationToken ct) =>
        json.GetAsync(Key(kind), () => new KindTopPicksSettings(), ct);

    // For pages and edits: defaults in memory when the stored value cannot be read (it stays stored as it was).
    public Task<KindTopPicksSettings> GetForEditAsync(MediaKind kind, CancellationToken ct) =>
        json.GetOrDefaultsAsync(Key(kind), () => new KindTopPicksSettings(), ct);

    // Validates the patch against the kind's current settings and the other kind's (the two libraries need two names).
    public async Task<(KindTopPicksSettings Result, Dictionary<string, string> Errors)> ApplyAsync(MediaKind kind, TopPicksSettingsPatch patch, CancellationToken ct)
    {
        var other = Enum.GetValues<MediaKind>().Single(k => k != kind);
        return Apply(kind, await GetForEditAsync(kind, ct), patch, (await GetForEditAsync(other, ct)).NameFor(other), outputs.Value.LibraryNamePrefix);
    }

    public static (KindTopPicksSettings Result, Dictionary<string, string> Errors) Apply(MediaKind kind, KindTopPicksSettings current,
        TopPicksSettingsPatch patch, string otherKindName, string picksNamePrefix)
    {
        var errors = new Dictionary<string, string>();
        void Range(double? value, string field, double min, double max)
        {
            if (value is { } v && (double.IsNaN(v) || v < min || v > max))
            {
                errors[field] = $"{field} must be between {min} and {max}.";
            }
        }
        Range(patch.WindowDays, "windowDays", 1, 3650);
        Range(patch.MinViewers, "minViewers", 1, 10_000);
        Range(patch.Count, "count", 1, 500);
        Range(patch.Weights?.UniqueViewers, "weights.uniqueViewers", 0, 10);
        Range(patch.Weights?.PlayCount, "weights.playCount", 0, 10);
        Range(patch.Weights?.Completion, "weights.completion", 0, 10);
        var w = current.Weights;
        var weights = new TopPicksWeights(patch.Weights?.UniqueViewers ?? w.UniqueViewers, patch.Weights?.PlayCount ?? w.PlayCount,
            patch.Weights?.Completion ?? w.Completion);
        if (errors.Count == 0 && weights.Sum <= 0)
        {
            errors["weights.uniqueViewers"] = "At least one of uniqueViewers, playCount and completion must be above 0.";
        }
        string? name = current.LibraryName;
        if (patch.LibraryName is { } given)
        {
            var trimmed = given.Trim();
            if (trimmed.Length == 0)
            {
                name = null;
            }
            else if (trimmed.Length > MaxNameLength || !SafeName.IsSafe(trimmed))
            {
                // The same name goes to the server (library, collection, playlist) as is: it must be a plain name there too.
                errors["libraryName"] = $"libraryName must be a plain name of at most {MaxNameLength} characters: no / or \\, no leading or " +
                    "trailing dots, no control or bidi characters, none of : * ? \" < > |.";
            }
            else
            {
                name = trimmed;
            }
        }
        var result = current with
        {
            Enabled = patch.Enabled ?? current.Enabled,
            WindowDays = patch.WindowDays ?? current.WindowDays,
            Weights = weights,
            MinViewers = patch.MinViewers ?? current.MinViewers,
            Count = patch.Count ?? current.Count,
            Outputs = new TopPicksOutputs(patch.Outputs?.Library ?? current.Outputs.Library, patch.Outputs?.Collection ?? current.Outputs.Collection,
                patch.Outputs?.Playlist ?? current.Outputs.Playlist),
            LibraryName = name,
        };
        if (!errors.ContainsKey("libraryName"))
        {
            var final = result.NameFor(kind);
            if (string.Equals(final, otherKindName, StringComparison.OrdinalIgnoreCase))
            {
                errors["libraryName"] = $"libraryName must differ from the other kind's ('{otherKindName}'): a library holds one kind.";
            }
            else if (picksNamePrefix.Length > 0 && final.StartsWith(picksNamePrefix, StringComparison.OrdinalIgnoreCase))
            {
                // Libraries named with the picks prefix are taken for someone's private picks and hidden from everyone else.
                errors["libraryName"] = $"libraryName must not start with the personal picks prefix '{picksNamePrefix}'.";
            }
        }
        return (result, errors);
    }

    // The Top Picks libraries that exist by setting: what a library-access pass lists as Shared (visible to every user).
    public async Task<IReadOnlyList<string>> SharedLibraryNamesAsync(CancellationToken ct)
    {
        var names = new List<string>();
        foreach (var kind in Enum.GetValues<MediaKind>())
        {
            var s = await GetAsync(kind, ct);
            if (s.Enabled && s.Outputs.Library)
            {
                names.Add(s.NameFor(kind));
            }
        }
        return names;
    }

    public async Task SaveAsync(MediaKind kind, KindTopPicksSettings value, CancellationToken ct)
    {
        await json.SetAsync(Key(kind), value, ct);
        await store.SaveAsync(ct);
    }
}
