using Aperture.MediaServers;

namespace Aperture.Tests;

// The buffers a media-server client reads response bodies into: reused between its pages, never more than a few kept.
public sealed class BodyBuffersTests
{
    [Fact]
    public void A_returned_buffer_is_reused_for_the_next_body_that_fits_and_the_smallest_fitting_one_is_chosen()
    {
        var buffers = new MediaServerClient.BodyBuffers();
        var small = buffers.Rent(10_000);
        var large = buffers.Rent(900_000);
        Assert.Equal(16_384, small.Length);
        Assert.Equal(1_048_576, large.Length);
        buffers.Return(large);
        buffers.Return(small);

        Assert.Same(small, buffers.Rent(12_000));
        Assert.Same(large, buffers.Rent(20_000));
        Assert.Equal(0, buffers.Kept);
    }

    [Fact]
    public void At_most_four_buffers_are_kept_and_a_full_set_keeps_the_largest()
    {
        var buffers = new MediaServerClient.BodyBuffers();
        var rented = new[] { 5_000, 70_000, 300_000, 600_000, 2_000_000, 9_000 }.Select(buffers.Rent).ToList();
        foreach (var buffer in rented)
        {
            buffers.Return(buffer);
        }

        Assert.Equal(4, buffers.Kept);
        // The two smallest (8 KB and 16 KB) were dropped: a 5,000-byte body now gets the smallest kept buffer, 128 KB.
        Assert.Equal(131_072, buffers.Rent(5_000).Length);
        Assert.Same(rented[4], buffers.Rent(1_500_000));
    }
}
