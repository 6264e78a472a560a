using System.Numerics;

namespace Aperture.Recommendations;

// How many sorted values lie below a value and how many equal it, by binary search: the two counts a mid-rank percentile
// is made of (ties share one figure). Used for the match % of a pick and for a member's fit in a group.
public static class MidRank
{
    public static (int Below, int Equal) Counts<T>(T[] sorted, T value) where T : INumber<T>
    {
        var below = FirstIndex(sorted, v => v >= value);
        return (below, FirstIndex(sorted, v => v > value) - below);
    }

    // The first index whose value meets the test (the test turns true once and stays true along the sorted array).
    private static int FirstIndex<T>(T[] sorted, Func<T, bool> test)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (test(sorted[mid]))
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
