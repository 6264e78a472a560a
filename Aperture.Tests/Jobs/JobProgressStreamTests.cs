using System.Net;
using System.Text.Json;

namespace Aperture.Tests.Jobs;

public sealed class JobProgressStreamTests
{
    private sealed record ServerEvent(string Name, JsonElement Data);

    // Reads "event:"/"data:" blocks until the server ends the stream.
    private static async Task<List<ServerEvent>> ReadEventsAsync(HttpResponseMessage response, Action<ServerEvent>? onEvent = null)
    {
        var events = new List<ServerEvent>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? name = null;
        var data = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                if (name is not null)
                {
                    var e = new ServerEvent(name, JsonDocument.Parse(data.ToString()).RootElement.Clone());
                    events.Add(e);
                    onEvent?.Invoke(e);
                }
                (name, data) = (null, new System.Text.StringBuilder());
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line["data: ".Length..]);
            }
        }
        return events;
    }

    [Fact]
    public async Task The_sse_stream_sends_progress_as_it_changes_then_the_final_state_and_ends()
    {
        await using var host = await JobTestHost.StartAsync();
        var probe = host.App.Probe();
        var runId = await host.RunNowAsync(GatedJob.Name);
        await probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(20));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/progress/stream/{runId}");
        using var response = await host.Admin.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);

        // Each progress event the test sees lets the job take its next step.
        var reading = ReadEventsAsync(response, e =>
        {
            if (e.Name == "progress" && e.Data.GetProperty("current").GetInt64() == probe.StepsDone && probe.StepsDone < GatedJob.Steps)
            {
                probe.Release(GatedJob.Name);
            }
        });
        var events = await reading.WaitAsync(TimeSpan.FromSeconds(30));

        var progress = events.Where(e => e.Name == "progress").ToList();
        Assert.NotEmpty(progress);
        Assert.Contains(progress, e => e.Data.GetProperty("current").GetInt64() is > 0 and < GatedJob.Steps);
        Assert.All(progress, e => Assert.Equal("running", e.Data.GetProperty("status").GetString()));
        Assert.Equal("done", events[^1].Name);
        Assert.Single(events, e => e.Name == "done");
        var final = events[^1].Data;
        Assert.Equal(runId, final.GetProperty("id").GetInt64());
        Assert.Equal("succeeded", final.GetProperty("status").GetString());
        Assert.Equal(GatedJob.Steps, final.GetProperty("current").GetInt64());
        Assert.True(final.GetProperty("finished").GetBoolean());
    }

    [Fact]
    public async Task A_stream_for_a_finished_run_sends_its_final_state_at_once_and_ends()
    {
        await using var host = await JobTestHost.StartAsync();
        var runId = await host.RunNowAsync(FailingJob.Name);
        await host.WaitForEndAsync(runId);

        using var response = await host.Admin.GetAsync($"/api/jobs/progress/stream/{runId}", HttpCompletionOption.ResponseHeadersRead);
        var events = await ReadEventsAsync(response).WaitAsync(TimeSpan.FromSeconds(10));
        var only = Assert.Single(events);
        Assert.Equal("done", only.Name);
        Assert.Equal("failed", only.Data.GetProperty("status").GetString());
        Assert.Equal(FailingJob.Error, only.Data.GetProperty("error").GetString());
    }
}
