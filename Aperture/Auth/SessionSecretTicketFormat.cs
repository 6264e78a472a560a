using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.WebUtilities;

namespace Aperture.Auth;

// When SESSION_SECRET is set, session cookies are sealed with a key derived from it (AES-GCM),
// as the original did: every instance sharing the secret accepts the cookie, and changing the
// secret signs everybody out. Without it, cookies use Data Protection's key ring.
public sealed class SessionSecretTicketFormat : ISecureDataFormat<AuthenticationTicket>
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] key;

    public SessionSecretTicketFormat(string secret)
    {
        if (secret.Length < 16)
        {
            throw new StartupException("SESSION_SECRET must be at least 16 characters long (use a long random string).");
        }
        key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32,
            salt: Encoding.UTF8.GetBytes("Aperture.Session"), info: Encoding.UTF8.GetBytes("cookie-v1"));
    }

    public string Protect(AuthenticationTicket data) => Protect(data, null);

    public string Protect(AuthenticationTicket data, string? purpose)
    {
        var plain = TicketSerializer.Default.Serialize(data);
        var output = new byte[NonceSize + TagSize + plain.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Aad(purpose));
        return WebEncoders.Base64UrlEncode(output);
    }

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        try
        {
            var input = WebEncoders.Base64UrlDecode(protectedText ?? "");
            if (input.Length < NonceSize + TagSize)
            {
                return null;
            }
            var plain = new byte[input.Length - NonceSize - TagSize];
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), plain, Aad(purpose));
            return TicketSerializer.Default.Deserialize(plain);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }

    private static byte[] Aad(string? purpose) => Encoding.UTF8.GetBytes(purpose ?? "");
}
