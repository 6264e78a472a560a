using Aperture.Data;
using Aperture.MediaServers;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aperture.Api;

// A request the handler refuses for one field: thrown where a helper finds the problem, answered as a 400 naming the field.
public sealed class ApiValidationException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

// A path segment that names nothing (an unknown kind in /top-picks/{kind}): a 404 whose title says what would.
public sealed class ApiNotFoundException(string message) : Exception(message);

// The one place that turns what the API's handlers throw into problem+json: a media server that is not set up (503) or that
// refused or failed a call (502), and a bad field (400). Pages have their own error page; this only answers /api.
public sealed class ApiProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!httpContext.Request.Path.StartsWithSegments("/api") || ToResult(exception) is not { } result)
        {
            return false;
        }
        httpContext.Response.StatusCode = result.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = result.ProblemDetails, Exception = exception });
    }

    private static ProblemHttpResult? ToResult(Exception exception) => exception switch
    {
        MediaServerException e => MediaServer(e),
        ApiValidationException e => ApiJson.Invalid(e.Field, e.Message),
        ApiNotFoundException e => NotFound(e.Message),
        _ => null,
    };

    public static ProblemHttpResult MediaServer(MediaServerException e) => e.Kind == MediaServerErrorKind.NotConfigured
        ? TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: e.Message)
        : TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The media server failed or refused the call.", detail: e.Message);

    // A kind in a query or body: one vocabulary (MediaKinds.Parse); anything else is a 400 naming the field and listing the words.
    public static MediaKind Kind(string? text, string field = "kind") =>
        MediaKinds.Parse(text) ?? throw new ApiValidationException(field, MediaKinds.NotAKind(text));

    // A kind in the path: the same words; anything else names no resource, so a 404 whose title lists the words.
    public static MediaKind PathKind(string text) =>
        MediaKinds.Parse(text) ?? throw new ApiNotFoundException(MediaKinds.NotAKind(text));

    public static ProblemHttpResult NotFound(string title) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: title);

    public static ProblemHttpResult Conflict(string title) => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title);

    // A user's own routes: checked before any lookup, so a normal user cannot learn which ids exist.
    public static ProblemHttpResult? NotOwnUser(System.Security.Claims.ClaimsPrincipal caller, string userId) =>
        Auth.ClaimsPrincipalExtensions.MayAccessUser(caller, userId) ? null : Forbidden("You may only read your own data.");

    // The same check as an endpoint filter for a group under /users/{id}: it runs before the handler and any lookup.
    public static async ValueTask<object?> OwnUserOnly(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        NotOwnUser(context.HttpContext.User, context.HttpContext.GetRouteValue("id") as string ?? "") ?? await next(context);

    public static ProblemHttpResult UnknownUser(string id) => NotFound($"There is no user with id {id}.");

    public static ProblemHttpResult Forbidden(string title) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: title);
}
