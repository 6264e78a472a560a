using Aperture.Data;
using Microsoft.Extensions.Options;
using Quartz;

namespace Aperture.Jobs;

// Before Quartz fires anything: runs left unfinished by a previous start are marked Interrupted,
// every registered job exists in Quartz and its trigger matches its schedule. On a clustered
// PostgreSQL it then keeps looking for runs whose instance died.
public sealed class JobsStartup(
    JobRegistry registry,
    JobScheduleService schedules,
    JobRunService runs,
    ISchedulerFactory schedulers,
    DatabaseTarget database,
    IOptions<JobOptions> options,
    ILogger<JobsStartup> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private Task? sweeper;
    private bool disposed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        schedules.ValidateEnvironment();
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await runs.RecoverAsync(scheduler.SchedulerInstanceId, cancellationToken);
        await schedules.SynchronizeAsync(registry.All, cancellationToken);
        logger.LogInformation("{Count} jobs registered with the scheduler (instance {Instance})", registry.All.Count, scheduler.SchedulerInstanceId);
        if (database.Provider == DatabaseProvider.Postgres)
        {
            sweeper = Task.Run(() => SweepAsync(stopping.Token), CancellationToken.None);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The test host may dispose the container before it stops the host.
        if (sweeper is not { } running || disposed)
        {
            return;
        }
        try
        {
            await stopping.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // Disposed between the check above and here: Dispose has cancelled the sweeper already.
        }
        await running.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            stopping.Cancel();
            stopping.Dispose();
        }
    }

    private async Task SweepAsync(CancellationToken ct)
    {
        var period = options.Value.StaleAfter / 2;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, ct);
                await runs.SweepStaleAsync(null, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not look for job runs of stopped instances");
            }
        }
    }
}
