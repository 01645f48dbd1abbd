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
    public void A_resumption_followed_by_a_whole_window_without_progress_is_a_relapse_not_a_recovery()
    {
        var detector = new LivelockDetector(60);
        detector.Observe(0, 10, workRemains: true);
        detector.Observe(60, 10, workRemains: true);
        Assert.True(detector.Detected);

        // Two unlinks at 3600 s (a drop_caches that frees a little and then blocks), then nothing.
        detector.Observe(3600, 12, workRemains: true);
        Assert.Equal(3600, detector.RecoveredS);
        detector.Observe(3659.5, 12, workRemains: true);
        Assert.Equal(3600, detector.RecoveredS); // not yet a whole window
        detector.Observe(3660, 12, workRemains: true);
        Assert.Null(detector.RecoveredS);
        Assert.True(detector.InLivelock);
        Assert.Equal(0, detector.OnsetS); // the livelock is the one that began at 0 s
        Assert.Equal([new LivelockDetector.Relapse(3600, 2, 3600)], detector.Relapses);

        // A later resumption that lasts until the work is done ends it.
        detector.Observe(5000, 20, workRemains: true);
        detector.Observe(5030, 40, workRemains: true);
        detector.Observe(5100, 40, workRemains: false);
        Assert.Equal(5000, detector.RecoveredS);
        Assert.Single(detector.Relapses);
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
