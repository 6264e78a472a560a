using Aperture.Recommendations;

namespace Aperture.Tests;

public sealed class CooccurrenceTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, IReadOnlyCollection<long>> History(params long[][] users) =>
        users.Select((items, i) => (Key: $"u{i}", Items: (IReadOnlyCollection<long>)items)).ToDictionary(x => x.Key, x => x.Items);

    private static float Similarity(ItemCooccurrence model, long from, long to) =>
        model.Score([(from, 1.0)]).GetValueOrDefault(to);

    // The compact rows (slots and floats in shared arrays, scores summed in a dense array) against the plain form they
    // replaced: a dictionary summed link by link over each watched title's row, rows read through NeighboursOf and
    // SimilarityOf. Same floats, same titles, same first-reached order, including weights of 0 and below and unknown titles.
    [Fact]
    public void Score_sums_the_same_floats_as_a_dictionary_over_the_neighbour_rows()
    {
        var random = new Random(11);
        var users = Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, 25).Select(_ => (long)random.Next(1, 150)).Distinct().ToArray()).ToArray();
        var model = ItemCooccurrence.Build(History(users), keep: 30);
        Assert.True(model.Items > 0);
        for (var round = 0; round < 20; round++)
        {
            var watched = Enumerable.Range(0, 15).Select(_ => ((long)random.Next(1, 170), random.NextDouble() * 2 - 0.3)).ToList();
            var expected = new Dictionary<long, float>();
            foreach (var (item, weight) in watched.Where(w => w.Item2 > 0))
            {
                var row = model.NeighboursOf(item);
                for (var i = 0; i < row.Count; i++)
                {
                    var (other, similarity) = row[i];
                    Assert.Equal(similarity, model.SimilarityOf(item, other));
                    expected[other] = expected.GetValueOrDefault(other) + (float)(similarity * weight);
                }
            }
            Assert.Equal(expected.ToList(), model.Score(watched).ToList());
        }
        Assert.Empty(model.NeighboursOf(999));
        Assert.Equal(0, model.SimilarityOf(999, 1));
    }

    // ScoreUser scales the summed scores by the best one straight from the dense sums, for the picks run without a
    // dictionary of every title reached. Against the dictionary arithmetic it replaced (raw.Values.Max(), then raw / max for
    // the positive ones): same values, same order, in both the dictionary and the streamed form, including disliked titles
    // (negative weights) and histories whose every title is unknown to the model.
    [Fact]
    public void ScoreUser_scales_the_summed_scores_by_the_best_one_as_the_dictionary_form_did()
    {
        var random = new Random(5);
        var users = Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, 25).Select(_ => (long)random.Next(1, 150)).Distinct().ToArray()).ToArray();
        var model = ItemCooccurrence.Build(History(users), keep: 30);
        var taste = new TasteOptions();
        for (var round = 0; round < 25; round++)
        {
            var history = Enumerable.Range(0, round == 0 ? 3 : 12)
                .Select(i => new WatchSignal(round == 0 ? 500 + i : random.Next(1, 170), Now.AddDays(-random.Next(0, 400)), random.Next(0, 3),
                    random.NextDouble() < 0.2, random.NextDouble() < 0.3 ? random.Next(1, 11) : null, 1))
                .DistinctBy(s => s.TitleId).ToList();
            var raw = model.Score(ItemCooccurrence.HistoryWeights(history, taste, Now, model.Options.PositionHalfLife));
            var max = raw.Count == 0 ? 0 : raw.Values.Max();
            var expected = max <= 0 ? [] : raw.Where(kv => kv.Value > 0).ToDictionary(kv => kv.Key, kv => kv.Value / (double)max);

            Assert.Equal(expected.ToList(), model.ScoreUser(history, taste, Now).ToList());
            Assert.Equal(expected.ToList(), model.ScoreUser(history, taste, Now, scores => scores.ToList()));
            Assert.Equal(expected.Count, model.ScoreUser(history, taste, Now, scores => scores.Count));
            if (round == 0)
            {
                Assert.Empty(expected);
            }
        }
    }

    [Fact]
    public void IsUsable_is_false_for_one_or_two_users_however_much_they_watched()
    {
        var big = Enumerable.Range(1, 300).Select(i => (long)i).ToArray();
        Assert.False(ItemCooccurrence.Build(History(big)).IsUsable());
        Assert.False(ItemCooccurrence.Build(History(big, big[..200])).IsUsable());
    }

    [Fact]
    public void IsUsable_is_true_once_several_users_share_enough_titles()
    {
        var random = new Random(7);
        var users = Enumerable.Range(0, 20).Select(_ => Enumerable.Range(0, 30).Select(_ => (long)random.Next(1, 80)).Distinct().ToArray()).ToArray();
        var model = ItemCooccurrence.Build(History(users));
        Assert.True(model.IsUsable());
        Assert.Equal(20, model.ActiveUsers);
        Assert.False(model.IsUsable(minUsers: 21));
    }

    [Fact]
    public void IsUsable_is_false_when_users_share_no_titles()
    {
        var model = ItemCooccurrence.Build(History([1, 2], [3, 4], [5, 6], [7, 8]));
        Assert.Equal(0, model.ActiveUsers);
        Assert.False(model.IsUsable());
    }

    [Fact]
    public void Heavy_user_damping_lets_a_pair_shared_by_light_users_outweigh_one_shared_by_a_binge_watcher()
    {
        // 1–2 are co-watched by two light users; 1–3 by two users who watched everything. Same counts, same viewers.
        var everything = new long[] { 1, 3 }.Concat(Enumerable.Range(10, 91).Select(i => (long)i)).ToArray();
        var history = History([1, 2], [1, 2], everything, everything);
        var plain = ItemCooccurrence.Build(history, options: new CooccurrenceOptions { HeavyUserDamping = 0 });
        var damped = ItemCooccurrence.Build(history, options: new CooccurrenceOptions { HeavyUserDamping = 0.7 });
        Assert.Equal(Similarity(plain, 1, 2), Similarity(plain, 1, 3), 5);
        Assert.True(Similarity(damped, 1, 2) > 5 * Similarity(damped, 1, 3));
    }

    [Fact]
    public void Alpha_of_one_ranks_a_popular_cowatch_above_a_niche_one_that_cosine_prefers()
    {
        // 1 is watched with niche 2 by two users (2 has no other viewers) and with 3 by three users (3 has 20 viewers).
        List<long[]> users = [[1, 2], [1, 2], [1, 3], [1, 3], [1, 3]];
        users.AddRange(Enumerable.Range(0, 17).Select(i => new long[] { 3, 100 + i }));
        var history = History([.. users]);
        var cosine = ItemCooccurrence.Build(history, minCount: 1, options: new CooccurrenceOptions { Alpha = 0.5, HeavyUserDamping = 0 });
        var popular = ItemCooccurrence.Build(history, minCount: 1, options: new CooccurrenceOptions { Alpha = 1, HeavyUserDamping = 0 });
        Assert.True(Similarity(cosine, 1, 2) > Similarity(cosine, 1, 3));
        Assert.True(Similarity(popular, 1, 3) > Similarity(popular, 1, 2));
    }

    [Fact]
    public void Build_gives_the_same_neighbours_whatever_the_order_users_and_titles_come_in()
    {
        var random = new Random(3);
        var users = Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, 25).Select(_ => (long)random.Next(1, 120)).Distinct().ToArray()).ToArray();
        var a = ItemCooccurrence.Build(History(users), keep: 10);
        var shuffled = History(users).Reverse().ToDictionary(kv => kv.Key, kv => (IReadOnlyCollection<long>)kv.Value.Reverse().ToArray());
        var b = ItemCooccurrence.Build(shuffled, keep: 10);
        var watched = new[] { (5L, 1.0), (17L, 0.5), (42L, 2.0) };
        Assert.Equal(a.Score(watched).OrderBy(kv => kv.Key), b.Score(watched).OrderBy(kv => kv.Key));
    }

    [Fact]
    public void ScoreUser_is_on_zero_to_one_and_the_latest_watches_pull_hardest()
    {
        // Two separate audiences: 1 goes with 2, 3 goes with 4.
        var history = History([1, 2], [1, 2], [1, 2], [3, 4], [3, 4], [3, 4]);
        var model = ItemCooccurrence.Build(history, options: new CooccurrenceOptions { PositionHalfLife = 1 });
        var user = new List<WatchSignal>
        {
            new(1, Now.AddDays(-2), 1, false, null, 1),
            new(3, Now.AddDays(-1), 1, false, null, 1),
        };
        var scores = model.ScoreUser(user, new TasteOptions(), Now);
        Assert.Equal(1, scores[4], 6);
        Assert.InRange(scores[2], 0.4, 0.6);
        Assert.All(scores.Values, v => Assert.InRange(v, 0, 1));
    }

    [Fact]
    public void ScoreUser_ignores_disliked_titles()
    {
        var history = History([1, 2], [1, 2], [3, 4], [3, 4], [5, 6]);
        var model = ItemCooccurrence.Build(history);
        var user = new List<WatchSignal>
        {
            new(1, Now.AddDays(-2), 1, false, 2, 1),
            new(3, Now.AddDays(-1), 1, false, 9, 1),
        };
        var scores = model.ScoreUser(user, new TasteOptions(), Now);
        Assert.False(scores.ContainsKey(2));
        Assert.Equal(1, scores[4], 6);
    }
}
