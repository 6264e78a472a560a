using System.Security.Cryptography;

namespace Aperture.MediaServers;

// Whether a media server is configured (cached once true: setup is never undone), and the
// one-time code that proves whoever runs the setup can read this instance's log.
public sealed class SetupState
{
    private volatile bool configured;

    public string SetupCode { get; } = NewCode();

    public bool KnownConfigured => configured;

    public void MarkConfigured() => configured = true;

    public void Invalidate() => configured = false;

    public bool CheckCode(string? code)
    {
        var normalized = (code ?? "").Trim().ToUpperInvariant().Replace(" ", "", StringComparison.Ordinal);
        if (normalized.Length == 8)
        {
            normalized = normalized[..4] + "-" + normalized[4..];
        }
        return CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(normalized), System.Text.Encoding.UTF8.GetBytes(SetupCode));
    }

    private static string NewCode()
    {
        // No 0/O/1/I: the code is read off a terminal and typed.
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = RandomNumberGenerator.GetItems<char>(alphabet, 8);
        return new string(chars, 0, 4) + "-" + new string(chars, 4, 4);
    }
}
