namespace Aperture.Tests.Architecture;

// The dependency rules of docs/ARCHITECTURE.md checked on the compiled app. A failure names each offending use
// ("Catalog -> Web: Aperture.Catalog.X uses Aperture.Web.Y"); docs/ARCHITECTURE.md says where the code goes instead.
public class ArchitectureTests
{
    private static PartGraph App => PartGraph.Aperture;

    private static void Empty(IReadOnlyList<PartGraph.Use> uses, string rule) =>
        Assert.True(uses.Count == 0, $"{rule}:\n" + string.Join("\n", uses));

    [Fact]
    public void Features_do_not_use_Pages_Api_Web_or_HttpContext() =>
        Empty(App.FeaturesUsingTheWeb(), "Features build data; routes, links, query strings and JSON API options belong to Api/Pages/Web");

    [Fact]
    public void Features_do_not_write_the_image_route()
    {
        var found = App.FeaturesWritingTheImageRoute();
        Assert.True(found.Count == 0, "Features hand out a Catalog.TitleImage; Web/ImageEndpoint.Url makes the link:\n" + string.Join("\n", found));
    }

    [Fact]
    public void MediaServers_does_not_use_Data() =>
        Empty(App.MediaServersUsingData(), "The media-server client speaks HTTP only; callers store what it returns");

    [Fact]
    public void Data_does_not_use_a_feature() =>
        Empty(App.DataUsingAFeature(), "Data is the bottom: entities and their configuration live there, features use them");

    [Fact]
    public void Features_do_not_schedule_themselves() =>
        Empty(App.FeaturesSchedulingThemselves(), "Jobs registers and runs the features' services; features report through Progress");

    [Fact]
    public void No_two_parts_depend_on_each_other_in_a_cycle()
    {
        var cycles = App.Cycles();
        Assert.True(cycles.Count == 0, "Parts in a circle:\n" + string.Join("\n\n", cycles.Select(c =>
            string.Join(", ", c) + ":\n  " + string.Join("\n  ", App.UsesWithin(c).GroupBy(u => (u.From, u.To)).Select(g => g.First())))));
    }
}
