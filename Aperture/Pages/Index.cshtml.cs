using Aperture.Auth;
using Aperture.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages;

// The home of a signed-in user is their picks; an admin of an install whose pipeline never ran lands on Getting started.
public sealed class IndexModel(AppDbContext db) : PageModel
{
    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        User.IsAdmin() && !await Admin.GettingStartedModel.PipelineRanAsync(db, ct) ? Redirect("/admin/getting-started") : Redirect("/picks");
}
