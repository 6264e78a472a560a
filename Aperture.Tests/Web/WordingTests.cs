using Aperture.Data;
using Aperture.Narratives;
using Aperture.Recommendations;
using Aperture.Web;
using Aperture.Wording;
using Aperture.Jobs;

namespace Aperture.Tests;

// Counts read as English: "1 film chosen", "2 films", never "1 films" or "film(s)".
public sealed class WordingTests
{
    [Theory]
    [InlineData(1, "title", null, "1 title")]
    [InlineData(0, "title", null, "0 titles")]
    [InlineData(2, "library", "libraries", "2 libraries")]
    [InlineData(1, "library", "libraries", "1 library")]
    public void Plural_counts_use_the_singular_for_one_only(long count, string one, string? many, string expected) =>
        Assert.Equal(expected, Plural.Count(count, one, many));

    private static ChannelStory Story(IReadOnlyList<MediaKind> kinds, int titles) =>
        new("Rainy nights", kinds, "rain", [], [], [], [.. Enumerable.Range(1, titles).Select(i => new ChannelTitle($"Title {i}", 2000 + i, ["Drama"]))]);

    [Theory]
    [InlineData(MediaKind.Movie, 1, "1 film chosen for")]
    [InlineData(MediaKind.Movie, 3, "3 films chosen for")]
    [InlineData(MediaKind.Series, 1, "1 show chosen for")]
    public void A_channel_description_counts_its_titles_in_the_right_number(MediaKind kind, int titles, string start) =>
        Assert.StartsWith(start, ChannelDescriptions.Local(Story([kind], titles)).Text, StringComparison.Ordinal);

    [Fact]
    public void A_mixed_channel_of_one_title_says_title_and_of_two_films_and_shows()
    {
        Assert.StartsWith("1 title chosen for", ChannelDescriptions.Local(Story([MediaKind.Movie, MediaKind.Series], 1)).Text, StringComparison.Ordinal);
        Assert.StartsWith("2 films and shows chosen for", ChannelDescriptions.Local(Story([MediaKind.Movie, MediaKind.Series], 2)).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MediaKind.Movie, 1, 1, "1 movie pick for 1 of 1 enabled user,")]
    [InlineData(MediaKind.Series, 100, 2, "100 series picks for 2 of 2 enabled users,")]
    public void A_picks_run_summary_reads_as_english(MediaKind kind, int picks, int users, string start) =>
        Assert.StartsWith(start, GenerateRecommendationsJob.Summary(kind, new RecommendationRunResult(users, users, picks, 0, false)), StringComparison.Ordinal);
}
