using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aperture.Fakes.Wire;

internal static class Ids
{
    public static string NewGuid() => System.Guid.NewGuid().ToString("N");

    // Both servers take any GUID form on input and answer with 32 hex; numeric Emby ids pass through.
    public static string Normalize(string id) =>
        IsHex32(id) ? id : System.Guid.TryParse(id, out var g) ? g.ToString("N") : id.Trim();

    private static bool IsHex32(string id) => id.Length == 32 && id.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}

internal static class Json
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(w);
        }
        return buffer.WrittenSpan.ToArray();
    }

    // .NET's round-trip format, which is what both servers emit: 2024-01-01T00:00:00.0000000Z.
    public static string Date(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    // ASP.NET model binding matches body properties case-insensitively on both servers.
    public static JsonNode? Prop(JsonObject? o, string name)
    {
        if (o is null)
        {
            return null;
        }
        if (o.TryGetPropertyValue(name, out var exact))
        {
            return exact;
        }
        return o.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
    }

    public static string? PropString(JsonObject? o, string name) => Prop(o, name) switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => null,
    };

    public static bool? PropBool(JsonObject? o, string name) =>
        Prop(o, name) is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    public static List<string>? PropStrings(JsonObject? o, string name) =>
        Prop(o, name) is JsonArray a ? [.. a.Select(n => n?.ToString()).OfType<string>()] : null;

    public static void Opt(this Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    // Nulls are omitted, as both servers do.
    public static void Opt<T>(this Utf8JsonWriter w, string name, T? value)
        where T : struct
    {
        switch (value)
        {
            case null:
                return;
            case int i:
                w.WriteNumber(name, i);
                break;
            case long l:
                w.WriteNumber(name, l);
                break;
            case double d:
                w.WriteNumber(name, d);
                break;
            case DateTimeOffset t:
                w.WriteString(name, Date(t));
                break;
            default:
                throw new NotSupportedException(typeof(T).Name);
        }
    }

    public static void Strings(this Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }
        w.WriteEndArray();
    }

    public static void Node(this Utf8JsonWriter w, string name, JsonNode node)
    {
        w.WritePropertyName(name);
        node.WriteTo(w);
    }
}
