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
            if (user.EnableAllFolders || user.BlockedMediaFolders.Count > 0 || user.EnabledFolders.Any(id => LibraryIds.Same(id, library.AccessId)))
            {
                continue;
            }
            var written = await client.RewriteUserPolicyAsync(user.Id, (fresh, policy) =>
            {
                if (fresh.EnableAllFolders || fresh.EnabledFolders.Any(id => LibraryIds.Same(id, library.AccessId)))
                {
                    return false;
                }
                policy["EnabledFolders"] = new JsonArray([.. fresh.EnabledFolders.Append(library.AccessId).Select(id => (JsonNode)id)]);
                return true;
            }, ct);
            if (written)
            {
                changed.Add(user.Name);
            }
        }
        return changed;
    }
}
