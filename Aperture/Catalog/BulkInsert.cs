using System.Buffers;
using System.Text;
using System.Text.Json;
using Aperture.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Aperture.Catalog;

// New rows (titles, episodes, watch states) for the sync's bulk writes: tracking and saving a couple of hundred thousand
// entities one by one costs the sync most of its time. Column names, value converters and parameter types all come
// from the EF model, so SQLite and PostgreSQL get what EF would send. The database assigns the ids; they are not read
// back. Runs in the context's current transaction.
internal static class BulkInsert
{
    // Far below PostgreSQL's 65,535 parameters per statement.
    private const int MaxParameters = 8_000;
    private const int SqliteChunkBytes = 32 * 1024;

    public static async Task<int> InsertAsync<T>(AppDbContext db, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0)
        {
            return 0;
        }
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T)} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var strings = db.GetService<IRelationalTypeMappingSource>();
        var columns = entity.GetProperties()
            .Where(p => p.ValueGenerated != ValueGenerated.OnAdd && p.GetColumnName(table) is not null)
            .Select(p => ModelColumn(p, p.GetColumnName(table)!))
            .ToList();
        // An owned collection mapped to a JSON column (a title's people) is written as the JSON EF itself writes.
        foreach (var navigation in entity.GetNavigations().Where(n => n.TargetEntityType.IsOwned()))
        {
            var owned = navigation.TargetEntityType;
            if (!owned.IsMappedToJson() || owned.GetNavigations().Any())
            {
                throw new InvalidOperationException($"{typeof(T)}.{navigation.Name} is owned but not a flat JSON column.");
            }
            var name = owned.GetContainerColumnName()!;
            // The column's store type (jsonb on PostgreSQL), so the parameter is sent as that and not as text.
            var storeType = db.Model.GetRelationalModel().FindTable(table.Name, table.Schema)?.FindColumn(name)?.StoreType;
            var mapping = strings.FindMapping(typeof(string), storeType)
                ?? throw new InvalidOperationException($"No string mapping for {storeType}.");
            var getter = navigation.GetGetter();
            var properties = owned.GetProperties().Where(p => p.GetJsonPropertyName() is not null)
                .Select(p => new JsonMember(JsonEncodedText.Encode(p.GetJsonPropertyName()!), p.GetGetter(), p.ClrType)).ToArray();
            columns.Add(new Column(name, mapping, true, row => Json(getter.GetClrValueUsingContainingEntity(row), properties),
                (writer, row) => getter.GetClrValueUsingContainingEntity(row) is { } value && WriteJson(writer, value, properties)));
        }
        var sql = db.GetService<ISqlGenerationHelper>();
        var head = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)))})";

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var inserted = 0;
            if (db.Database.IsSqlite())
            {
                // SQLite reads a whole chunk from one JSON parameter (json_each): its driver binds parameters by name, so
                // statements with thousands of parameters cost quadratic time, and one statement per row costs a call each.
                // A chunk is cut at about 32 KB of JSON, so that its text (and the UTF-8 copy the driver binds) stays off the
                // large-object heap: megabyte strings, one per page of titles, made the sync run a full collection every few pages.
                // jsonb_each parses the chunk once and hands each row over in SQLite's binary form; json_each hands it over as
                // text, which every json_extract of the row's columns parsed again.
                command.CommandText = $"{head} SELECT {string.Join(", ", columns.Select((_, i) => $"json_extract(value, '$[{i}]')"))} FROM jsonb_each(@rows)";
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@rows";
                command.Parameters.Add(parameter);
                var buffer = new ArrayBufferWriter<byte>(SqliteChunkBytes + SqliteChunkBytes / 4);
                using var writer = new Utf8JsonWriter(buffer);
                using var text = new JsonText();
                var pending = 0;
                foreach (var row in rows)
                {
                    if (pending == 0)
                    {
                        writer.WriteStartArray();
                    }
                    WriteRow(writer, row, columns, text);
                    pending++;
                    if (writer.BytesPending + buffer.WrittenCount >= SqliteChunkBytes)
                    {
                        inserted += await ExecuteChunkAsync();
                    }
                }
                if (pending > 0)
                {
                    inserted += await ExecuteChunkAsync();
                }
                CatalogWriteInterceptor.RawCommandExecuted(db, command);
                return inserted;

                async Task<int> ExecuteChunkAsync()
                {
                    writer.WriteEndArray();
                    await writer.FlushAsync(ct);
                    parameter.Value = Encoding.UTF8.GetString(buffer.WrittenSpan);
                    buffer.ResetWrittenCount();
                    writer.Reset(buffer);
                    pending = 0;
                    return await command.ExecuteNonQueryAsync(ct);
                }
            }
            // PostgreSQL is a round trip away: many rows per statement, each value a parameter typed as EF types it.
            foreach (var chunk in rows.Chunk(Math.Max(1, MaxParameters / columns.Count)))
            {
                command.Parameters.Clear();
                command.CommandText = head + " VALUES " + Placeholders(columns.Count, chunk.Length, sql);
                for (var r = 0; r < chunk.Length; r++)
                {
                    for (var c = 0; c < columns.Count; c++)
                    {
                        var column = columns[c];
                        command.Parameters.Add(column.Mapping.CreateParameter(command, "p" + (r * columns.Count + c), column.Read(chunk[r]), column.Nullable));
                    }
                }
                inserted += await command.ExecuteNonQueryAsync(ct);
            }
            CatalogWriteInterceptor.RawCommandExecuted(db, command);
            return inserted;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    // Read gives the value as the model holds it (PostgreSQL's parameters convert it). Json, for a column stored as JSON text
    // (a primitive collection, an owned collection), writes that text and returns false for null: SQLite's rows then carry
    // it without a string per row and per column (EF's converter builds one through a MemoryStream each time).
    private sealed record Column(string Name, RelationalTypeMapping Mapping, bool Nullable, Func<object, object?> Read,
        Func<Utf8JsonWriter, object, bool>? Json = null);

    private sealed record JsonMember(JsonEncodedText Name, IClrPropertyGetter Getter, Type ClrType);

    private static Column ModelColumn(IProperty property, string name)
    {
        var mapping = (RelationalTypeMapping)property.GetRelationalTypeMapping();
        Func<object, object?> read = property.GetGetter().GetClrValueUsingContainingEntity;
        // A primitive collection (a title's genres): EF's converter writes it with the mapping's JSON reader/writer into a
        // default Utf8JsonWriter; the same writer kind and reader/writer give the same text.
        Func<Utf8JsonWriter, object, bool>? json = mapping is { ElementTypeMapping: not null, JsonValueReaderWriter: { } collection, Converter.ProviderClrType: var provider }
            && provider == typeof(string)
                ? (writer, row) =>
                {
                    if (read(row) is not { } value)
                    {
                        return false;
                    }
                    collection.ToJson(writer, value);
                    return true;
                }
                : null;
        return new Column(name, mapping, property.IsNullable, read, json);
    }

    // A reused buffer and writer for one column's JSON text at a time.
    private sealed class JsonText : IDisposable
    {
        private readonly ArrayBufferWriter<byte> buffer = new(1024);
        private readonly Utf8JsonWriter writer;

        public JsonText() => writer = new Utf8JsonWriter(buffer);

        // Writes the column's text as a JSON string value, or null.
        public void WriteTo(Utf8JsonWriter row, Func<Utf8JsonWriter, object, bool> json, object entity)
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            if (!json(writer, entity))
            {
                row.WriteNullValue();
                return;
            }
            writer.Flush();
            row.WriteStringValue(buffer.WrittenSpan);
        }

        public void Dispose() => writer.Dispose();
    }

    private static string? Json(object? value, JsonMember[] properties)
    {
        if (value is null)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteJson(writer, value, properties);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static bool WriteJson(Utf8JsonWriter writer, object value, JsonMember[] properties)
    {
        if (value is System.Collections.IEnumerable items)
        {
            writer.WriteStartArray();
            foreach (var item in items)
            {
                WriteObject(writer, item, properties);
            }
            writer.WriteEndArray();
        }
        else
        {
            WriteObject(writer, value, properties);
        }
        return true;
    }

    private static void WriteObject(Utf8JsonWriter writer, object item, JsonMember[] properties)
    {
        writer.WriteStartObject();
        foreach (var property in properties)
        {
            writer.WritePropertyName(property.Name);
            switch (property.Getter.GetClrValue(item))
            {
                // What JsonSerializer writes for them, without its per-call type lookup (a title has a dozen people).
                case null:
                    writer.WriteNullValue();
                    break;
                case string text:
                    writer.WriteStringValue(text);
                    break;
                case var value:
                    JsonSerializer.Serialize(writer, value, property.ClrType);
                    break;
            }
        }
        writer.WriteEndObject();
    }

    // A row as an array of its columns' values as the model converts them for SQLite (dates as the integers EF stores).
    private static void WriteRow(Utf8JsonWriter writer, object row, List<Column> columns, JsonText text)
    {
        writer.WriteStartArray();
        foreach (var column in columns)
        {
            if (column.Json is { } json)
            {
                text.WriteTo(writer, json, row);
                continue;
            }
            var value = column.Read(row);
            WriteValue(writer, value is null ? null : column.Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value);
        }
        writer.WriteEndArray();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteNumberValue(flag ? 1 : 0);
                break;
            case int or long or short or byte:
                writer.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case double or float:
                writer.WriteNumberValue(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case DateOnly day:
                // As Microsoft.Data.Sqlite stores a DateOnly.
                writer.WriteStringValue(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                throw new NotSupportedException($"Bulk insert into SQLite has no JSON form for {value.GetType()}.");
        }
    }

    private static string Placeholders(int columns, int rows, ISqlGenerationHelper sql)
    {
        var text = new StringBuilder(rows * columns * 8);
        for (var r = 0; r < rows; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns; c++)
            {
                text.Append(c == 0 ? "" : ", ").Append(sql.GenerateParameterNamePlaceholder("p" + (r * columns + c)));
            }
            text.Append(')');
        }
        return text.ToString();
    }
}
