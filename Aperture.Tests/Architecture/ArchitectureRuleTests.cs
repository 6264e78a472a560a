namespace Aperture.Tests.Architecture;

// Each rule of PartGraph run against BadParts, a handful of types that break it on purpose: a rule that finds
// nothing there could not fail on the real code either.
public class ArchitectureRuleTests
{
    private static readonly Lazy<PartGraph> Bad = new(() => PartGraph.Load(typeof(ArchitectureRuleTests).Assembly, "Aperture.Tests.Architecture.BadParts"));

    private static string Short(string type) => type.Replace("Aperture.Tests.Architecture.BadParts.", "", StringComparison.Ordinal);

    [Fact]
    public void A_feature_using_Web_or_HttpContext_breaks_the_web_rule()
    {
        var found = Bad.Value.FeaturesUsingTheWeb().Select(u => $"{Short(u.FromType)} -> {u.To}").ToList();
        Assert.Contains("Catalog.UsesWebPaging -> Web", found);
        Assert.Contains($"Catalog.UsesHttpContext -> {PartGraph.HttpContextPart}", found);
    }

    [Fact]
    public void A_feature_linking_an_image_itself_breaks_the_web_rule_or_the_image_route_rule()
    {
        // Through the web layer's helper: a use of Web like any other.
        Assert.Contains(Bad.Value.FeaturesUsingTheWeb(), u => Short(u.FromType) == "Catalog.LinksThroughImageEndpoint" && Short(u.ToType) == "Web.ImageEndpoint");
        // By hand, in a lambda and an interpolated string: no type of Web is used, so only the literal gives it away.
        var written = Bad.Value.FeaturesWritingTheImageRoute();
        Assert.Equal(["Catalog.WritesImageLinks"], written.Select(l => Short(l.Type)).Distinct());
        Assert.DoesNotContain(Bad.Value.FeaturesUsingTheWeb(), u => Short(u.FromType) == "Catalog.WritesImageLinks");
    }

    [Fact]
    public void MediaServers_using_Data_breaks_its_rule()
    {
        var found = Bad.Value.MediaServersUsingData();
        Assert.Equal("MediaServers.MediaServerClient", Short(Assert.Single(found.Select(u => u.FromType).Distinct())));
    }

    [Fact]
    public void Data_using_a_feature_breaks_its_rule()
    {
        var use = Assert.Single(Bad.Value.DataUsingAFeature());
        Assert.Equal(("Data.AppDbContext", "Catalog.Title"), (Short(use.FromType), Short(use.ToType)));
    }

    [Fact]
    public void A_feature_using_Quartz_or_the_Jobs_registration_breaks_the_scheduling_rule()
    {
        var found = Bad.Value.FeaturesSchedulingThemselves().Select(u => u.To).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal([PartGraph.QuartzPart, "Jobs"], found);
    }

    [Fact]
    public void Two_parts_using_each_other_are_a_cycle()
    {
        var cycles = Bad.Value.Cycles();
        Assert.Contains(cycles, c => c.SequenceEqual(["Embeddings", "VectorSearch"]));
        // Data -> Catalog alone is not a circle.
        Assert.DoesNotContain(cycles, c => c.Contains("Data"));
    }
}
