using System.Net;
using System.Net.Http.Headers;
using Aperture.Tests.Infrastructure;

namespace Aperture.Tests;

// Every route has a body limit that fits it, answered with 413 before the body is read: an anonymous burst of huge login
// bodies cannot make the process hold them, and an oversized API body is a 413, not a 500.
// Every request here is refused before anything is stored: one host for the class, each test with its own admin session.
public sealed class BodyLimitTests(AdminHost host) : IClassFixture<AdminHost>
{
    // A body produced on demand that counts how much of it the server pulled.
    private sealed class CountingContent(long size, bool declareLength, string field = "name") : HttpContent
    {
        private long sent;

        public long Sent => Interlocked.Read(ref sent);

        public CountingContent(long size, bool declareLength, string mediaType, string field) : this(size, declareLength, field) =>
            Headers.ContentType = new MediaTypeHeaderValue(mediaType);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            // One long string in a JSON object (or a form field): nothing can be rejected before the end of it.
            var chunk = new byte[64 * 1024];
            for (long left = size; left > 0; left -= chunk.Length)
            {
                Array.Fill(chunk, (byte)'a');
                if (left == size)
                {
                    System.Text.Encoding.UTF8.GetBytes($"{{\"{field}\":\"").CopyTo(chunk, 0);
                }
                var n = (int)Math.Min(chunk.Length, left);
                await stream.WriteAsync(chunk.AsMemory(0, n));
                Interlocked.Add(ref sent, n);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = size;
            return declareLength;
        }
    }

    private const long MiB = 1024 * 1024;

    private static async Task<(HttpStatusCode Status, long Sent)> PostAsync(HttpClient client, string path, long size, bool declareLength, string mediaType)
    {
        var content = new CountingContent(size, declareLength, mediaType, path.Contains("login", StringComparison.Ordinal) ? "username" : "name");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        try
        {
            using var response = await client.SendAsync(request);
            return (response.StatusCode, content.Sent);
        }
        catch (HttpRequestException) when (content.Sent < size)
        {
            // The server answered and closed while the client was still sending: it did not read the body.
            return (HttpStatusCode.RequestEntityTooLarge, content.Sent);
        }
    }

    [Fact]
    public async Task A_10_MB_login_body_is_a_413_before_the_body_is_read_also_when_twenty_come_at_once()
    {
        var app = host.App;
        var anonymous = app.CreateBrowserlessClient();

        var burst = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => PostAsync(anonymous, "/api/auth/login", 10 * MiB, true, "application/json")));

        Assert.All(burst, r => Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.Status));
        // What the server pulled of each 10 MB body: at most the transport's buffer, never the body.
        Assert.All(burst, r => Assert.True(r.Sent < 1 * MiB, $"{r.Sent} bytes of a login body were read"));
    }

    [Fact]
    public async Task A_login_body_without_a_length_stops_with_a_413_at_the_limit()
    {
        var app = host.App;

        var (status, sent) = await PostAsync(app.CreateBrowserlessClient(), "/api/auth/login", 10 * MiB, false, "application/json");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.True(sent < 1 * MiB, $"{sent} bytes of a chunked login body were read");
    }

    [Fact]
    public async Task A_40_MB_body_to_the_channels_API_is_a_413_not_a_500()
    {
        var admin = await host.AdminClientAsync();

        var (declared, declaredSent) = await PostAsync(admin, "/api/channels", 40 * MiB, true, "application/json");
        var (chunked, chunkedSent) = await PostAsync(admin, "/api/channels", 40 * MiB, false, "application/json");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared);
        Assert.True(declaredSent < 2 * MiB, $"{declaredSent} bytes read");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked);
        Assert.True(chunkedSent < 3 * MiB, $"{chunkedSent} bytes read");
        // A normal-sized request still works on the same client afterwards.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task An_oversized_page_form_is_a_413()
    {
        var admin = await host.AdminClientAsync();

        var (status, sent) = await PostAsync(admin, "/admin/users?handler=Toggle", 5 * MiB, true, "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.True(sent < 1 * MiB, $"{sent} bytes read");
    }
}
