using Aperture.Auth;
using Aperture.Data;
using Aperture.MediaServers;
using Microsoft.EntityFrameworkCore;
using Aperture.Wording;

namespace Aperture.Catalog;

public sealed record ServerUser(string Id, string Name);

public sealed record UserSyncResult(int Added, int Updated, int Gone, IReadOnlyList<ServerUser> Active);

// The server's users as Aperture knows them, before anyone logs in: name, admin flag, disabled, still on the server.
// Every sync job starts with this, so history is only read for users the server still has and allows.
public sealed class ServerUserSync(AppDbContext db, SessionCache sessions, TimeProvider time)
{
    public async Task<UserSyncResult> SyncAsync(MediaServerClient client, CancellationToken ct)
    {
        var remote = await client.GetUsersAsync(ct);
        if (remote.Count == 0)
        {
            // A server always has an administrator: an empty list is a broken answer, not "everyone left".
            throw new MediaServerException(MediaServerErrorKind.BadResponse, "The media server listed no users at all.");
        }
        var byId = remote.Where(u => !string.IsNullOrWhiteSpace(u.Id))
            .GroupBy(u => LoginService.NormalizeId(u.Id))
            .ToDictionary(g => g.Key, g => g.First());
        try
        {
            return await ApplyAsync(byId, ct);
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException)
        {
            // Another sync job (or a login) recorded the same new user a moment ago: read again and apply once more.
            db.ChangeTracker.Clear();
            return await ApplyAsync(byId, ct);
        }
    }

    // New users go in as one bulk insert, users whose server record is unchanged get their sync time in one UPDATE; only
    // the changed ones are tracked. Through EF's change tracker, every user cost a tracked entity and a statement at every
    // sync (610 of them on MovieLens), and on a process's first sync the tracker's per-entity code ran cold for all of them.
    private async Task<UserSyncResult> ApplyAsync(Dictionary<string, UserDto> byId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var known = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, ct);
        int added = 0, updated = 0, gone = 0;
        var changed = new List<string>();
        var fresh = new List<AppUser>();
        var unchanged = new List<string>();

        foreach (var (id, dto) in byId)
        {
            var name = dto.Name.Length > 256 ? dto.Name[..256] : dto.Name;
            if (!known.TryGetValue(id, out var user))
            {
                fresh.Add(new AppUser
                {
                    Id = id, Name = name, CreatedAt = now, IsAdmin = dto.IsAdministrator, IsDisabled = dto.IsDisabled,
                    PresentOnServer = true, ServerSyncedAt = now,
                });
                added++;
                continue;
            }
            var same = user.Name == name && user.IsAdmin == dto.IsAdministrator && user.IsDisabled == dto.IsDisabled && user.PresentOnServer;
            if (!same || user.Name != dto.Name)
            {
                updated++;
                changed.Add(id);
            }
            if (same)
            {
                unchanged.Add(id);
                continue;
            }
            db.Users.Attach(user);
            user.Name = name;
            user.IsAdmin = dto.IsAdministrator;
            user.IsDisabled = dto.IsDisabled;
            user.PresentOnServer = true;
            user.ServerSyncedAt = now;
        }
        foreach (var user in known.Values.Where(u => u.PresentOnServer && !byId.ContainsKey(u.Id)))
        {
            // Kept with their history until an admin purges them.
            db.Users.Attach(user);
            user.PresentOnServer = false;
            user.ServerSyncedAt = now;
            gone++;
            changed.Add(user.Id);
        }
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await BulkInsert.InsertAsync(db, fresh, ct);
            if (unchanged.Count > 0)
            {
                // One collection parameter (json_each / = ANY), not one parameter per user.
                await db.Users.Where(u => EF.Parameter(unchanged).Contains(u.Id))
                    .ExecuteUpdateAsync(s => s.SetProperty(u => u.ServerSyncedAt, now), ct);
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        // A user disabled, removed, renamed or demoted on the server: their sessions are checked afresh at the next request.
        changed.ForEach(sessions.EvictUser);
        db.ChangeTracker.Clear();

        var active = byId.Where(u => !u.Value.IsDisabled).Select(u => new ServerUser(u.Key, u.Value.Name)).OrderBy(u => u.Name, NaturalOrder.Instance).ToList();
        return new UserSyncResult(added, updated, gone, active);
    }
}
