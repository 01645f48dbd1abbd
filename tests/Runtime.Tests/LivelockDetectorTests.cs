using Policyc.Runtime.Reporting;

namespace Policyc.Runtime.Tests;

public class LivelockDetectorTests
{
    [Fact]
    public void A_livelock_is_a_whole_window_without_progress_dated_from_the_last_progress_seen()
    {
        var detector = new LivelockDetector(60);
        detector.Observe(0, 10, workRemains: true);
        detector.Observe(5, 20, workRemains: true);
        detector.Observe(64.5, 20, workRemains: true);
        Assert.False(detector.Detected); // 59.5 s without progress
        detector.Observe(65, 20, workRemains: true);
        Assert.True(detector.Detected); // exactly the window
        Assert.Equal(5, detector.OnsetS);
        Assert.True(detector.InLivelock);

        detector.Observe(70, 21, workRemains: true);
        Assert.Equal(70, detector.RecoveredS);
        Assert.False(detector.InLivelock);
    }

    [Fact]
    public void Time_without_progress_after_the_work_is_done_is_no_livelock()
    {
        var detector = new LivelockDetector(60);
        detector.Observe(0, 10, workRemains: true);
        detector.Observe(100, 10, workRemains: false);
        Assert.False(detector.Detected);
    }
}
