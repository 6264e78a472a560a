using System.Net;
using System.Net.Http.Json;
using Aperture.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Tests.Jobs;

public sealed class JobAuthorizationTests
{
    private static readonly (string Method, string Path)[] Routes =
    [
        ("GET", "/api/jobs"),
        ("GET", $"/api/jobs/{GatedJob.Name}/history"),
        ("GET", $"/api/jobs/{GatedJob.Name}/config"),
        ("PATCH", $"/api/jobs/{GatedJob.Name}/config"),
        ("POST", $"/api/jobs/{GatedJob.Name}/run"),
        ("POST", $"/api/jobs/{GatedJob.Name}/cancel"),
        ("GET", "/api/jobs/progress/stream/1"),
        ("GET", "/admin/jobs"),
        ("GET", $"/admin/jobs?handler=Card&name={GatedJob.Name}"),
        ("GET", $"/admin/jobs?handler=History&name={GatedJob.Name}"),
        ("GET", "/admin/jobs?handler=Log&runId=1"),
    ];

    [Fact]
    public async Task A_normal_user_gets_403_on_every_job_route_and_changes_nothing()
    {
        await using var host = await JobTestHost.StartAsync();
        var runId = await host.RunNowAsync(FailingJob.Name);
        await host.WaitForEndAsync(runId);
        var alice = await host.App.SignedInClientAsync("alice", "pw");

        foreach (var (method, path) in Routes.Select(r => (r.Method, r.Path.Replace("/stream/1", $"/stream/{runId}", StringComparison.Ordinal))))
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path)
            {
                Content = method == "GET" ? null : JsonContent.Create(new { kind = "daily", time = "01:00" }),
            };
            var response = await alice.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} gave {response.StatusCode} to a normal user");
        }
        var pageToken = await host.Admin.AntiforgeryTokenAsync("/admin/jobs");
        var post = await alice.PostFormAsync($"/admin/jobs?handler=Run&name={GatedJob.Name}", pageToken, []);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);

        Assert.Equal(1, await host.App.WithDbAsync(db => db.JobRuns.CountAsync()));
        Assert.Equal(0, await host.App.WithDbAsync(db => db.JobSchedules.CountAsync()));
    }

    [Fact]
    public async Task Anonymous_visitors_get_401_from_the_job_api_and_the_login_page_for_the_jobs_page()
    {
        await using var host = await JobTestHost.StartAsync();
        var anonymous = host.App.CreateBrowserlessClient();
        foreach (var (method, path) in Routes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path)
            {
                Content = method == "GET" ? null : JsonContent.Create(new { }),
            };
            var response = await anonymous.SendAsync(request);
            if (path.StartsWith("/api", StringComparison.Ordinal))
            {
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} gave {response.StatusCode}");
            }
            else
            {
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.StartsWith("/login", response.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
            }
        }
    }
}
