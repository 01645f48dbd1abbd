namespace Policyc.Runtime.Reporting;

/// <summary>
/// Decides livelock from samples of workload progress: no file removed for a whole window while the
/// workers still have work. The onset is the last time progress was seen; recovery is the first
/// sample that shows progress again, and what ended it is the operator event or OOM kill between.
/// A recovery holds only while the rm keeps going: if it stalls for a whole window again before its
/// work is done, the livelock never ended, and the resumption is kept as a relapse (a drop_caches
/// that frees enough for a few unlinks and then blocks, say).
/// </summary>
internal sealed class LivelockDetector(double windowS)
{
    long lastRemoved = -1;
    long removedAtRecovery;
    double lastProgressS;
    readonly List<Relapse> relapses = [];

    public bool Detected { get; private set; }
    public double? OnsetS { get; private set; }
    public double? RecoveredS { get; private set; }
    public bool InLivelock => Detected && RecoveredS is null;

    /// <summary>Resumptions after the onset that a whole window without progress followed.</summary>
    public IReadOnlyList<Relapse> Relapses => relapses;

    /// <summary>The rm moved again at <see cref="ResumedS"/>, removed <see cref="Files"/> files, and made its last progress at <see cref="StalledS"/>.</summary>
    public readonly record struct Relapse(double ResumedS, long Files, double StalledS);

    /// <summary>Feeds one sample; <paramref name="workRemains"/> is false once every worker has finished.</summary>
    public void Observe(double timeS, long removed, bool workRemains)
    {
        if (removed != lastRemoved)
        {
            if (InLivelock && lastRemoved >= 0)
            {
                RecoveredS = timeS;
                removedAtRecovery = lastRemoved;
            }
            lastRemoved = removed;
            lastProgressS = timeS;
            return;
        }
        if (!workRemains || timeS - lastProgressS < windowS)
            return;
        if (!Detected)
        {
            Detected = true;
            OnsetS = lastProgressS;
        }
        else if (RecoveredS is double resumed)
        {
            relapses.Add(new Relapse(resumed, lastRemoved - removedAtRecovery, lastProgressS));
            RecoveredS = null;
        }
    }
}
