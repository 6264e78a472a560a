using System.Numerics.Tensors;

namespace Aperture.Recommendations;

// One watched title as the taste model sees it. Rating is the user's own, on the server's 0–10 scale.
// FromFeedback: the favourite or rating came from the user's feedback in Aperture (👍, 👎, a 1–10), not the server.
public sealed record WatchSignal(long TitleId, DateTimeOffset? LastPlayed, int PlayCount, bool Favorite, double? Rating, double Completion,
    bool FromFeedback = false);

public sealed record TasteOptions
{
    public double HalfLifeDays { get; init; } = 365;
    // Old history still counts this much at least: tastes drift, they do not vanish.
    public double MinRecencyWeight { get; init; } = 0.25;
    public double FavoriteBoost { get; init; } = 1.5;
    // Ratings at or below this (0–10) pull away from a title instead of towards it.
    public double DislikeAtOrBelow { get; init; } = 4;
    public double DislikeWeight { get; init; } = 0.5;
}

// The taste vector: a weighted mean of watched titles' unit vectors.
public static class TasteProfile
{
    public static double Weight(WatchSignal w, TasteOptions o, DateTimeOffset now)
    {
        var age = w.LastPlayed is { } at ? Math.Max(0, (now - at).TotalDays) : o.HalfLifeDays;
        var recency = Math.Max(o.MinRecencyWeight, Math.Pow(0.5, age / o.HalfLifeDays));
        var plays = 1 + Math.Log(Math.Max(1, w.PlayCount));
        var completion = Math.Clamp(w.Completion, 0.1, 1);
        var weight = recency * plays * completion;
        if (w.Favorite)
        {
            weight *= o.FavoriteBoost;
        }
        if (w.Rating is { } r)
        {
            if (r <= o.DislikeAtOrBelow)
            {
                return -o.DislikeWeight * recency;
            }
            // A 👎 given in Aperture (a 0 from feedback) when the admin has switched dislikes off: it no longer pulls away,
            // but it never counts towards the taste either (0.5 + 0/10 would make it half a watch).
            if (w.FromFeedback && r <= 0 && !w.Favorite)
            {
                return 0;
            }
            // 5/10 is neutral; a 10 counts double.
            weight *= 0.5 + r / 10;
        }
        return weight;
    }

    public static float[]? Build(IReadOnlyList<WatchSignal> history, Func<long, float[]?> vectorOf, TasteOptions options, DateTimeOffset now)
    {
        float[]? taste = null;
        var total = 0.0;
        foreach (var w in history)
        {
            var v = vectorOf(w.TitleId);
            if (v is null)
            {
                continue;
            }
            taste ??= new float[v.Length];
            var weight = Weight(w, options, now);
            TensorPrimitives.MultiplyAdd(v, (float)weight, taste, taste);
            total += Math.Max(0, weight);
        }
        if (taste is null || total <= 0)
        {
            return null;
        }
        var norm = TensorPrimitives.Norm(taste);
        if (norm <= 0)
        {
            return null;
        }
        TensorPrimitives.Divide(taste, norm, taste);
        return taste;
    }
}
