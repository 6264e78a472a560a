using System.Globalization;
using System.Text;
using Aperture.Outputs;

namespace Aperture.Tests.Outputs;

public sealed class SafeNameTests
{
    [Theory]
    [InlineData("../../etc", "etc")]
    [InlineData("..", "Untitled")]
    [InlineData("a/b", "a-b")]
    [InlineData("AC\\DC", "AC-DC")]
    [InlineData("CON", "_CON")]
    [InlineData("nul.txt", "_nul.txt")]
    [InlineData("com1", "_com1")]
    [InlineData("Console", "Console")]
    [InlineData("x\0y\u0007z\tw", "x y z w")]
    [InlineData("Star Wars: A New Hope", "Star Wars - A New Hope")]
    [InlineData("What If...?", "What If")]
    [InlineData("a*b?c\"d<e>f|g", "abcdefg")]
    [InlineData("trailing. . ", "trailing")]
    [InlineData(".hidden", "hidden")]
    [InlineData("evil\u202Egpj.exe", "evilgpj.exe")]
    [InlineData("   ", "Untitled")]
    [InlineData("", "Untitled")]
    public void Hostile_names_become_one_safe_segment(string input, string expected)
    {
        Assert.Equal(expected, SafeName.Clean(input));
        Assert.True(SafeName.IsSafe(SafeName.Clean(input)));
    }

    [Fact]
    public void Names_are_normalised_to_NFC()
    {
        Assert.Equal("Am\u00e9lie", SafeName.Clean("Ame\u0301lie"));
    }

    [Fact]
    public void A_lone_surrogate_is_dropped()
    {
        Assert.Equal("ab", SafeName.Clean("a\ud800b"));
    }

    [Fact]
    public void Long_names_are_capped_in_UTF8_bytes_without_splitting_a_character()
    {
        var emoji = string.Concat(Enumerable.Repeat("\U0001F3AC", 100));
        var cut = SafeName.Clean(emoji);
        Assert.True(Encoding.UTF8.GetByteCount(cut) <= SafeName.MaxBytes);
        Assert.Equal(SafeName.MaxBytes / 4 * 2, cut.Length);
        Assert.Equal(cut, Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(cut)));

        // e + acute + circumflex: NFC composes the first two; the circumflex stays with its letter.
        var combining = string.Concat(Enumerable.Repeat("e\u0301\u0302", 120));
        var cutCombining = SafeName.Clean(combining);
        Assert.True(Encoding.UTF8.GetByteCount(cutCombining) <= SafeName.MaxBytes);
        var elements = StringInfo.GetTextElementEnumerator(cutCombining);
        while (elements.MoveNext())
        {
            Assert.Equal("\u00e9\u0302", elements.GetTextElement());
        }

        var ascii = SafeName.Clean(new string('a', 300));
        Assert.Equal(150, ascii.Length);
    }

    [Fact]
    public void File_names_keep_their_extension_when_capped()
    {
        var name = SafeName.FileName(new string('x', 300) + ".en.srt", 100);
        Assert.EndsWith(".srt", name, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(name) <= 100);
    }

    [Fact]
    public void Title_folders_of_two_films_with_the_same_name_and_year_differ()
    {
        var a = SafeName.TitleFolder("Heat", 1995, SafeName.ShortId("0123456789abcdef0123456789abcdef"));
        var b = SafeName.TitleFolder("Heat", 1995, SafeName.ShortId("fedcba9876543210fedcba9876543210"));
        Assert.Equal("Heat (1995) [01234567]", a);
        Assert.NotEqual(a, b);
        Assert.Equal("Untitled [42]", SafeName.TitleFolder("", null, "42"));
        Assert.True(Encoding.UTF8.GetByteCount(SafeName.TitleFolder(new string('z', 400), 2000, "12345678")) <= SafeName.MaxBytes);
    }
}
