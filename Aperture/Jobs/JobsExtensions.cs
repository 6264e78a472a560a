using Aperture.Data;
using Microsoft.Extensions.Options;
using Quartz;
using Quartz.Impl.AdoJobStore;
using Aperture.Progress;

namespace Aperture.Jobs;

public static class JobsExtensions
{
    public const string DataSourceName = "aperture";

    // Quartz.NET 4 with its persistent store in the app's own database: SQLite by default, PostgreSQL
    // with clustering (a job runs once across instances). The database is known only once the lazily
    // resolved DatabaseTarget is, so everything that depends on it is configured through options.
    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<JobOptions>().BindConfiguration("Jobs");
        services.AddSingleton<JobRegistry>();
        services.AddSingleton<JobScheduleService>();
        services.AddSingleton<JobRunService>();
        services.AddSingleton<JobQueries>();
        // The one Quartz job, registered explicitly so its constructor is checked with the container.
        services.AddScoped<JobRunner>();
        services.AddPipelineJobs();
        services.AddJob<RunEverythingJob>(new JobDefinition(JobNames.RunEverything, "Run everything",
            "Runs the whole pipeline once, in order: catalogue, watch history, embeddings, picks, picks libraries and Top Picks. Stops at the first step that fails and names it.",
            typeof(RunEverythingJob), Locks: JobDefinition.AllDataLocks));

        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = "Aperture";
                // On shutdown running jobs get their token cancelled and are waited for, so each
                // records how it ended before the container goes away.
                o.ShutdownJobInterruption = ShutdownJobInterruption.Always;
            });
            q.UsePersistentStore(store =>
            {
                store.UseDataSource(DataSourceName);
                store.UseDataSource(_ => { });
                store.UseDriverDelegate(sp => sp.GetRequiredService<DatabaseTarget>().Provider == DatabaseProvider.Postgres
                    ? ActivatorUtilities.CreateInstance<PostgreSQLDelegate>(sp)
                    : ActivatorUtilities.CreateInstance<SQLiteDelegate>(sp));
                store.UseSystemTextJsonSerializer();
                store.ConfigureStore(o =>
                {
                    // Job data as strings: readable in the database and safe across versions.
                    o.StoreJobDataAsStrings = true;
                    // A run cut short by a shutdown is recorded as Interrupted, not re-run at start.
                    o.RecoverFiringsCancelledByShutdown = false;
                });
            });
        });
        services.AddOptions<DataSourceOptions>(DataSourceName).Configure<DatabaseTarget>((o, target) =>
        {
            o.Provider = target.Provider == DatabaseProvider.Postgres ? DataSourceOptions.Providers.Npgsql : DataSourceOptions.Providers.Sqlite;
            o.ConnectionString = target.ConnectionString;
        });
        services.AddOptions<ClusteringOptions>().Configure<DatabaseTarget, IOptions<JobOptions>>((o, target, jobs) =>
        {
            o.Enabled = target.Provider == DatabaseProvider.Postgres;
            o.CheckinInterval = jobs.Value.ClusterCheckinInterval;
            o.CheckinMisfireThreshold = jobs.Value.ClusterCheckinMisfireThreshold;
        });
        services.AddOptions<AdoJobStoreOptions>().Configure<DatabaseTarget>((o, target) => o.UseDbLocks = target.Provider == DatabaseProvider.Postgres);
        // A stable id per data folder and host: a restarted instance recognises the runs it left behind (InstanceIdentity).
        services.AddSingleton<InstanceIdentity>();
        services.AddOptions<QuartzSchedulerOptions>().Configure<InstanceIdentity>((o, identity) => o.InstanceId = identity.Id);
        // Each job runs at most once at a time, so one thread per job means a queued run never waits for a thread.
        services.AddOptions<ThreadPoolOptions>().Configure<JobRegistry>((o, registry) => o.MaxConcurrency = Math.Max(o.MaxConcurrency, registry.All.Count));

        services.AddHostedService<JobsStartup>();
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return builder;
    }
}
