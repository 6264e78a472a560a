using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aperture.Fakes.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Aperture.Fakes.Api;

internal enum Access { Anonymous, User, Admin }

// An API key is an administrator without a user.
internal sealed record Caller(FakeToken Token, FakeUser? User)
{
    public bool IsAdmin => User is null || User.IsAdministrator;

    public bool Is(FakeUser user) => User?.Id == user.Id;
}

internal sealed class FakeRequest(HttpContext http, FakeMediaServer server, JsonObject? body, AuthInfo auth)
{
    public HttpContext Http => http;
    public FakeMediaServer Server => server;
    public FakeState State => server.State;
    public Dialect Dialect => server.State.Dialect;
    public JsonObject? Body => body;
    public AuthInfo Auth => auth;
    public Caller? Caller { get; set; }

    // Set once Access.User or Admin has been checked.
    public Caller Me => Caller ?? throw new InvalidOperationException("The route is anonymous");

    public string Route(string name) => http.Request.RouteValues[name]?.ToString() ?? "";

    public string? Query(string name) => http.Request.Query[name].ToString() is { Length: > 0 } s ? s : null;

    // Comma-separated and repeated forms both; Genres/Tags/Studios use '|' on Jellyfin.
    public string[] QueryList(string name, char separator = ',') =>
        [.. http.Request.Query[name].SelectMany(v => (v ?? "").Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    // Repeated only: a path may contain a comma.
    public string[] QueryValues(string name) => [.. http.Request.Query[name].OfType<string>().Where(v => v.Length > 0)];

    public int? QueryInt(string name) => int.TryParse(Query(name), CultureInfo.InvariantCulture, out var v) ? v : null;

    public long? QueryLong(string name) => long.TryParse(Query(name), CultureInfo.InvariantCulture, out var v) ? v : null;

    public bool? QueryBool(string name) => bool.TryParse(Query(name), out var v) ? v : null;

    public DateTimeOffset? QueryDate(string name) =>
        DateTimeOffset.TryParse(Query(name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var v) ? v : null;

    // A userId in the route or query, else the token's own user; another user's view needs an administrator.
    public Reply? ResolveUser(out FakeUser? user)
    {
        var id = http.Request.RouteValues["userId"]?.ToString() ?? Query("userId");
        user = id is null ? Caller?.User : State.FindUser(id);
        if (id is null || Caller is null)
        {
            return null;
        }
        if (user is null)
        {
            return Reply.NotFound("User not found.");
        }
        return Caller.IsAdmin || Caller.Is(user) ? null : Reply.Forbidden();
    }
}

internal sealed record Reply(int Status, byte[] Body, string? ContentType)
{
    private const string JsonType = "application/json; charset=utf-8";

    public static Reply NoContent() => new(StatusCodes.Status204NoContent, [], null);

    public static Reply Json(Action<Utf8JsonWriter> write) => new(StatusCodes.Status200OK, Wire.Json.Write(write), JsonType);

    public static Reply Object(Action<Utf8JsonWriter> writeProperties) => Json(w =>
    {
        w.WriteStartObject();
        writeProperties(w);
        w.WriteEndObject();
    });

    public static Reply Array<T>(IEnumerable<T> values, Action<Utf8JsonWriter, T> writeOne) => Json(w =>
    {
        w.WriteStartArray();
        foreach (var v in values)
        {
            writeOne(w, v);
        }
        w.WriteEndArray();
    });

    public static Reply Text(int status, string text) => new(status, Encoding.UTF8.GetBytes(text), "text/plain; charset=utf-8");

    public static Reply Bytes(byte[] bytes, string contentType) => new(StatusCodes.Status200OK, bytes, contentType);

    public static Reply BadRequest(string message) => Text(StatusCodes.Status400BadRequest, message);

    public static Reply NotFound(string message = "Not found.") => Text(StatusCodes.Status404NotFound, message);

    public static Reply Forbidden() => Text(StatusCodes.Status403Forbidden, "Forbidden");

    public static Reply Unauthorized() => Text(StatusCodes.Status401Unauthorized, "Unauthorized");

    public async Task WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = Status;
        if (ContentType is not null)
        {
            context.Response.ContentType = ContentType;
        }
        if (Body.Length == 0)
        {
            return;
        }
        context.Response.ContentLength = Body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(Body, context.RequestAborted);
        }
    }
}

// Every route runs the same way: read the body, then under the state lock authorise and handle, then write.
// Handlers are synchronous functions of the state, which keeps the fake thread-safe without thinking about it.
internal sealed class RouteTable(WebApplication app, FakeMediaServer server)
{
    public FakeDialect Dialect => server.Dialect;

    public void Get(string pattern, Access access, Func<FakeRequest, Reply> handler) => Map(["GET", "HEAD"], pattern, access, handler);

    public void Post(string pattern, Access access, Func<FakeRequest, Reply> handler) => Map(["POST"], pattern, access, handler);

    public void Delete(string pattern, Access access, Func<FakeRequest, Reply> handler) => Map(["DELETE"], pattern, access, handler);

    private void Map(string[] methods, string pattern, Access access, Func<FakeRequest, Reply> handler) =>
        app.MapMethods(pattern, methods, async context =>
        {
            var request = new FakeRequest(context, server, ParseBody(context), FakeMediaServer.AuthOf(context));
            Reply reply;
            lock (server.State.Sync)
            {
                reply = Authorize(request, access) ?? handler(request);
                if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
                {
                    server.State.Changed();
                }
            }
            await reply.WriteAsync(context);
        });

    private static Reply? Authorize(FakeRequest request, Access access)
    {
        var token = request.Auth.Token is { } t ? request.State.FindToken(t) : null;
        var user = token?.UserId is { } id ? request.State.FindUser(id) : null;
        var valid = token is not null && (token.UserId is null || user is { IsDisabled: false });
        request.Caller = valid ? new Caller(token!, user) : null;
        return access switch
        {
            Access.Anonymous => null,
            _ when request.Caller is null => Reply.Unauthorized(),
            Access.Admin when !request.Caller.IsAdmin => Reply.Forbidden(),
            _ => null,
        };
    }

    private static JsonObject? ParseBody(HttpContext context)
    {
        var bytes = FakeMediaServer.BodyOf(context);
        if (bytes.Length == 0)
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(bytes) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
