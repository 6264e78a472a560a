namespace Aperture.Recommendations;

// "Popular on this server": how many plays a title had, recent plays counting more. What people watch next
// is mostly what others are watching now, so a play HalfLifeDays ago counts half (infinity = all-time count).
public static class PopularityPrior
{
    // "Popular on this server recently" (MovieLens benchmark: a little ahead of all-time counts, README).
    public const double RecentHalfLifeDays = 30;

    // plays: one (title, when) per user and title; plays after `now` are ignored. Log-scaled to 0..1 (the most
    // played title is 1), so a handful of plays already counts and one blockbuster does not flatten the rest.
    public static Dictionary<long, double> Build(IEnumerable<(long Item, DateTimeOffset? At)> plays, DateTimeOffset now, double halfLifeDays = double.PositiveInfinity)
    {
        var mass = new Dictionary<long, double>();
        foreach (var (item, at) in plays)
        {
            if (at > now)
            {
                continue;
            }
            var age = at is { } t ? (now - t).TotalDays : 0;
            mass[item] = mass.GetValueOrDefault(item) + (double.IsPositiveInfinity(halfLifeDays) ? 1 : Math.Pow(0.5, age / halfLifeDays));
        }
        return Scale(mass);
    }

    // The same from raw counts or masses already summed.
    public static Dictionary<long, double> Scale(IReadOnlyDictionary<long, double> mass)
    {
        var max = mass.Count == 0 ? 0 : mass.Values.Max();
        if (max <= 0)
        {
            return mass.ToDictionary(kv => kv.Key, _ => 0.0);
        }
        // Masses are rescaled so the top title weighs as much as 1,000 plays: with a short half-life every mass is
        // below 1 and log(1 + m) would turn into a plain linear ramp.
        var k = 1000 / max;
        var top = Math.Log(1 + 1000.0);
        return mass.ToDictionary(kv => kv.Key, kv => Math.Log(1 + k * kv.Value) / top);
    }
}
