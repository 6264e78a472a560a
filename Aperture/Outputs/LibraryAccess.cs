using System.Text.Json.Nodes;
using Aperture.MediaServers;
using Aperture.Wording;

namespace Aperture.Outputs;

// Which libraries are Aperture's: each user's own picks libraries, the shared ones (Top Picks) every user sees, and the name
// prefixes of every library Aperture makes, so that a picks library whose user is gone is never taken for a real library.
// Libraries are named by name or by any of their ids. OwnFoldersByUser: the folders (as the server sees them) each user's picks
// are written to, so that Check access also proves no library points at another user's folder.
public sealed record PicksLibraries(
    IReadOnlyDictionary<string, IReadOnlyList<string>> OwnByUser,
    IReadOnlyList<string> Shared,
    IReadOnlyList<string> ManagedNamePrefixes,
    IReadOnlyDictionary<string, IReadOnlyList<string>> OwnFoldersByUser)
{
    public static PicksLibraries Of(IReadOnlyDictionary<string, IReadOnlyList<string>> ownByUser, IReadOnlyList<string>? shared = null,
        IReadOnlyList<string>? managedNamePrefixes = null, IReadOnlyDictionary<string, IReadOnlyList<string>>? ownFoldersByUser = null) =>
        new(ownByUser, shared ?? [], managedNamePrefixes ?? [], ownFoldersByUser ?? new Dictionary<string, IReadOnlyList<string>>());
}

// What Aperture remembers between runs: the users whose "all libraries" it turned into an explicit list, each with the real
// libraries (access ids) they had been given then. A real library outside that list is new, and is added for them on the
// next apply; one an admin later took away from them stays away.
public sealed record LibraryAccessState(IReadOnlyDictionary<string, IReadOnlyList<string>> ConvertedUsers)
{
    public static LibraryAccessState Empty { get; } = new(new Dictionary<string, IReadOnlyList<string>>());
}

public enum AccessLibraryRole { Real, Picks, Shared }

public sealed record AccessLibrary(string Name, string ItemId, string AccessId, AccessLibraryRole Role, string? OwnerUserId)
{
    public IReadOnlyList<string> Locations { get; init; } = [];
}

// ConvertedNow: the user's policy said "all libraries" (or "all but these") and is now an explicit list of every real
// library plus their own picks. Converted: Aperture keeps that list in step with new real libraries.
public sealed record UserAccessPlan(
    string UserId,
    string UserName,
    bool Changed,
    bool ConvertedNow,
    bool Converted,
    IReadOnlyList<string> EnabledFolders,
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> MissingOwnLibraries);

public sealed record LibraryAccessPlan(IReadOnlyList<AccessLibrary> Libraries, IReadOnlyList<UserAccessPlan> Users, LibraryAccessState NextState);

public sealed record UserAccessResult(string UserId, string UserName, bool Changed, bool ConvertedNow, bool Converted,
    IReadOnlyList<string> Added, IReadOnlyList<string> Removed, string? Error);

public sealed record LibraryAccessResult(IReadOnlyList<UserAccessResult> Users, LibraryAccessState State)
{
    public bool Succeeded => Users.All(u => u.Error is null);
    public IReadOnlyList<UserAccessResult> Failed => [.. Users.Where(u => u.Error is not null)];
    public IReadOnlyList<UserAccessResult> ConvertedNow => [.. Users.Where(u => u.ConvertedNow && u.Error is null)];

    // For jobs: a run where any user's policy was refused fails, naming every such user.
    public void ThrowIfFailed()
    {
        if (!Succeeded)
        {
            throw new LibraryAccessException(
                $"Library access could not be set for {Failed.Count} of {Plural.Count(Users.Count, "user")}: " + string.Join("; ", Failed.Select(f => f.Error)));
        }
    }
}

public sealed record UserAccessCheck(string UserId, string UserName, bool Passed, IReadOnlyList<string> Problems);

public sealed record LibraryAccessCheck(IReadOnlyList<UserAccessCheck> Users)
{
    public bool Passed => Users.All(u => u.Passed);
}

public sealed class LibraryAccessException(string message) : Exception(message)
{
    public LibraryAccessException() : this("Library access could not be set.") { }
    public LibraryAccessException(string message, Exception inner) : this(message + " " + inner.Message) { }
}

// Makes every user's library access private: their own picks libraries and the shared ones, no one else's picks, and the
// real libraries they had. Users whose policy said "all libraries" would see everyone's picks: they get an explicit list of
// every real library instead (MEDIA-SERVER-API.md §6).
public sealed class LibraryAccess(MediaServerClient client)
{
    public async Task<LibraryAccessPlan> PlanAsync(PicksLibraries picks, LibraryAccessState state, CancellationToken ct)
    {
        var users = await client.GetUsersWithPolicyAsync(ct);
        var libraries = await client.GetVirtualFoldersAsync(ct);
        return Plan(client.Connection.Type, users, libraries, picks, state);
    }

    // Writes only the policies that change, each as a whole-policy read-modify-write. A refused update is that user's error;
    // the others are still applied, and the state keeps what that user had before.
    public async Task<LibraryAccessResult> ApplyAsync(PicksLibraries picks, LibraryAccessState state, CancellationToken ct)
    {
        var plan = await PlanAsync(picks, state, ct);
        var next = new Dictionary<string, IReadOnlyList<string>>(plan.NextState.ConvertedUsers, StringComparer.OrdinalIgnoreCase);
        var results = new List<UserAccessResult>();
        foreach (var user in plan.Users)
        {
            string? error = null;
            if (user.Changed)
            {
                try
                {
                    await WritePolicyAsync(user, ct);
                }
                catch (MediaServerException e)
                {
                    error = $"the policy of {user.UserName} ({user.UserId}) was refused: {e.Message}";
                    if (state.ConvertedUsers.TryGetValue(user.UserId, out var before))
                    {
                        next[user.UserId] = before;
                    }
                    else
                    {
                        next.Remove(user.UserId);
                    }
                }
            }
            results.Add(new UserAccessResult(user.UserId, user.UserName, user.Changed, user.ConvertedNow, user.Converted, user.Added, user.Removed, error));
        }
        return new LibraryAccessResult(results, new LibraryAccessState(next));
    }

    // Reads the server back and judges each user by the server's own rules: sees their own picks libraries and the shared
    // ones, sees no other user's picks library.
    public async Task<LibraryAccessCheck> CheckAsync(PicksLibraries picks, CancellationToken ct)
    {
        var users = await client.GetUsersWithPolicyAsync(ct);
        var libraries = Classify(client.Connection.Type, await client.GetVirtualFoldersAsync(ct), picks);
        var names = users.ToDictionary(u => u.Id, u => u.Name, StringComparer.OrdinalIgnoreCase);
        var checks = new List<UserAccessCheck>();
        foreach (var user in users)
        {
            var visible = Visible(user, libraries).Select(l => l.AccessId).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var problems = new List<string>();
            foreach (var wanted in picks.OwnByUser.GetValueOrDefault(user.Id) ?? [])
            {
                var own = Resolve(libraries, wanted);
                if (own is null)
                {
                    problems.Add($"their picks library '{wanted}' is not on the server");
                }
                else if (!visible.Contains(own.AccessId))
                {
                    problems.Add($"does not see their own picks library '{own.Name}'");
                }
            }
            problems.AddRange(FolderProblems(user.Id, libraries, picks, names));
            foreach (var other in libraries.Where(l => l.Role == AccessLibraryRole.Picks && !string.Equals(l.OwnerUserId, user.Id, StringComparison.OrdinalIgnoreCase)))
            {
                if (visible.Contains(other.AccessId))
                {
                    var owner = other.OwnerUserId is { } id ? names.GetValueOrDefault(id, id) : "no current user";
                    problems.Add($"sees '{other.Name}', the picks library of {owner}");
                }
            }
            foreach (var shared in libraries.Where(l => l.Role == AccessLibraryRole.Shared && !visible.Contains(l.AccessId)))
            {
                problems.Add($"does not see the shared library '{shared.Name}'");
            }
            checks.Add(new UserAccessCheck(user.Id, user.Name, problems.Count == 0, problems));
        }
        return new LibraryAccessCheck([.. checks.OrderBy(c => c.UserName, NaturalOrder.Instance)]);
    }

    public static LibraryAccessPlan Plan(MediaServerType type, IReadOnlyList<UserWithPolicyDto> users, IReadOnlyList<VirtualFolderDto> folders,
        PicksLibraries picks, LibraryAccessState state)
    {
        var libraries = Classify(type, folders, picks);
        var real = libraries.Where(l => l.Role == AccessLibraryRole.Real).ToList();
        var shared = libraries.Where(l => l.Role == AccessLibraryRole.Shared).ToList();
        var byAccessId = libraries.ToDictionary(l => LibraryIds.Key(l.AccessId), StringComparer.Ordinal);
        var next = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        var plans = new List<UserAccessPlan>();

        foreach (var user in users)
        {
            var allLibraries = user.EnableAllFolders || user.BlockedMediaFolders.Count > 0;
            var visible = Visible(user, libraries).ToHashSet();
            var keepReal = real.Where(visible.Contains).ToList();
            var wasConverted = state.ConvertedUsers.TryGetValue(user.Id, out var known);
            if (!allLibraries && wasConverted)
            {
                var knownIds = known!.Select(LibraryIds.Key).ToHashSet(StringComparer.Ordinal);
                keepReal.AddRange(real.Where(l => !knownIds.Contains(LibraryIds.Key(l.AccessId)) && !keepReal.Contains(l)));
            }

            var own = new List<AccessLibrary>();
            var missing = new List<string>();
            foreach (var wanted in picks.OwnByUser.GetValueOrDefault(user.Id) ?? [])
            {
                if (Resolve(libraries, wanted) is { } library)
                {
                    own.Add(library);
                }
                else
                {
                    missing.Add(wanted);
                }
            }

            var target = libraries.Where(l => keepReal.Contains(l) || own.Contains(l) || shared.Contains(l)).Select(l => l.AccessId).ToList();
            var current = user.EnabledFolders;
            if (!allLibraries)
            {
                // Ids of nothing on the server (a library removed since) are not Aperture's business: left as they were.
                target.AddRange(current.Where(id => !byAccessId.ContainsKey(LibraryIds.Key(id))));
            }
            var currentSet = current.Select(LibraryIds.Key).ToHashSet(StringComparer.Ordinal);
            var targetSet = target.Select(LibraryIds.Key).ToHashSet(StringComparer.Ordinal);
            var changed = allLibraries || !currentSet.SetEquals(targetSet);
            var before = allLibraries ? visible : libraries.Where(l => currentSet.Contains(LibraryIds.Key(l.AccessId))).ToHashSet();
            var after = libraries.Where(l => targetSet.Contains(LibraryIds.Key(l.AccessId))).ToHashSet();

            var converted = allLibraries || wasConverted;
            if (converted)
            {
                next[user.Id] = [.. real.Select(l => l.AccessId)];
            }
            plans.Add(new UserAccessPlan(user.Id, user.Name, changed, allLibraries, converted, target,
                [.. libraries.Where(l => after.Contains(l) && !before.Contains(l)).Select(l => l.Name)],
                [.. libraries.Where(l => before.Contains(l) && !after.Contains(l)).Select(l => l.Name)],
                missing));
        }
        return new LibraryAccessPlan(libraries, plans, new LibraryAccessState(next));
    }

    // Both servers: a non-empty block list wins (EnabledFolders is then ignored); otherwise "all libraries", or the
    // EnabledFolders list matched by the dialect's id kind (Emby ignores anything but the Guid).
    internal static IEnumerable<AccessLibrary> Visible(UserWithPolicyDto user, IReadOnlyList<AccessLibrary> libraries)
    {
        var blocked = user.BlockedMediaFolders.Select(LibraryIds.Key).ToHashSet(StringComparer.Ordinal);
        if (blocked.Count > 0)
        {
            return libraries.Where(l => !blocked.Contains(LibraryIds.Key(l.AccessId)));
        }
        if (user.EnableAllFolders)
        {
            return libraries;
        }
        var enabled = user.EnabledFolders.Select(LibraryIds.Key).ToHashSet(StringComparer.Ordinal);
        return libraries.Where(l => enabled.Contains(LibraryIds.Key(l.AccessId)));
    }

    internal static IReadOnlyList<AccessLibrary> Classify(MediaServerType type, IReadOnlyList<VirtualFolderDto> folders, PicksLibraries picks)
    {
        var refs = folders.Select(f => (Folder: f, Ref: ServerLibraries.ToRef(type, f))).Where(x => x.Ref is not null).ToList();
        bool Names(VirtualFolderDto f, string wanted) =>
            string.Equals(f.Name, wanted, StringComparison.OrdinalIgnoreCase)
            || new[] { f.ItemId, f.Id, f.Guid }.Any(id => id is not null && LibraryIds.Key(id) == LibraryIds.Key(wanted));

        var result = new List<AccessLibrary>();
        foreach (var (folder, r) in refs)
        {
            var owner = picks.OwnByUser.FirstOrDefault(p => p.Value.Any(w => Names(folder, w))).Key;
            var role = picks.Shared.Any(w => Names(folder, w)) ? AccessLibraryRole.Shared
                : owner is not null || picks.ManagedNamePrefixes.Any(p => p.Length > 0 && r!.Name.StartsWith(p, StringComparison.OrdinalIgnoreCase))
                    ? AccessLibraryRole.Picks
                    : AccessLibraryRole.Real;
            result.Add(new AccessLibrary(r!.Name, r.ItemId, r.AccessId, role, role == AccessLibraryRole.Picks ? owner : null) { Locations = r.Locations });
        }
        return result;
    }

    // A library id proves nothing about the files behind it: each of the user's picks libraries must point only at their own
    // folders, and no folder of theirs may be behind a library that is not theirs.
    private static IEnumerable<string> FolderProblems(string userId, IReadOnlyList<AccessLibrary> libraries, PicksLibraries picks,
        IReadOnlyDictionary<string, string> names)
    {
        var ownFolders = (picks.OwnFoldersByUser.GetValueOrDefault(userId) ?? []).Select(NormPath).ToHashSet(StringComparer.Ordinal);
        if (ownFolders.Count == 0)
        {
            yield break;
        }
        var folderOwner = picks.OwnFoldersByUser
            .SelectMany(p => p.Value.Select(f => (Folder: NormPath(f), User: p.Key)))
            .GroupBy(x => x.Folder, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.User).ToList(), StringComparer.Ordinal);
        string Name(string id) => names.GetValueOrDefault(id, id);
        foreach (var own in libraries.Where(l => l.Role == AccessLibraryRole.Picks && string.Equals(l.OwnerUserId, userId, StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var location in own.Locations)
            {
                var owners = folderOwner.GetValueOrDefault(NormPath(location)) ?? [];
                foreach (var other in owners.Where(o => !string.Equals(o, userId, StringComparison.OrdinalIgnoreCase)))
                {
                    yield return $"their picks library '{own.Name}' points at '{location}', the folder of {Name(other)}";
                }
                if (owners.Count == 0)
                {
                    yield return $"their picks library '{own.Name}' points at '{location}', which is not their picks folder";
                }
            }
        }
        foreach (var other in libraries.Where(l => !string.Equals(l.OwnerUserId, userId, StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var location in other.Locations.Where(l => ownFolders.Contains(NormPath(l))))
            {
                var owner = other.OwnerUserId is { } id ? Name(id) : "no current user";
                yield return $"their folder '{location}' is also behind '{other.Name}' (of {owner})";
            }
        }
    }

    private static string NormPath(string path) => path.Replace('\\', '/').TrimEnd('/');

    private static AccessLibrary? Resolve(IReadOnlyList<AccessLibrary> libraries, string wanted) =>
        libraries.FirstOrDefault(l => string.Equals(l.Name, wanted, StringComparison.OrdinalIgnoreCase))
        ?? libraries.FirstOrDefault(l => LibraryIds.Key(l.ItemId) == LibraryIds.Key(wanted) || LibraryIds.Key(l.AccessId) == LibraryIds.Key(wanted));

    // GUIDs in any form compare as 32 lower-case hex; other ids (Emby's numbers) as they are.
    private Task<bool> WritePolicyAsync(UserAccessPlan user, CancellationToken ct) =>
        client.RewriteUserPolicyAsync(user.UserId, (_, policy) =>
        {
            policy["EnableAllFolders"] = false;
            policy["EnabledFolders"] = new JsonArray([.. user.EnabledFolders.Select(id => (JsonNode)id)]);
            // A non-empty block list makes the server ignore EnabledFolders; what it blocked is already left out of the list.
            policy["BlockedMediaFolders"] = new JsonArray();
            return true;
        }, ct);
}
