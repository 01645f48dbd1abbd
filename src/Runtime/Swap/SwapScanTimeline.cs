namespace Policyc.Runtime.Swap;

/// <summary>
/// What a scan_swap_map that starts at a given moment sees of the scans other CPUs still have in
/// flight. 3.13 walks the swap map without si->lock ("we scan without swap_lock to allow
/// preemption") and reads cluster_next only at its entry, so two tasks reclaiming at once can both
/// start from the same cluster_next, and the later one's walk then meets the highest_bit the
/// earlier one's take has lowered. The simulator runs each task's step at one instant, so a scan
/// is simulated after the scans of steps that started before it, even where those were still
/// walking when it began; this timeline gives back the two values that differ for it: the
/// cluster_next it read on entry, and nr_swap_pages while failing scans still hold their decrement.
/// The swap map itself is read as the simulator has it: a scan in flight started earlier and so
/// is ahead of a later one on the same walk.
/// </summary>
internal sealed class SwapScanTimeline
{
    /// <summary>One scan: when it started and stopped walking, the cluster_next it read, and the one it left (0 if it failed).</summary>
    readonly record struct Walk(long Start, long End, int ClusterNextBefore, int ClusterNextAfter);

    // In the order the scans were simulated.
    readonly List<Walk> walks = [];

    /// <summary>Records a scan that walked from <paramref name="start"/> to <paramref name="end"/>.</summary>
    public void Record(long start, long end, int clusterNextBefore, int clusterNextAfter) =>
        walks.Add(new Walk(start, end, clusterNextBefore, clusterNextAfter));

    /// <summary>
    /// Forgets the oldest walks that ended by <paramref name="now"/> (no step starts before the
    /// clock), up to the first one still going: the walks after it may yet decide what a scan reads.
    /// </summary>
    public void Settle(long now)
    {
        int done = 0;
        while (done < walks.Count && walks[done].End <= now)
            done++;
        walks.RemoveRange(0, done);
    }

    /// <summary>
    /// cluster_next as a scan entering at <paramref name="t"/> reads it. With no take still walking
    /// at <paramref name="t"/> it is <paramref name="simulated"/>, the value every simulated scan
    /// left. Otherwise it is what the first of those takes read on entry, unless a take simulated
    /// after it had already ended by <paramref name="t"/>: then the one that ended last.
    /// </summary>
    public int ClusterNextAt(long t, int simulated)
    {
        int first = -1;
        for (int i = 0; i < walks.Count && first < 0; i++)
            if (walks[i].ClusterNextAfter != 0 && walks[i].End > t)
                first = i;
        if (first < 0)
            return simulated;
        int read = walks[first].ClusterNextBefore;
        long lastEnd = long.MinValue;
        for (int i = first + 1; i < walks.Count; i++)
        {
            var w = walks[i];
            if (w.ClusterNextAfter != 0 && w.End <= t && w.End >= lastEnd)
            {
                lastEnd = w.End;
                read = w.ClusterNextAfter;
            }
        }
        return read;
    }

    /// <summary>Failing scans walking at <paramref name="t"/>: each holds nr_swap_pages one lower until it gives up.</summary>
    public int FailingAt(long t)
    {
        int n = 0;
        foreach (var w in walks)
            if (w.ClusterNextAfter == 0 && w.Start <= t && t < w.End)
                n++;
        return n;
    }
}
