using Aperture.Data;
using Aperture.Narratives;

namespace Aperture.Tests.Narratives;

public sealed class LocalNarrativeWriterTests
{
    [Fact]
    public void A_close_match_names_the_titles_that_pulled_it_in_and_the_genres_they_share()
    {
        var narrative = LocalNarrativeWriter.ExplainPick(NarrativeStories.CloseMatch());

        Assert.Equal("local", narrative.Source);
        Assert.Contains("rated Alien highly", narrative.Text, StringComparison.Ordinal);
        Assert.Contains("watched Event Horizon", narrative.Text, StringComparison.Ordinal);
        Assert.Contains("science fiction and thriller", narrative.Text, StringComparison.Ordinal);
        Assert.Contains("Sunshine", narrative.Text, StringComparison.Ordinal);
        Assert.Contains("well rated (7.3/10)", narrative.Text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"0\.\d|\d+ ?%|×", narrative.Text);
    }

    [Fact]
    public void A_discovery_pick_reads_differently_from_a_close_match()
    {
        var close = LocalNarrativeWriter.ExplainPick(NarrativeStories.CloseMatch()).Text;
        var discovery = LocalNarrativeWriter.ExplainPick(NarrativeStories.Discovery()).Text;

        Assert.Matches("^(Something different|A step off your usual path): Searching for Sugar Man brings documentary and music", discovery);
        Assert.Contains("less familiar ground for you, though it keeps a thread to Whiplash, which you marked as a favourite.", discovery, StringComparison.Ordinal);
        Assert.DoesNotMatch("Something different|step off your usual path|less familiar", close);
        Assert.DoesNotMatch("same vein|shares (its|their)", discovery);
    }

    [Fact]
    public void The_strongest_signal_opens_the_text()
    {
        var crowd = NarrativeStories.CloseMatch() with { Similarity = 0.3, Collaborative = 0.9, Rating = 0.2 };
        Assert.Matches("^(People whose viewing looks like yours watched|Viewers with tastes like yours have been watching) Sunshine",
            LocalNarrativeWriter.ExplainPick(crowd).Text);
        Assert.Contains("It shares science fiction and thriller with Alien, which you rated highly.", LocalNarrativeWriter.ExplainPick(crowd).Text, StringComparison.Ordinal);

        var acclaimed = NarrativeStories.CloseMatch() with { Similarity = 0.3, Rating = 0.95, Evidence = [] };
        Assert.StartsWith("Sunshine is one of the best-rated films you have not seen yet (7.3/10 from audiences).",
            LocalNarrativeWriter.ExplainPick(acclaimed).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Series_picks_speak_of_shows_and_episodes()
    {
        var pick = new PickStory(MediaKind.Series, "The Expanse", 2015, ["Sci-Fi & Fantasy", "Drama"], [], 70, Similarity: 0.3, Novelty: 0.2,
            Rating: 0.9, Popularity: 0.1, Collaborative: 0.1, CommunityRating: 8.5, [new("Battlestar Galactica", 2004, EvidenceReason.Rewatched, 0.7)], null);
        var text = LocalNarrativeWriter.ExplainPick(pick).Text;
        Assert.Contains("best-rated shows", text, StringComparison.Ordinal);
        Assert.Contains("It is not far from Battlestar Galactica, which you keep going back to.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("film", text, StringComparison.OrdinalIgnoreCase);

        var taste = LocalNarrativeWriter.DescribeTaste(NarrativeStories.Taste(MediaKind.Series)).Text;
        Assert.StartsWith("You have watched episodes of 212 shows.", taste, StringComparison.Ordinal);
        Assert.Contains("the shows you watch", taste, StringComparison.Ordinal);
        Assert.DoesNotContain("film", taste, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void No_evidence_and_no_genres_still_make_a_plain_sentence()
    {
        var bare = new PickStory(MediaKind.Movie, "Stalker", null, [], [], 50, Similarity: 0.5, Novelty: 0.1, Rating: 0.1, Popularity: 0.1,
            Collaborative: 0, CommunityRating: null, [], null);
        Assert.Equal("Stalker is close to what you usually watch.", LocalNarrativeWriter.ExplainPick(bare).Text);

        var nothing = bare with { Similarity = 0, Novelty = 0, Rating = 0, Popularity = 0 };
        Assert.Equal("Stalker is a film you have not seen that sits near your overall taste.", LocalNarrativeWriter.ExplainPick(nothing).Text);

        var discovery = bare with { Novelty = 0.9, Similarity = 0.2 };
        Assert.Matches("^(Something different|A step off your usual path): Stalker is unlike most of what you have watched\\.$",
            LocalNarrativeWriter.ExplainPick(discovery).Text);
    }

    [Fact]
    public void The_same_story_always_reads_the_same_and_wording_varies_between_titles()
    {
        Assert.Equal(LocalNarrativeWriter.ExplainPick(NarrativeStories.CloseMatch()), LocalNarrativeWriter.ExplainPick(NarrativeStories.CloseMatch()));
        var openings = Enumerable.Range(0, 12).Select(i => LocalNarrativeWriter.ExplainPick(NarrativeStories.CloseMatch($"Title {i}")).Text[..8]).Distinct();
        Assert.True(openings.Count() > 1, "every close match opens the same way");
    }

    [Fact]
    public void A_taste_synopsis_puts_genre_shares_favourites_era_and_people_into_words()
    {
        var text = LocalNarrativeWriter.DescribeTaste(NarrativeStories.Taste()).Text;

        Assert.Equal(
            "You have watched 212 films. About half of your films are drama, about a third science fiction and about one in ten comedy. " +
            "Your favourites include Alien, Heat and Amélie. Lately you have watched Sunshine and Ronin. Your viewing centres on the late 1990s. " +
            "Ridley Scott and Sigourney Weaver turn up again and again. When you rate, you give 7.8 out of 10 on average.", text);
    }

    [Fact]
    public void A_taste_with_nothing_watched_says_so()
    {
        var empty = new TasteStory(MediaKind.Movie, "bob", 0, [], [], [], [], null, null);
        Assert.Equal("You have not watched any films yet; once you have, this is where your taste is summed up.",
            LocalNarrativeWriter.DescribeTaste(empty).Text);
        var sparse = empty with { WatchedCount = 1 };
        Assert.Equal("You have watched one film.", LocalNarrativeWriter.DescribeTaste(sparse).Text);
    }
}
