using System.Text.Json.Nodes;
using Aperture.MediaServers;
using Aperture.Outputs;

namespace Aperture.TopPicks;

// Makes a shared library visible to every user without touching anything else in their policies: a user with an explicit
// library list gets the library added; a user who sees all libraries (or all but a block list) already sees it. Only adds,
// so it can never take a user's own picks away or show them anyone else's; the full privacy pass (LibraryAccessService,
// run by the picks output job) lists the Top Picks libraries as Shared and keeps them there.
public static class SharedLibraryAccess
{
    // The names of the users whose policy was changed.
    public static async Task<IReadOnlyList<string>> GrantAsync(MediaServerClient client, ServerLibraryRef library, CancellationToken ct)
    {
        var changed = new List<string>();
        foreach (var user in await client.GetUsersWithPolicyAsync(ct))
        {
            if (user.EnableAllFolders || user.BlockedMediaFolders.Count > 0 || user.EnabledFolders.Any(id => Same(id, library.AccessId)))
            {
                continue;
            }
            // The POST replaces the whole policy: start from a fresh read.
            var fresh = await client.GetUserAsync(user.Id, ct);
            if (fresh.Policy?.DeepClone() is not JsonObject policy || fresh.EnableAllFolders || fresh.EnabledFolders.Any(id => Same(id, library.AccessId)))
            {
                continue;
            }
            policy["EnabledFolders"] = new JsonArray([.. fresh.EnabledFolders.Append(library.AccessId).Select(id => (JsonNode)id)]);
            await client.UpdateUserPolicyAsync(user.Id, policy, ct);
            changed.Add(user.Name);
        }
        return changed;
    }

    private static bool Same(string a, string b) =>
        Guid.TryParse(a, out var x) && Guid.TryParse(b, out var y) ? x == y : string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}
