using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Antiforgery;
using Aperture.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aperture.Api;

public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = AddConverters(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    });

    // Enums travel as words ("movie", "running"), not numbers; a feature's TitleImage travels as its image link.
    public static void AddConverters(IList<JsonConverter> converters)
    {
        converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        converters.Add(new TitleImageJson());
    }

    private static JsonSerializerOptions AddConverters(JsonSerializerOptions options)
    {
        AddConverters(options.Converters);
        return options;
    }

    // Reads a JSON body; a malformed body or an unknown field is a 400 naming the field, never a 500.
    public static async Task<(T? Value, ProblemHttpResult? Error)> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Send a JSON body with Content-Type: application/json."));
        }
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, Options, ct);
            return value is null
                ? (null, Invalid("$", "The body must be a JSON object."))
                : (value, null);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "$" : e.Path.TrimStart('$', '.');
            return (null, Invalid(field, $"The request body is not valid JSON here: {FirstLine(e.Message)}"));
        }
    }

    // A test call may come without a body (test what is saved) or with one (test these values): an empty POST is the former.
    public static bool HasBody(HttpRequest request) =>
        request.ContentLength is > 0 || (request.ContentLength is null && request.ContentType is not null);

    public static ProblemHttpResult Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string> { [field] = message });

    // The one shape of a 400: a validation problem whose errors and title name the fields.
    public static ProblemHttpResult Invalid(IReadOnlyDictionary<string, string> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => new[] { e.Value }))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = $"Invalid value for '{string.Join("', '", errors.Keys)}'.",
        });

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    // Cookie-authenticated state changes must come as JSON (a cross-origin page cannot send that
    // without a CORS preflight, which Aperture never grants) or carry the antiforgery token (htmx).
    public static RouteGroupBuilder RequireJsonOrAntiforgery(this RouteGroupBuilder group) => group.AddEndpointFilter(async (context, next) =>
    {
        var request = context.HttpContext.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || request.HasJsonContentType())
        {
            return await next(context);
        }
        var antiforgery = context.HttpContext.RequestServices.GetRequiredService<IAntiforgery>();
        if (await antiforgery.IsRequestValidAsync(context.HttpContext))
        {
            return await next(context);
        }
        return Results.Problem(statusCode: StatusCodes.Status400BadRequest,
            title: "State-changing API calls must send Content-Type: application/json (or an antiforgery token).");
    });
}
