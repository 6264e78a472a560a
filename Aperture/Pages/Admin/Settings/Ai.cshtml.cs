using Aperture.Embeddings;
using Aperture.Narratives;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.Admin.Settings;

public sealed class AiModel(EmbeddingSettings settings, EmbeddingCostEstimator estimator, TextGenerationSettings textSettings,
    NarrativeGate gate, IHttpClientFactory http) : PageModel
{
    public sealed class EmbeddingForm
    {
        public string Provider { get; set; } = EmbeddingProviders.Local;
        public string? Model { get; set; }
        public string? BaseUrl { get; set; }
        public string? ApiKey { get; set; }
        public bool ClearApiKey { get; set; }

        public EmbeddingConfigInput ToInput() => new(Provider, Provider == EmbeddingProviders.Local ? null : Model?.Trim(),
            Provider == EmbeddingProviders.Compatible ? BaseUrl : null, string.IsNullOrWhiteSpace(ApiKey) ? null : ApiKey, ClearApiKey);
    }

    public sealed class TextGenerationForm
    {
        public string Provider { get; set; } = TextGenerationProviders.None;
        public string? Model { get; set; }
        public string? BaseUrl { get; set; }
        public string? ApiKey { get; set; }
        public bool ClearApiKey { get; set; }
        public int? LlmPicksPerUser { get; set; }

        // A blank model means OpenAI's default; a compatible server has no default.
        public TextGenerationConfigInput ToInput() => new(Provider, Provider == TextGenerationProviders.None ? null
                : string.IsNullOrWhiteSpace(Model) ? (Provider == TextGenerationProviders.OpenAi ? TextGenerationSettings.DefaultOpenAiModel : "") : Model.Trim(),
            Provider == TextGenerationProviders.Compatible ? BaseUrl ?? "" : null, string.IsNullOrWhiteSpace(ApiKey) ? null : ApiKey,
            Provider == TextGenerationProviders.Compatible && ClearApiKey, LlmPicksPerUser);
    }

    [BindProperty] public EmbeddingForm Form { get; set; } = new();
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
        Form = SavedEmbeddingForm();
        Text = SavedTextForm();
        Saved = saved;
        TextSaved = textSaved;
    }

    public async Task<IActionResult> OnPostTestTextGenerationAsync(CancellationToken ct)
    {
        var input = Text.ToInput() with { ClearApiKey = false };
        var errors = TextGenerationSettings.Validate(input, await textSettings.GetAsync(ct));
        var result = errors.Count > 0
            ? new TextGenerationTestResult(false, null, Narrative.LocalSource, null, string.Join(" ", errors.Values))
            : await textSettings.TestAsync(input, http.CreateClient(NarrativesExtensions.HttpClientName), ct);
        return Partial("_TextGenerationTest", result);
    }

    public async Task<IActionResult> OnPostTextGenerationAsync(CancellationToken ct)
    {
        var input = Text.ToInput();
        TextErrors = TextGenerationSettings.Validate(input, await textSettings.GetAsync(ct));
        if (TextErrors.Count > 0)
        {
            await LoadAsync(ct);
            Form = SavedEmbeddingForm();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await textSettings.SaveAsync(input, ct);
        gate.Reset();
        return Redirect("/admin/settings/ai?textSaved=true#text-generation");
    }

    public async Task<IActionResult> OnPostTestAsync(CancellationToken ct)
    {
        var input = Form.ToInput();
        var errors = EmbeddingSettings.Validate(input, await settings.GetAsync(ct));
        var result = errors.Count > 0
            ? new EmbeddingTestResult(false, null, null, string.Join(" ", errors.Values))
            : await settings.TestAsync(input, http.CreateClient(EmbeddingsExtensions.HttpClientName), ct);
        return Partial("_EmbeddingTest", result);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var input = Form.ToInput();
        Errors = EmbeddingSettings.Validate(input, await settings.GetAsync(ct));
        if (Errors.Count > 0)
        {
            await LoadAsync(ct);
            Text = SavedTextForm();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await settings.SaveAsync(input, ct);
        return Redirect("/admin/settings/ai?saved=true");
    }

    private EmbeddingForm SavedEmbeddingForm() =>
        new() { Provider = Config.Provider, Model = Config.Provider == EmbeddingProviders.Local ? null : Config.Model, BaseUrl = Config.BaseUrl };

    private TextGenerationForm SavedTextForm() =>
        new() { Provider = TextConfig.Provider, Model = TextConfig.Model, BaseUrl = TextConfig.BaseUrl, LlmPicksPerUser = TextConfig.LlmPicksPerUser };

    private async Task LoadAsync(CancellationToken ct)
    {
        Config = await settings.GetAsync(ct);
        Cost = await estimator.EstimateAsync(ct);
        TextConfig = await textSettings.GetAsync(ct);
    }
}
