using Aperture.MediaServers;

namespace Aperture.Tests;

// "Open in Jellyfin/Emby" links (MEDIA-SERVER-API.md §8).
public sealed class MediaServerLinksTests
{
    private const string ServerId = "f4c7a1b2c3d4e5f60718293a4b5c6d7e";

    [Theory]
    [InlineData("10.11.6", "http://jf.local:8096/web/#/details?id=abc123&serverId=" + ServerId)]
    [InlineData("10.9.0", "http://jf.local:8096/web/#/details?id=abc123&serverId=" + ServerId)]
    [InlineData("12.0.0", "http://jf.local:8096/web/#/details?id=abc123&serverId=" + ServerId)]
    [InlineData("10.8.13", "http://jf.local:8096/web/#!/details?id=abc123&serverId=" + ServerId)]
    [InlineData("10.7.7", "http://jf.local:8096/web/#!/details?id=abc123&serverId=" + ServerId)]
    [InlineData("not-a-version", "http://jf.local:8096/web/#/details?id=abc123&serverId=" + ServerId)]
    public void Jellyfin_links_use_the_hash_router_of_its_version(string version, string expected) =>
        Assert.Equal(expected, MediaServerLinks.ItemUrl(MediaServerType.Jellyfin, version, "http://jf.local:8096", ServerId, "abc123"));

    [Theory]
    [InlineData("4.8.10.0")]
    [InlineData("4.7.14.0")]
    public void Emby_links_open_the_item_page_of_its_web_client(string version) =>
        Assert.Equal("https://emby.example.com/web/index.html#!/item?id=914048&serverId=" + ServerId,
            MediaServerLinks.ItemUrl(MediaServerType.Emby, version, "https://emby.example.com", ServerId, "914048"));

    [Fact]
    public void A_server_behind_a_sub_path_keeps_it_and_ids_are_escaped()
    {
        Assert.Equal("https://home.example/jellyfin/web/#/details?id=a%26b&serverId=" + ServerId,
            MediaServerLinks.ItemUrl(MediaServerType.Jellyfin, "10.11.0", "https://home.example/jellyfin/", ServerId, "a&b"));
    }

    [Fact]
    public void No_link_is_offered_before_the_server_was_identified()
    {
        Assert.Null(MediaServerLinks.ForItem(null, "http://jf.local:8096", "abc"));
        Assert.Null(MediaServerLinks.ForItem(new ServerFacts(MediaServerType.Jellyfin, "Home", ServerId, "10.11.6", "Jellyfin Server"), null, "abc"));
        var link = MediaServerLinks.ForItem(new ServerFacts(MediaServerType.Emby, "Home", ServerId, "4.8.10.0", "Emby Server"), "http://emby:8096", "12");
        Assert.Equal(new ServerLink("Open in Emby", "http://emby:8096/web/index.html#!/item?id=12&serverId=" + ServerId), link);
    }
}
