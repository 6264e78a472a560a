using Aperture.Jobs;
using Aperture.Data;
using Aperture.Progress;

namespace Aperture.Tests.Jobs;

public sealed class UnixCronTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0 3 * * *", "0 0 3 * * ?")]
    [InlineData("*/15 * * * *", "0 */15 * * * ?")]
    [InlineData("30 2 1 * *", "0 30 2 1 * ?")]
    [InlineData("0 9 * * 1-5", "0 0 9 ? * MON,TUE,WED,THU,FRI")]
    [InlineData("0 0 * * 0", "0 0 0 ? * SUN")]
    [InlineData("0 0 * * 7", "0 0 0 ? * SUN")]
    [InlineData("0 0 * * 5-7", "0 0 0 ? * SUN,FRI,SAT")]
    [InlineData("0 0 * * */2", "0 0 0 ? * SUN,TUE,THU,SAT")]
    [InlineData("0 0 * * mon,wed", "0 0 0 ? * MON,WED")]
    [InlineData("0  3   * *  *", "0 0 3 * * ?")]
    [InlineData("@daily", "0 0 0 * * ?")]
    [InlineData("@hourly", "0 0 * * * ?")]
    [InlineData("0 0 12 ? * WED", "0 0 12 ? * WED")]
    public void Unix_cron_becomes_the_same_schedule_in_quartz_form(string unix, string quartz)
    {
        var (converted, error) = UnixCron.ToQuartz(unix, TimeZoneInfo.Utc, Now);
        Assert.Null(error);
        Assert.Equal(quartz, converted);
    }

    [Theory]
    [InlineData("", "Enter a cron expression")]
    [InlineData("0 3 * *", "has 4")]
    [InlineData("61 3 * * *", "not a valid cron expression")]
    [InlineData("0 3 1 * 1", "not both")]
    [InlineData("0 0 * * 8", "not a day")]
    [InlineData("0 0 * * 5-2", "runs backwards")]
    [InlineData("0 0 30 2 *", "never fires")]
    [InlineData("@sometimes", "Unknown cron shorthand")]
    public void A_cron_quartz_cannot_run_is_refused_with_a_reason(string unix, string reason)
    {
        var (converted, error) = UnixCron.ToQuartz(unix, TimeZoneInfo.Utc, Now);
        Assert.Null(converted);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_offered_schedule_kind_makes_a_quartz_expression_and_manual_makes_none()
    {
        Assert.Equal("0 5 3 * * ?", new ScheduleSpec(ScheduleKind.Daily, new TimeOnly(3, 5)).QuartzCron(TimeZoneInfo.Utc, Now));
        Assert.Equal("0 0 23 ? * SAT", new ScheduleSpec(ScheduleKind.Weekly, new TimeOnly(23, 0), DayOfWeek.Saturday).QuartzCron(TimeZoneInfo.Utc, Now));
        Assert.All(ScheduleSpec.AllowedHours, h =>
            Assert.Equal($"0 0 0/{h} * * ?", new ScheduleSpec(ScheduleKind.EveryHours, EveryHours: h).QuartzCron(TimeZoneInfo.Utc, Now)));
        Assert.Null(ScheduleSpec.Manual.QuartzCron(TimeZoneInfo.Utc, Now));
    }

    [Fact]
    public void A_patch_keeps_what_it_does_not_name_and_checks_only_what_the_kind_needs()
    {
        var daily = new ScheduleSpec(ScheduleKind.Daily, new TimeOnly(3, 0));
        var (moved, errors) = ScheduleSpec.Apply(new ScheduleInput(null, Time: "04:45"), daily, TimeZoneInfo.Utc, Now);
        Assert.Empty(errors);
        Assert.Equal(new ScheduleSpec(ScheduleKind.Daily, new TimeOnly(4, 45)), moved);

        var (weekly, weeklyErrors) = ScheduleSpec.Apply(new ScheduleInput("weekly", DayOfWeek: "Fri"), daily, TimeZoneInfo.Utc, Now);
        Assert.Empty(weeklyErrors);
        Assert.Equal(new ScheduleSpec(ScheduleKind.Weekly, new TimeOnly(3, 0), DayOfWeek.Friday), weekly);

        var (none, missing) = ScheduleSpec.Apply(new ScheduleInput("weekly"), ScheduleSpec.Manual, TimeZoneInfo.Utc, Now);
        Assert.Null(none);
        Assert.Equal(["dayOfWeek", "time"], missing.Keys.Order());
    }

    [Theory]
    [InlineData(JobNames.SyncMovies, null, "Every day at 03:00")]
    [InlineData(JobNames.SyncSeriesWatchHistory, "SYNC_CRON", "Every 2 hours")]
    [InlineData(JobNames.FullSyncWatchHistory, "SYNC_CRON", "Every Sunday at 04:00")]
    [InlineData(JobNames.GenerateSeriesEmbeddings, "RECS_CRON", "Every day at 03:30")]
    [InlineData("generate-recommendations", "RECS_CRON", "Every day at 04:00")]
    [InlineData("sync-strm", "PERMS_CRON", "Every day at 05:00")]
    [InlineData("test-anything", null, "Manual only")]
    public void Jobs_without_a_saved_schedule_or_variable_follow_the_documented_defaults(string name, string? setting, string expected)
    {
        var job = new JobDefinition(name, name, "", typeof(SlowJob), DefaultCronSetting: setting);
        Assert.Equal(expected, JobScheduleService.BuiltInDefault(job).Describe());
    }
}
