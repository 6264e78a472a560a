using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages;

// The home of a signed-in user is their picks.
public sealed class IndexModel : PageModel
{
    public IActionResult OnGet() => Redirect("/picks");
}
