using Aperture.Embeddings;
using Aperture.Narratives;
using Aperture.Settings;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.Admin.Settings;

// The fields both AI provider forms post; a blank key keeps the stored one.
public class AiProviderForm
{
    public string Provider { get; set; } = "";
    public string? Model { get; set; }
    public string? BaseUrl { get; set; }
    public string? ApiKey { get; set; }
    public bool ClearApiKey { get; set; }

    protected string? TypedKey => string.IsNullOrWhiteSpace(ApiKey) ? null : ApiKey;
}

// One AI provider section of the page (_AiProviderFields): its form prefix (also the section its Save and Test post to),
// choices, saved state and errors. Extra: the fields only this provider has, shown before the buttons.
public sealed record AiProviderSection(string Prefix, string TestTarget, string TestingText,
    IReadOnlyList<(string Value, string Label)> Providers, string ProviderLabel, AiProviderForm Form, AiProviderConfig Config,
    IReadOnlyDictionary<string, string> Errors, string ModelPlaceholder, IReadOnlyList<string> KnownModels, string KeyLabel, bool CanClearKey,
    Func<object?, IHtmlContent>? Extra = null);

public sealed class AiModel(EmbeddingSettings settings, EmbeddingCostEstimator estimator, TextGenerationSettings textSettings,
    NarrativeGate gate, IHttpClientFactory http) : PageModel
{
    public sealed class EmbeddingForm : AiProviderForm
    {
        public EmbeddingForm() => Provider = EmbeddingProviders.Local;

        public EmbeddingConfigInput ToInput() => new(Provider, Provider == EmbeddingProviders.Local ? null : Model?.Trim(),
            Provider == EmbeddingProviders.Compatible ? BaseUrl : null, TypedKey, ClearApiKey);
    }

    public sealed class TextGenerationForm : AiProviderForm
    {
        public TextGenerationForm() => Provider = TextGenerationProviders.None;

        public int? LlmPicksPerUser { get; set; }

        // A blank model means OpenAI's default; a compatible server has no default.
        public TextGenerationConfigInput ToInput() => new(Provider, Provider == TextGenerationProviders.None ? null
                : string.IsNullOrWhiteSpace(Model) ? (Provider == TextGenerationProviders.OpenAi ? TextGenerationSettings.DefaultOpenAiModel : "") : Model.Trim(),
            Provider == TextGenerationProviders.Compatible ? BaseUrl ?? "" : null, TypedKey, ClearApiKey, LlmPicksPerUser);
    }

    [BindProperty] public EmbeddingForm Embedding { get; set; } = new();
    [BindProperty] public TextGenerationForm Text { get; set; } = new();

    public EmbeddingConfig Config { get; private set; } = null!;
    public CostInputs Cost { get; private set; } = null!;
    public TextGenerationConfig TextConfig { get; private set; } = null!;
    public Dictionary<string, string> Errors { get; private set; } = [];
    public Dictionary<string, string> TextErrors { get; private set; } = [];
    public bool Saved { get; private set; }
    public bool TextSaved { get; private set; }

    public async Task OnGetAsync(bool saved, bool textSaved, CancellationToken ct)
    {
        await LoadAsync(ct);
        (Saved, TextSaved) = (saved, textSaved);
    }

    // The two sections, as their forms post them (?handler=Save|Test&section=...): each form's fields carry its prefix.
    public const string EmbeddingSection = "Embedding";
    public const string TextSection = "Text";

    public async Task<IActionResult> OnPostTestAsync(string? section, CancellationToken ct) => section switch
    {
        EmbeddingSection => Partial("_EmbeddingTest",
            (await settings.ValidateAndTestAsync(Embedding.ToInput(), http.CreateClient(EmbeddingsExtensions.HttpClientName), ct)).Result),
        TextSection => Partial("_TextGenerationTest",
            (await textSettings.ValidateAndTestAsync(Text.ToInput(), http.CreateClient(NarrativesExtensions.HttpClientName), ct)).Result),
        _ => NotFound(),
    };

    public async Task<IActionResult> OnPostSaveAsync(string? section, CancellationToken ct)
    {
        switch (section)
        {
            case EmbeddingSection:
                var embedding = Embedding.ToInput();
                Errors = settings.Validate(embedding, await settings.GetAsync(ct));
                if (Errors.Count > 0)
                {
                    return await InvalidAsync(keep: Embedding, ct);
                }
                await settings.SaveAsync(embedding, ct);
                return Redirect("/admin/settings/ai?saved=true");
            case TextSection:
                var text = Text.ToInput();
                TextErrors = textSettings.Validate(text, await textSettings.GetAsync(ct));
                if (TextErrors.Count > 0)
                {
                    return await InvalidAsync(keep: Text, ct);
                }
                await textSettings.SaveAsync(text, ct);
                gate.Reset();
                return Redirect("/admin/settings/ai?textSaved=true#text-generation");
            default:
                return NotFound();
        }
    }

    // The form that failed keeps what was typed (never the key); the other shows what is saved.
    private async Task<IActionResult> InvalidAsync(AiProviderForm keep, CancellationToken ct)
    {
        var (embedding, text) = (Embedding, Text);
        await LoadAsync(ct);
        if (keep == embedding)
        {
            Embedding = embedding;
        }
        else
        {
            Text = text;
        }
        keep.ApiKey = null;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Config = await settings.GetAsync(ct);
        Cost = await estimator.EstimateAsync(ct);
        TextConfig = await textSettings.GetAsync(ct);
        Embedding = new() { Provider = Config.Provider, Model = Config.Provider == EmbeddingProviders.Local ? null : Config.Model, BaseUrl = Config.BaseUrl };
        Text = new() { Provider = TextConfig.Provider, Model = TextConfig.Model, BaseUrl = TextConfig.BaseUrl, LlmPicksPerUser = TextConfig.LlmPicksPerUser };
    }
}
