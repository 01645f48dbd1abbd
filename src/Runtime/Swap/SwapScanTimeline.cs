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
    /// <summary>One step's scans of one kind, in order; one task's scans follow each other, so their end times rise.</summary>
    abstract class StepRun(long stepStart, int task)
    {
        public readonly long StepStart = stepStart;
        public readonly int Task = task;
        public readonly List<long> Ends = [];

        /// <summary>The first scan still walking at <paramref name="t"/> (Ends.Count if none).</summary>
        public int FirstEndingAfter(long t) => FirstAfter(Ends, t);
    }

    /// <summary>The takes of one step: each read the cluster_next the one before it left, so a query is a binary search.</summary>
    sealed class Run(long stepStart, int task) : StepRun(stepStart, task)
    {
        public readonly List<int> Read = [];
        public readonly List<int> Left = [];
    }

    /// <summary>The failing scans of one step: each holds nr_swap_pages one lower while it walks.</summary>
    sealed class FailingRun(long stepStart, int task) : StepRun(stepStart, task)
    {
        public readonly List<long> Starts = [];

        public bool WalkingAt(long t)
        {
            int i = FirstEndingAfter(t);
            return i < Ends.Count && Starts[i] <= t;
        }
    }

    /// <summary>The run of the step that started at <paramref name="stepStart"/> on <paramref name="task"/>, the last one or a new one.</summary>
    static T RunOf<T>(List<T> runs, long stepStart, int task, Func<long, int, T> create) where T : StepRun
    {
        if (runs.Count > 0 && runs[^1].StepStart == stepStart && runs[^1].Task == task)
            return runs[^1];
        var run = create(stepStart, task);
        runs.Add(run);
        return run;
    }

    /// <summary>The index of the first of the rising <paramref name="ends"/> after <paramref name="t"/> (Count if none).</summary>
    static int FirstAfter(List<long> ends, long t)
    {
        int lo = 0, hi = ends.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (ends[mid] > t)
                hi = mid;
            else
                lo = mid + 1;
        }
        return lo;
    }

    // Steps with takes, and steps with failing scans, each in the order they were simulated.
    readonly List<Run> runs = [];
    readonly List<FailingRun> failing = [];

    /// <summary>Records a scan of the step that started at <paramref name="stepStart"/>, run by <paramref name="task"/>.</summary>
    public void Record(long stepStart, int task, long start, long end, int clusterNextRead, int clusterNextLeft)
    {
        if (clusterNextLeft == 0)
        {
            var failed = RunOf(failing, stepStart, task, static (s, t) => new FailingRun(s, t));
            failed.Starts.Add(start);
            failed.Ends.Add(end);
            return;
        }
        var run = RunOf(runs, stepStart, task, static (s, t) => new Run(s, t));
        run.Ends.Add(end);
        run.Read.Add(clusterNextRead);
        run.Left.Add(clusterNextLeft);
    }

    /// <summary>
    /// Forgets what no scan can start inside any more: no step starts before the clock. Runs go
    /// oldest first, up to the first with a take still walking, since the runs after it may yet
    /// decide what a scan reads.
    /// </summary>
    public void Settle(long now)
    {
        int done = 0;
        while (done < runs.Count && runs[done].Ends[^1] <= now)
            done++;
        runs.RemoveRange(0, done);
        int kept = 0;
        for (int i = 0; i < failing.Count; i++)
            if (failing[i].Ends[^1] > now)
                failing[kept++] = failing[i];
        failing.RemoveRange(kept, failing.Count - kept);
    }

    /// <summary>
    /// cluster_next as a scan entering at <paramref name="t"/> reads it. With no take still walking
    /// at <paramref name="t"/> it is <paramref name="simulated"/>, the value every simulated scan
    /// left. Otherwise it is what the first of those takes read on entry, unless a take simulated
    /// after it had already ended by <paramref name="t"/>: then what the last to end left.
    /// </summary>
    public int ClusterNextAt(long t, int simulated)
    {
        int first = 0, index = -1;
        for (; first < runs.Count; first++)
        {
            index = runs[first].FirstEndingAfter(t);
            if (index < runs[first].Ends.Count)
                break;
        }
        if (first == runs.Count)
            return simulated;
        int read = runs[first].Read[index];
        long lastEnd = long.MinValue;
        for (int r = first + 1; r < runs.Count; r++)
        {
            var run = runs[r];
            int ended = run.FirstEndingAfter(t) - 1;
            if (ended >= 0 && run.Ends[ended] >= lastEnd)
            {
                lastEnd = run.Ends[ended];
                read = run.Left[ended];
            }
        }
        return read;
    }

    /// <summary>Failing scans walking at <paramref name="t"/>: each holds nr_swap_pages one lower until it gives up.</summary>
    public int FailingAt(long t)
    {
        int n = 0;
        foreach (var run in failing)
            if (run.WalkingAt(t))
                n++;
        return n;
    }
}
