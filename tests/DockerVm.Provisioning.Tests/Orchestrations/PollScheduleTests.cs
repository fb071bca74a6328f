using DockerVm.Provisioning.Configuration;
using DockerVm.Provisioning.Orchestrations;

namespace DockerVm.Provisioning.Tests.Orchestrations;

/// <summary>When the workflow asks ARM again: the first check when the operation is expected to be done, then a
/// bounded backoff; ARM's Retry-After is a floor (as Azure.Core's RetryAfterDelayStrategy takes the larger of the
/// header and its own delay), and nothing is shorter than the backend's timer resolution.</summary>
public sealed class PollScheduleTests
{
    private static readonly WorkflowSettings Azure = WorkflowSettings.From(new ProvisioningOptions());

    [Fact]
    public void Defaults_AzureSettings_PollIntervalFifteenSecondsAndOneSecondTimers()
    {
        Assert.Equal(TimeSpan.FromSeconds(15), Azure.PollInterval);
        Assert.Equal(TimeSpan.FromSeconds(1), Azure.TimerResolution);
        Assert.Equal(TimeSpan.FromSeconds(60), Azure.ExpectedVmDuration);
    }

    [Fact]
    public void FirstWait_ExpectedDurationLongerThanRetryAfter_WaitsUntilTheOperationCanBeDone()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), PollSchedule.FirstWait(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), Azure));
    }

    [Fact]
    public void FirstWait_RetryAfterLongerThanExpected_WaitsWhatArmAsked()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), PollSchedule.FirstWait(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), Azure));
    }

    [Fact]
    public void FirstWait_NothingExpected_NeverBelowTheTimerResolution()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), PollSchedule.FirstWait(TimeSpan.Zero, null, Azure));
    }

    [Fact]
    public void NextWait_NoRetryAfter_FromAQuarterOfTheExpectedDurationDoublingUpToPollInterval()
    {
        var waits = Enumerable.Range(1, 4).Select(n => PollSchedule.NextWait(n, TimeSpan.FromSeconds(20), null, Azure).TotalSeconds);

        Assert.Equal([5, 10, 15, 15], waits);
    }

    [Fact]
    public void NextWait_ShortOperation_BackoffStartsAtAnEighthOfPollInterval()
    {
        Assert.Equal(TimeSpan.FromSeconds(1.875), PollSchedule.NextWait(1, TimeSpan.FromSeconds(5), null, Azure));
    }

    [Fact]
    public void NextWait_ShortRetryAfter_OwnBackoffStillApplies()
    {
        // Microsoft.Network answers Retry-After: 1 on a public IP (kubernetes-sigs/cluster-api-provider-azure#1686's
        // recorded headers): following it alone would read a late VM once a second.
        Assert.Equal(TimeSpan.FromSeconds(15), PollSchedule.NextWait(1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), Azure));
    }

    [Fact]
    public void NextWait_RetryAfterLongerThanPollInterval_WaitsWhatArmAsked()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), PollSchedule.NextWait(3, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30), Azure));
    }

    [Fact]
    public void NextWait_SubSecondPollInterval_NotBelowTheOneSecondTheStorageProviderHonours()
    {
        var local = Azure with { PollInterval = TimeSpan.FromMilliseconds(500) };

        Assert.Equal(TimeSpan.FromSeconds(1), PollSchedule.NextWait(1, TimeSpan.Zero, null, local));
    }
}
