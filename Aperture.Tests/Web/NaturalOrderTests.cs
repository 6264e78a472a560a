using System.Net;
using System.Text.Json;
using Aperture.Data;
using Aperture.Tests.Infrastructure;
using Aperture.Web;
using Aperture.Wording;

namespace Aperture.Tests;

// Users (and anything else people scan by name) sort as people count: u1, u2, … u10, u11, not u1, u10, u11, u2.
public sealed class NaturalOrderTests
{
    [Fact]
    public void Digit_runs_compare_by_value_and_case_is_ignored()
    {
        string[] names = ["u11", "U2", "u10", "u1", "alice", "Bob", "u3b", "u3a", "u003c", "u"];
        Assert.Equal(["alice", "Bob", "u", "u1", "U2", "u3a", "u3b", "u003c", "u10", "u11"], names.Order(NaturalOrder.Instance));
    }

    [Fact]
    public void Numbers_longer_than_a_long_still_compare_and_equal_names_keep_one_order()
    {
        Assert.True(NaturalOrder.Instance.Compare("x99999999999999999999999", "x100000000000000000000000") < 0);
        Assert.True(NaturalOrder.Instance.Compare("a", "A") != 0);
        Assert.Equal(0, NaturalOrder.Instance.Compare("u7", "u7"));
        Assert.True(NaturalOrder.Instance.Compare(null, "a") < 0);
    }

    [Fact]
    public async Task Admin_pages_pickers_and_the_users_api_list_users_in_natural_order()
    {
        var (app, admin, server) = await AppFactory.WithAdminAsync();
        await using var _a = app;
        await using var _s = server;
        string[] extra = ["u11", "u2", "u10", "u1"];
        await app.WithDbAsync(async db =>
        {
            foreach (var name in extra)
            {
                db.Users.Add(new AppUser { Id = Guid.NewGuid().ToString("N"), Name = name, CreatedAt = DateTimeOffset.UtcNow });
            }
            return await db.SaveChangesAsync();
        });
        string[] expected = ["u1", "u2", "u10", "u11"];

        static List<string> Ordered(string text, IEnumerable<string> names) =>
            [.. names.Select(n => (Name: n, At: System.Text.RegularExpressions.Regex.Match(text, $@">\s*{n}\s*<") is { Success: true } m ? m.Index : -1)).Where(x => x.At >= 0).OrderBy(x => x.At).Select(x => x.Name)];

        var users = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/users"));
        Assert.Equal(expected, Ordered(users, extra));
        var dashboard = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin"));
        Assert.Equal(expected, Ordered(dashboard, extra));

        var api = JsonDocument.Parse(await admin.GetStringAsync("/api/users")).RootElement;
        Assert.Equal(expected, api.EnumerateArray().Select(u => u.GetProperty("name").GetString()!).Where(extra.Contains).ToList());
    }
}
