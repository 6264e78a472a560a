using Aperture.Data;
using Aperture.MediaServers;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Aperture.Wording;

namespace Aperture.Pages.Admin;

public sealed class IndexModel(AppDbContext db, MediaServerSettings settings) : PageModel
{
    public sealed record UserRow(string Name, bool IsAdmin, DateTimeOffset? LastLoginAt);

    public ServerFacts? Server { get; private set; }
    public string? BaseUrl { get; private set; }
    public IReadOnlyList<UserRow> Users { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var config = await settings.GetAsync(ct);
        Server = config.Detected;
        BaseUrl = config.BaseUrl;
        Users = [.. (await db.Users.AsNoTracking().Select(u => new UserRow(u.Name, u.IsAdmin, u.LastLoginAt)).ToListAsync(ct)).OrderBy(u => u.Name, NaturalOrder.Instance)];
    }
}
