using Aperture.Embeddings;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Aperture.Pages.Admin.Settings;

public sealed class AiModel(EmbeddingSettings settings, EmbeddingCostEstimator estimator, IHttpClientFactory http) : PageModel
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

    [BindProperty] public EmbeddingForm Form { get; set; } = new();

    public EmbeddingConfig Config { get; private set; } = null!;
    public CostInputs Cost { get; private set; } = null!;
    public Dictionary<string, string> Errors { get; private set; } = [];
    public bool Saved { get; private set; }

    public async Task OnGetAsync(bool saved, CancellationToken ct)
    {
        await LoadAsync(ct);
        Form = new EmbeddingForm { Provider = Config.Provider, Model = Config.Provider == EmbeddingProviders.Local ? null : Config.Model, BaseUrl = Config.BaseUrl };
        Saved = saved;
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
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await settings.SaveAsync(input, ct);
        return Redirect("/admin/settings/ai?saved=true");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Config = await settings.GetAsync(ct);
        Cost = await estimator.EstimateAsync(ct);
    }
}
