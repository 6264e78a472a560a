namespace Aperture.Tests.Contracts;

// The checker itself: it must flag what a real server would refuse or ignore, and list every problem at once.
public sealed class ContractCheckerTests
{
    private const string JellyfinItem = "0123456789abcdef0123456789abcdef";

    private static IReadOnlyList<ContractViolation> Check(params ContractCall[] calls) => ContractChecker.Check(calls);

    [Theory]
    [InlineData(ContractServer.Jellyfin10_11)]
    [InlineData(ContractServer.Jellyfin12_0)]
    public void Valid_Jellyfin_requests_have_no_violation(ContractServer server)
    {
        var violations = Check(
            new(server, "GET", "/Items", $"userId={JellyfinItem}&IncludeItemTypes=Movie,Series&Recursive=true&Fields=Overview,Genres&SortBy=SortName&SortOrder=Ascending&StartIndex=0&Limit=100", ""),
            new(server, "post", "/items/" + JellyfinItem + "/refresh", "MetadataRefreshMode=Default&ImageRefreshMode=Default", ""),
            new(server, "POST", "/Playlists", "", $$"""{"Name":"x","Ids":["{{JellyfinItem}}"],"UserId":"{{JellyfinItem}}","MediaType":"Video","IsPublic":false}"""),
            new(server, "POST", "/Sessions/abc/Playing", $"playCommand=PlayNow&itemIds={JellyfinItem}", ""));

        Assert.Empty(violations);
    }

    [Fact]
    public void Valid_Emby_requests_have_no_violation_with_or_without_the_emby_prefix()
    {
        var violations = Check(
            new(ContractServer.Emby4_8, "GET", "/emby/Users/abc/Items", "IncludeItemTypes=Movie&Fields=Overview,UserDataPlayCount&SortBy=DatePlayed&StartIndex=0&Limit=10", ""),
            new(ContractServer.Emby4_8, "GET", "/System/Info/Public", "", ""),
            new(ContractServer.Emby4_8, "POST", "/emby/Sessions/s1/Playing", "PlayCommand=PlayNow&ItemIds=12,13", "{}"));

        Assert.Empty(violations);
    }

    [Fact]
    public void Every_kind_of_bad_request_is_listed_not_just_the_first()
    {
        var violations = Check(
            // an unknown query parameter, a value not in ItemFields, a value not of its type
            new(ContractServer.Jellyfin10_11, "GET", "/Items", "Fields=Name,Overview&NoSuchThing=1&Limit=many", ""),
            // Jellyfin's refresh has no Recursive
            new(ContractServer.Jellyfin10_11, "POST", $"/Items/{JellyfinItem}/Refresh", "Recursive=true", ""),
            // an unknown route, a method the route does not take
            new(ContractServer.Jellyfin12_0, "GET", "/Nothing/Here", "", ""),
            new(ContractServer.Jellyfin12_0, "PUT", "/Items", "", ""),
            // an unknown body field, deep inside; a wrong enum in a body
            new(ContractServer.Emby4_8, "POST", "/emby/Library/VirtualFolders/LibraryOptions", "",
                """{"Id":"1","LibraryOptions":{"EnableInternetProviders":false,"PathInfos":[{"Path":"/a","Bogus":1}]}}"""),
            new(ContractServer.Jellyfin10_11, "POST", "/Playlists", "", """{"Name":"x","MediaType":"Film"}"""),
            // a missing required body and a missing required query parameter
            new(ContractServer.Emby4_8, "POST", "/Sessions/s1/Playing", "ItemIds=12", ""));

        var lines = violations.Select(v => v.ToString()).ToList();
        Assert.Contains(lines, l => l.Contains("UnknownQueryParameter", StringComparison.Ordinal) && l.Contains("'NoSuchThing'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("BadValue", StringComparison.Ordinal) && l.Contains("'Fields=Name'", StringComparison.Ordinal) && l.Contains("ItemFields", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("'Limit=many'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("/Items/{itemId}/Refresh", StringComparison.Ordinal) && l.Contains("'Recursive'", StringComparison.Ordinal));
        Assert.Contains(violations, v => v is { Kind: ViolationKind.UnknownRoute, Server: ContractServer.Jellyfin12_0 });
        Assert.Contains(violations, v => v.Kind == ViolationKind.MethodNotAllowed && v.Detail.Contains("GET", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("body.LibraryOptions.EnableInternetProviders is not a field of LibraryOptions", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("body.LibraryOptions.PathInfos[0].Bogus is not a field of MediaPathInfo", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("body.MediaType='Film' is not a member of MediaType", StringComparison.Ordinal));
        Assert.Contains(violations, v => v is { Kind: ViolationKind.MissingBody, Server: ContractServer.Emby4_8 });
        Assert.Contains(lines, l => l.Contains("MissingRequiredParameter", StringComparison.Ordinal) && l.Contains("'PlayCommand'", StringComparison.Ordinal));
        Assert.True(violations.Count == 11, string.Join('\n', violations));
    }

    [Fact]
    public void Adding_a_request_with_an_unknown_parameter_to_a_clean_set_makes_it_fail()
    {
        ContractCall[] clean = [new(ContractServer.Jellyfin10_11, "GET", "/Users", "", "")];
        Assert.Empty(Check(clean));

        var violation = Assert.Single(Check([.. clean, new(ContractServer.Jellyfin10_11, "GET", "/Users", "IsHidden=false&Bogus=1", "")]));

        Assert.Equal(ViolationKind.UnknownQueryParameter, violation.Kind);
        Assert.Contains("'Bogus'", violation.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Jellyfin_route_ids_must_be_guids_and_list_values_are_checked_one_by_one()
    {
        var violations = Check(
            new(ContractServer.Jellyfin10_11, "DELETE", "/Items/914048", "", ""),
            new(ContractServer.Jellyfin10_11, "GET", "/Items", $"Ids={JellyfinItem},42&SortBy=SortName,Popularity", ""));

        Assert.Equal(3, violations.Count);
        Assert.Contains(violations, v => v.Detail.Contains("'itemId=914048'", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Detail.Contains("'Ids=42'", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Detail.Contains("'SortBy=Popularity'", StringComparison.Ordinal));
    }

    [Fact]
    public void The_report_lists_each_distinct_violation_once_with_its_count()
    {
        var call = new ContractCall(ContractServer.Jellyfin10_11, "GET", "/Items", "Bogus=1", "");

        var report = ContractChecker.Report(Check(call, call, call));

        Assert.Equal("[Jellyfin10_11] UnknownQueryParameter GET /Items: 'Bogus' is not a parameter of /Items (x3)", report);
    }
}
