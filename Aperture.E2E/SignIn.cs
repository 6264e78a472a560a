using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Aperture.E2E;

public static class SignIn
{
    // The login form as a person fills it; a signed-in user lands on their picks (an admin of an install whose pipeline
    // never ran: on Getting started).
    public static async Task AsAsync(IPage page, LiveApp app, string user, string password)
    {
        await page.GotoAsync(app.Url + "/login");
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("(/picks|/admin/getting-started)$"));
    }
}
