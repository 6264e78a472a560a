using Aperture.Data;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Pages.Admin;

public sealed record UserRow(string Id, string Name, bool IsAdmin, bool IsDisabled, bool PresentOnServer, bool MoviePicksEnabled, bool SeriesPicksEnabled,
    int MoviesWatched, int EpisodesWatched, int MoviePicks, int SeriesPicks, DateTimeOffset? LastLoginAt);

// Admin › Users: who gets picks (per kind), with what each user has watched and been picked.
public sealed class UsersModel(AppDbContext db, Auth.SessionStore sessions) : PageModel
{
    public IReadOnlyList<UserRow> Users { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Users = await RowsAsync(null, ct);

    private async Task<List<UserRow>> RowsAsync(string? id, CancellationToken ct)
    {
        var users = db.Users.AsNoTracking().Where(u => id == null || u.Id == id);
        return (await users.Select(u => new UserRow(u.Id, u.Name, u.IsAdmin, u.IsDisabled, u.PresentOnServer,
            u.MoviePicksEnabled, u.SeriesPicksEnabled,
            db.WatchStates.Count(w => w.UserId == u.Id && w.Played && w.EpisodeId == null && w.Title.Kind == MediaKind.Movie),
            db.WatchStates.Count(w => w.UserId == u.Id && w.Played && w.EpisodeId != null),
            db.Picks.Count(p => p.UserId == u.Id && p.Kind == MediaKind.Movie),
            db.Picks.Count(p => p.UserId == u.Id && p.Kind == MediaKind.Series),
            u.LastLoginAt)).ToListAsync(ct)).OrderBy(u => u.Name, Aperture.Wording.NaturalOrder.Instance).ToList();
    }

    public async Task<IActionResult> OnPostToggleAsync(string id, string kind, bool enabled, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null || kind is not ("movies" or "series"))
        {
            return NotFound();
        }
        if (kind == "movies")
        {
            user.MoviePicksEnabled = enabled;
        }
        else
        {
            user.SeriesPicksEnabled = enabled;
        }
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
        if (kind is not ("movies" or "series"))
        {
            return NotFound();
        }
        var users = await db.Users.Where(u => u.PresentOnServer && !u.IsDisabled).ToListAsync(ct);
        foreach (var u in users)
        {
            if (kind == "movies")
            {
                u.MoviePicksEnabled = enabled;
            }
            else
            {
                u.SeriesPicksEnabled = enabled;
            }
        }
        await db.SaveChangesAsync(ct);
        return RedirectToPage();
    }
}
