using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages;

[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "Something went wrong";
    public string Message { get; private set; } = "Aperture hit an unexpected error. The details are in its log.";

    public void OnGet(int? code) => Describe(code);

    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
        (Title, Message) = code switch
        {
            404 => ("Not found", "There is nothing at this address."),
            403 => ("Not allowed", "Your account may not open this page. Ask an administrator if you need it."),
            400 => ("Bad request", "The request could not be understood. If you submitted a form, reload the page and try again."),
            null or 500 => (Title, Message),
            _ => ($"Error {code}", "The request could not be completed."),
        };
    }
}
