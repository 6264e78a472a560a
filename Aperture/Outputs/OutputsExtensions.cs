using Aperture.Data;
using Microsoft.Extensions.Options;

namespace Aperture.Outputs;

public static class OutputsExtensions
{
    // The file half of outputs: where libraries are written and how paths map between Aperture and the server.
    public static WebApplicationBuilder AddOutputs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OutputOptions>()
            .Configure<IConfiguration>(OutputOptions.Bind)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OutputOptions>, OutputOptionsValidator>();
        // The environment layer above; what is in force (environment, else Admin › Outputs, else defaults) comes from here.
        builder.Services.AddScoped<OutputSettings>();
        builder.Services.AddScoped<OutputSyncService>();
        return builder;
    }

    private sealed class OutputOptionsValidator : IValidateOptions<OutputOptions>
    {
        public ValidateOptionsResult Validate(string? name, OutputOptions options) =>
            options.Validate() is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
    }
}
