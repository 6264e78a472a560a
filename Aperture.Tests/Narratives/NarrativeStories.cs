using Aperture.Data;
using Aperture.Narratives;

namespace Aperture.Tests.Narratives;

public static class NarrativeStories
{
    public static PickStory CloseMatch(string title = "Sunshine") => new(MediaKind.Movie, title, 2007, ["Science Fiction", "Thriller"],
        ["Science Fiction", "Thriller"], 91, Similarity: 0.86, Novelty: 0.1, Rating: 0.7, Popularity: 0.3, Collaborative: 0.2, CommunityRating: 7.3,
        [new("Alien", 1979, EvidenceReason.HighlyRated, 0.9), new("Event Horizon", 1997, EvidenceReason.Watched, 0.8)],
        "A crew travels to reignite the dying sun.");

    public static PickStory Discovery(string title = "Searching for Sugar Man") => new(MediaKind.Movie, title, 2012, ["Documentary", "Music"],
        [], 64, Similarity: 0.35, Novelty: 0.85, Rating: 0.8, Popularity: 0.2, Collaborative: 0.1, CommunityRating: 8.1,
        [new("Whiplash", 2014, EvidenceReason.Favorite, 0.4)], null);

    public static TasteStory Taste(MediaKind kind = MediaKind.Movie) => new(kind, "alice", 212,
        [new("Drama", 0.52), new("Science Fiction", 0.31), new("Comedy", 0.1)], ["Alien", "Heat", "Amélie"], ["Sunshine", "Ronin"],
        ["Ridley Scott", "Sigourney Weaver"], 1997, 7.8);
}
