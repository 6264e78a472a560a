using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace Aperture.Data;

public static class DataExtensions
{
    // Everything here is resolved from configuration when first used (not while the builder runs),
    // so settings given by a test host or by the environment are read the same way.
    public static WebApplicationBuilder AddData(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(sp => AppPaths.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => DatabaseUrl.Resolve(
            sp.GetRequiredService<IConfiguration>()["DATABASE_URL"], sp.GetRequiredService<AppPaths>().DataDirectory));

        // The catalogue's version (what the per-instance memo of catalogue-wide figures is keyed by) follows every write.
        services.AddSingleton<CatalogVersion>();
        services.AddSingleton<CatalogMemo>();
        services.AddSingleton<DataMemo>();
        services.AddSingleton<CatalogWriteInterceptor>();
        services.AddDbContext<SqliteAppDbContext>((sp, o) => o.UseSqlite(sp.GetRequiredService<DatabaseTarget>().ConnectionString)
            .AddInterceptors(sp.GetRequiredService<CatalogWriteInterceptor>()));
        services.AddDbContext<PostgresAppDbContext>((sp, o) =>
            o.UseNpgsql(sp.GetRequiredService<DatabaseTarget>().ConnectionString, n => n.UseVector())
                .AddInterceptors(sp.GetRequiredService<CatalogWriteInterceptor>()));
        services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<DatabaseTarget>().Provider == DatabaseProvider.Postgres
            ? sp.GetRequiredService<PostgresAppDbContext>()
            : sp.GetRequiredService<SqliteAppDbContext>());

        // Keys that protect secrets and cookies. On PostgreSQL several instances may serve the
        // same install, so the key ring lives in the shared database; on SQLite in the data folder.
        services.AddDataProtection().SetApplicationName("Aperture");
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((o, sp) =>
        {
            var loggers = sp.GetRequiredService<ILoggerFactory>();
            o.XmlRepository = sp.GetRequiredService<DatabaseTarget>().Provider == DatabaseProvider.Postgres
                ? new EntityFrameworkCoreXmlRepository<AppDbContext>(sp, loggers)
                : new FileSystemXmlRepository(new DirectoryInfo(sp.GetRequiredService<AppPaths>().KeysDirectory), loggers);
        });

        services.AddScoped<DatabaseBackup>();
        services.AddSingleton<DatabaseInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseInitializer>());
        services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database");
        return builder;
    }
}
