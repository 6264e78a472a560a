using System.Collections.Concurrent;
using System.Net;
using System.Numerics.Tensors;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aperture.Fakes;

public enum OpenAiFaultKind { Status, Timeout, BadJson, WrongDimensions, EmptyReply }

public sealed record OpenAiFault(OpenAiFaultKind Kind, int Status = 500, int? RetryAfterSeconds = null)
{
    public static OpenAiFault Http(int status, int? retryAfterSeconds = null) => new(OpenAiFaultKind.Status, status, retryAfterSeconds);
    public static readonly OpenAiFault Timeout = new(OpenAiFaultKind.Timeout);
    public static readonly OpenAiFault BadJson = new(OpenAiFaultKind.BadJson);
    public static readonly OpenAiFault WrongDimensions = new(OpenAiFaultKind.WrongDimensions);
    // Chat completions: a well-formed answer whose message has no text.
    public static readonly OpenAiFault EmptyReply = new(OpenAiFaultKind.EmptyReply);
}

public sealed record OpenAiCall(string Model, int Inputs, string? EncodingFormat, string? Authorization, int Status);

public sealed record OpenAiChatMessage(string Role, string Content);

public sealed record OpenAiChatCall(string Model, IReadOnlyList<OpenAiChatMessage> Messages, bool? Stream, int? MaxTokens, string? Authorization, int Status)
{
    public string User => Messages.LastOrDefault(m => m.Role == "user")?.Content ?? "";
}

// OpenAI's POST /v1/embeddings and POST /v1/chat/completions (also what Ollama, LM Studio, LocalAI and vLLM
// serve) on 127.0.0.1. Vectors are hashed bags of words: texts sharing words are near, and the same text is
// always the same vector. Chat replies echo the first line of the last user message (see Reply).
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<OpenAiFault> faults = new();
    private readonly ConcurrentQueue<OpenAiCall> calls = new();
    private readonly ConcurrentQueue<OpenAiChatCall> chatCalls = new();

    private FakeOpenAiServer(WebApplication app, string? apiKey, int dimensions)
    {
        this.app = app;
        ApiKey = apiKey;
        Dimensions = dimensions;
    }

    public string BaseUrl { get; private set; } = "";
    public string? ApiKey { get; }
    public int Dimensions { get; set; }
    public IReadOnlyList<OpenAiCall> Calls => calls.ToList();
    public IReadOnlyList<OpenAiChatCall> ChatCalls => chatCalls.ToList();

    // Each request takes the next fault, if any.
    public void Enqueue(params OpenAiFault[] next)
    {
        foreach (var fault in next)
        {
            faults.Enqueue(fault);
        }
    }

    public static async Task<FakeOpenAiServer> StartAsync(int dimensions = 64, string? apiKey = "sk-fake-0123456789")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOpenAiServer(app, apiKey, dimensions);
        app.MapPost("/v1/embeddings", server.EmbeddingsAsync);
        app.MapPost("/v1/chat/completions", server.ChatCompletionsAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.TrimEnd('/') + "/v1";
        return server;
    }

    private async Task EmbeddingsAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var body = await ReadBodyAsync(context);
        if (body is null)
        {
            return;
        }
        var model = body?["model"]?.GetValue<string>() ?? "";
        var encoding = body?["encoding_format"]?.GetValue<string>();
        var inputs = body?["input"] switch
        {
            JsonArray array => array.Select(n => n!.GetValue<string>()).ToList(),
            JsonValue value => [value.GetValue<string>()],
            _ => [],
        };
        faults.TryDequeue(out var fault);
        var status = fault?.Kind == OpenAiFaultKind.Status ? fault.Status : 200;
        if (ApiKey is not null && authorization != "Bearer " + ApiKey)
        {
            status = 401;
        }
        calls.Enqueue(new OpenAiCall(model, inputs.Count, encoding, authorization, status));

        if (await FailedAsync(context, status, fault))
        {
            return;
        }
        if (inputs.Count == 0 || inputs.Any(string.IsNullOrEmpty))
        {
            await ErrorAsync(context, 400, "invalid_request_error", "'input' must be a non-empty string or array of non-empty strings.");
            return;
        }

        var dims = fault?.Kind == OpenAiFaultKind.WrongDimensions ? Dimensions + 1 : Dimensions;
        var data = new JsonArray();
        for (var i = 0; i < inputs.Count; i++)
        {
            var vector = Embed(inputs[i], dims);
            JsonNode embedding = encoding == "base64"
                ? JsonValue.Create(Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan())))
                : new JsonArray(vector.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding });
        }
        var tokens = inputs.Sum(t => t.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        var response = new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        };
        var text = response.ToJsonString();
        if (fault?.Kind == OpenAiFaultKind.BadJson)
        {
            text = text[..(text.Length / 2)];
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(text, context.RequestAborted);
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted)
                ?? throw new JsonException("null body");
        }
        catch (JsonException)
        {
            await ErrorAsync(context, 400, "invalid_request_error", "We could not parse the JSON body of your request.");
            return null;
        }
    }

    // The deterministic answer to a chat: the first line of the last user message, quoted back.
    public static string Reply(string model, string user) =>
        $"[{model}] {user.Split('\n', 2)[0].Trim()}";

    private async Task ChatCompletionsAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var body = await ReadBodyAsync(context);
        if (body is null)
        {
            return;
        }
        var model = body["model"]?.GetValue<string>() ?? "";
        var stream = body["stream"]?.GetValue<bool>();
        var maxTokens = (body["max_completion_tokens"] ?? body["max_tokens"])?.GetValue<int>();
        var messages = (body["messages"] as JsonArray ?? []).Select(m => new OpenAiChatMessage(
            m?["role"]?.GetValue<string>() ?? "",
            m?["content"] switch
            {
                JsonValue text => text.GetValue<string>(),
                // Content parts: [{"type":"text","text":"..."}]
                JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? "")),
                _ => "",
            })).ToList();
        faults.TryDequeue(out var fault);
        var status = fault?.Kind == OpenAiFaultKind.Status ? fault.Status : 200;
        if (ApiKey is not null && authorization != "Bearer " + ApiKey)
        {
            status = 401;
        }
        chatCalls.Enqueue(new OpenAiChatCall(model, messages, stream, maxTokens, authorization, status));

        if (await FailedAsync(context, status, fault))
        {
            return;
        }
        if (stream == true)
        {
            await ErrorAsync(context, 400, "invalid_request_error", "This fake serves non-streaming chat completions only.");
            return;
        }
        if (string.IsNullOrEmpty(model) || messages.Count == 0)
        {
            await ErrorAsync(context, 400, "invalid_request_error", "'model' and a non-empty 'messages' array are required.");
            return;
        }
        var user = messages.LastOrDefault(m => m.Role == "user")?.Content ?? "";
        var reply = fault?.Kind == OpenAiFaultKind.EmptyReply ? "" : Reply(model, user);
        var promptTokens = messages.Sum(m => m.Content.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        var completionTokens = reply.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var response = new JsonObject
        {
            ["id"] = "chatcmpl-fake" + chatCalls.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply, ["refusal"] = null },
                ["logprobs"] = null,
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = promptTokens, ["completion_tokens"] = completionTokens, ["total_tokens"] = promptTokens + completionTokens,
            },
            ["system_fingerprint"] = "fp_fake",
        };
        var json = response.ToJsonString();
        if (fault?.Kind == OpenAiFaultKind.BadJson)
        {
            json = json[..(json.Length / 2)];
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    public static float[] Embed(string text, int dims)
    {
        var vector = new float[dims];
        foreach (var word in text.ToLowerInvariant().Split([' ', '.', ',', ':', ';', '(', ')', '!', '?'], StringSplitOptions.RemoveEmptyEntries))
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(word));
            vector[BitConverter.ToUInt32(hash, 0) % (uint)dims] += (hash[4] & 1) == 0 ? 1f : -1f;
        }
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
        return vector;
    }

    // The answer both endpoints give to a wrong key or a queued fault; true when the request was answered (or hung up).
    private static async Task<bool> FailedAsync(HttpContext context, int status, OpenAiFault? fault)
    {
        if (status == 401)
        {
            await ErrorAsync(context, 401, "invalid_request_error", "Incorrect API key provided.");
            return true;
        }
        if (fault?.Kind == OpenAiFaultKind.Timeout)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return true;
            }
        }
        if (status == 200)
        {
            return false;
        }
        if (fault!.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await ErrorAsync(context, status, status == 429 ? "rate_limit_exceeded" : "server_error", $"Fake failure {status}.");
        return true;
    }

    private static async Task ErrorAsync(HttpContext context, int status, string type, string message)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new { error = new { message, type, param = (string?)null, code = (string?)null } });
    }

    public async ValueTask DisposeAsync()
    {
        // A request held open by a Timeout fault must not hold up the test's clean-up.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await app.StopAsync(stop.Token);
        await app.DisposeAsync();
    }
}
