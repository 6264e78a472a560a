namespace Aperture.Tests.Architecture;
public class DumpGraph
{
    [Fact]
    public void Dump()
    {
        var g = PartGraph.Aperture;
        var lines = new List<string>();
        lines.Add("WEB: " + string.Join("\n", g.FeaturesUsingTheWeb()));
        lines.Add("MSDATA: " + string.Join("\n", g.MediaServersUsingData()));
        lines.Add("DATA: " + string.Join("\n", g.DataUsingAFeature()));
        lines.Add("SCHED: " + string.Join("\n", g.FeaturesSchedulingThemselves()));
        foreach (var c in g.Cycles()) { lines.Add("CYCLE " + string.Join(",", c)); }
        lines.AddRange(g.Uses.Select(u => u.ToString()));
        File.WriteAllLines("/tmp/arch-graph.txt", lines);
    }
}
