namespace Policyc.Runtime.Reporting;

/// <summary>
/// Decides livelock from samples of workload progress: no file removed for a whole window while the
/// workers still have work. The onset is the last time progress was seen; recovery is the first
/// sample that shows progress again, and what ended it is the operator event or OOM kill between.
/// </summary>
internal sealed class LivelockDetector(double windowS)
{
    long lastRemoved = -1;
    double lastProgressS;

    public bool Detected { get; private set; }
    public double? OnsetS { get; private set; }
    public double? RecoveredS { get; private set; }
    public bool InLivelock => Detected && RecoveredS is null;

    /// <summary>Feeds one sample; <paramref name="workRemains"/> is false once every worker has finished.</summary>
    public void Observe(double timeS, long removed, bool workRemains)
    {
        if (removed != lastRemoved)
        {
            if (InLivelock && lastRemoved >= 0)
                RecoveredS = timeS;
            lastRemoved = removed;
            lastProgressS = timeS;
            return;
        }
        if (!Detected && workRemains && timeS - lastProgressS >= windowS)
        {
            Detected = true;
            OnsetS = lastProgressS;
        }
    }
}
