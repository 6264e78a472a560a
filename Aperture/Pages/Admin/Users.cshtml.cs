using Aperture.Data;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Aperture.Wording;

namespace Aperture.Pages.Admin;

public sealed record UserRow(string Id, string Name, bool IsAdmin, bool IsDisabled, bool PresentOnServer, IReadOnlyList<KindPicks> Kinds,
    int MoviesWatched, int EpisodesWatched, DateTimeOffset? LastLoginAt);

// One kind's switch and pick count in a user's row.
public sealed record KindPicks(MediaKind Kind, bool Enabled, int Count);

// Admin › Users: who gets picks (per kind), with what each user has watched and been picked.
public sealed class UsersModel(AppDbContext db, Auth.SessionStore sessions) : PageModel
{
    public IReadOnlyList<UserRow> Users { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Users = await RowsAsync(null, ct);

    private async Task<List<UserRow>> RowsAsync(string? id, CancellationToken ct)
    {
        var users = db.Users.AsNoTracking().Where(u => id == null || u.Id == id);
        var rows = await users.Select(u => new
        {
            u.Id, u.Name, u.IsAdmin, u.IsDisabled, u.PresentOnServer, u.PicksKinds, u.LastLoginAt,
            MoviesWatched = db.WatchStates.Count(w => w.UserId == u.Id && w.Played && w.EpisodeId == null && w.Title.Kind == MediaKind.Movie),
            EpisodesWatched = db.WatchStates.Count(w => w.UserId == u.Id && w.Played && w.EpisodeId != null),
        }).ToListAsync(ct);
        var picks = (await db.Picks.AsNoTracking().Where(p => id == null || p.UserId == id)
            .GroupBy(p => new { p.UserId, p.Kind }).Select(g => new { g.Key.UserId, g.Key.Kind, Count = g.Count() }).ToListAsync(ct))
            .ToDictionary(p => (p.UserId, p.Kind), p => p.Count);
        return rows.Select(u => new UserRow(u.Id, u.Name, u.IsAdmin, u.IsDisabled, u.PresentOnServer,
                [.. MediaKinds.All.Select(k => new KindPicks(k, u.PicksKinds.Contains(k), picks.GetValueOrDefault((u.Id, k))))],
                u.MoviesWatched, u.EpisodesWatched, u.LastLoginAt))
            .OrderBy(u => u.Name, NaturalOrder.Instance).ToList();
    }

    public async Task<IActionResult> OnPostToggleAsync(string id, string kind, bool enabled, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null || MediaKinds.Parse(kind) is not { } k)
        {
            return NotFound();
        }
        user.SetPicksEnabled(k, enabled);
        await db.SaveChangesAsync(ct);
        if (Request.IsHtmx())
        {
            Response.Htmx(h => h.WithVary());
            return Partial("_UserRow", (await RowsAsync(id, ct))[0]);
        }
        return RedirectToPage();
    }

    // Ends every session of the user: they sign in again at their next request, on every instance.
    public async Task<IActionResult> OnPostEndSessionsAsync(string id, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Id == id, ct))
        {
            return NotFound();
        }
        await sessions.RevokeAllAsync(id, ct);
        if (Request.IsHtmx())
        {
            Response.Htmx(h => h.WithVary());
            return Partial("_UserRow", (await RowsAsync(id, ct))[0]);
        }
        return RedirectToPage();
    }

    // Everyone present on the server and not disabled, for one kind.
    public async Task<IActionResult> OnPostAllAsync(string kind, bool enabled, CancellationToken ct)
    {
        if (MediaKinds.Parse(kind) is not { } k)
        {
            return NotFound();
        }
        foreach (var u in await db.Users.Where(u => u.PresentOnServer && !u.IsDisabled).ToListAsync(ct))
        {
            u.SetPicksEnabled(k, enabled);
        }
        await db.SaveChangesAsync(ct);
        return RedirectToPage();
    }
}
