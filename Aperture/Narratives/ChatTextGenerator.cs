using System.ClientModel;
using System.Text.RegularExpressions;
using Aperture.Settings;
using Microsoft.Extensions.AI;

namespace Aperture.Narratives;

public enum TextGenerationErrorKind { Unauthorized, RateLimited, ServerError, Timeout, Unreachable, BadResponse, EmptyAnswer, BadRequest }

public sealed class TextGenerationException : Exception
{
    public TextGenerationException(TextGenerationErrorKind kind, string message, Exception? inner = null) : base(message, inner) => Kind = kind;
    public TextGenerationException() { }
    public TextGenerationException(string message) : base(message) { }
    public TextGenerationException(string message, Exception inner) : base(message, inner) { }

    public TextGenerationErrorKind Kind { get; }
}

public sealed record ChatTextOptions(string Model, string? ApiKey, Uri? BaseUrl, TimeSpan Timeout, int MaxRetries);

// OpenAI's /v1/chat/completions (or a compatible server's) behind IChatClient: one question, one plain-text answer.
public sealed partial class ChatTextGenerator(IChatClient client, ChatTextOptions options) : IDisposable
{
    private const int MaxAnswerLength = 900;

    public string Model => options.Model;

    public static ChatTextGenerator Create(ChatTextOptions options, HttpClient? http = null)
    {
        var client = AiProviderClients.Create(options.ApiKey, options.BaseUrl, options.Timeout, options.MaxRetries, http)
            .GetChatClient(options.Model).AsIChatClient();
        return new ChatTextGenerator(client, options);
    }

    // Throws TextGenerationException for every failure but the caller's own cancellation.
    public async Task<string> AskAsync(string system, string user, int maxOutputTokens, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // One budget for the whole exchange, retries included: a slow server must not stall a run.
        timeout.CancelAfter(options.Timeout * Math.Max(1, options.MaxRetries + 1));
        ChatResponse response;
        try
        {
            response = await client.GetResponseAsync(
                [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, user)],
                new ChatOptions { MaxOutputTokens = maxOutputTokens }, timeout.Token);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            throw Classify(e);
        }
        var text = Clean(response.Text);
        return text.Length > 0
            ? text
            : throw new TextGenerationException(TextGenerationErrorKind.EmptyAnswer, $"Model '{options.Model}' answered with no text.");
    }

    // One paragraph of plain text: no wrapping quotes, no line breaks, not endless.
    private static string Clean(string? text)
    {
        var flat = Whitespace().Replace(text ?? "", " ").Trim().Trim('"', '\u201C', '\u201D').Trim();
        if (flat.Length <= MaxAnswerLength)
        {
            return flat;
        }
        var cut = flat[..MaxAnswerLength];
        var end = cut.LastIndexOfAny(['.', '!', '?']);
        return end > MaxAnswerLength / 2 ? cut[..(end + 1)] : cut.TrimEnd() + "…";
    }

    private TextGenerationException Classify(Exception e) => e switch
    {
        TextGenerationException t => t,
        ClientResultException { Status: 401 or 403 } c => new(TextGenerationErrorKind.Unauthorized,
            $"The text model's server rejected the API key ({c.Status}).", e),
        ClientResultException { Status: 429 } => new(TextGenerationErrorKind.RateLimited,
            "The text model's server kept answering 429 (rate limit or quota); try again later or check the plan's quota.", e),
        ClientResultException { Status: 404 } => new(TextGenerationErrorKind.BadRequest,
            $"The text model's server does not know model '{options.Model}' (404).", e),
        ClientResultException { Status: >= 400 and < 500 } c => new(TextGenerationErrorKind.BadRequest,
            $"The text model's server refused the request ({c.Status}): {FirstLine(c.Message)}", e),
        ClientResultException { Status: > 0 } c => new(TextGenerationErrorKind.ServerError,
            $"The text model's server failed with HTTP {c.Status}.", e),
        OperationCanceledException or TimeoutException => new(TextGenerationErrorKind.Timeout,
            $"The text model did not answer within {options.Timeout.TotalSeconds:0} s (timeout).", e),
        HttpRequestException or ClientResultException => new(TextGenerationErrorKind.Unreachable,
            $"The text model's server at {options.BaseUrl?.Authority ?? "api.openai.com"} is unreachable ({FirstLine(e.Message)}).", e),
        _ => new(TextGenerationErrorKind.BadResponse,
            $"The text model's server sent an answer that is not chat-completion JSON ({FirstLine(e.Message)}).", e),
    };

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    public void Dispose() => client.Dispose();
}
