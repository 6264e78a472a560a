using System.Runtime.InteropServices;

namespace Aperture.Data;

// float32 little-endian, the SQLite blob format (and what the in-process index loads).
public static class VectorBytes
{
    public static byte[] ToBytes(float[] vector) => MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();

    public static float[] FromBytes(byte[] bytes) => MemoryMarshal.Cast<byte, float>(bytes.AsSpan()).ToArray();

    public static bool Same(float[]? a, float[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    public static int Hash(float[] v) => v.Length == 0 ? 0 : HashCode.Combine(v.Length, v[0], v[^1]);

    public static float[] Copy(float[] v) => (float[])v.Clone();
}
