using Policyc.Runtime.Reporting;

namespace Policyc.Runtime.Workload;

/// <summary>
/// Runs the phases in order — boot (other processes' memory and page cache), creating the tree,
/// swap-in churn, then the concurrent rm -rf with its operator events — and knows when the run is over.
/// </summary>
internal sealed class Director
{
    readonly Kernel k;
    int creatorsLeft, workersLeft;

    public string Phase { get; private set; } = "boot";
    /// <summary>Virtual time the rm workload started (the report's time zero); null during set-up.</summary>
    public long? WorkloadStart { get; private set; }
    public long? CompletedAt { get; private set; }
    readonly List<(long At, string Kind, string Detail)> events = [];
    readonly List<(long At, string Kind)> operatorEvents = [];
    /// <summary>The set-up's writeback of buffers at each CIL push (scenario setup-writeback), unhooked when the creation ends.</summary>
    Action? writeBackOnPush;

    /// <summary>Called once when the rm workload starts (the report's time zero).</summary>
    public Action? WorkloadStarted;

    public Director(Kernel k)
    {
        this.k = k;
        foreach (var kswapd in k.Kswapds)
            k.Scheduler.AddBlocked(kswapd);
        // The other processes run on every node: with several, each node's CPUs fault in its share.
        int nodes = k.Nodes.Length;
        StartOnEveryNode((cpu, done) => new BootTask(k, k.Scenario.OtherAnonBytes / nodes, k.Scenario.HotPageCacheBytes / nodes, 0, done) { Cpu = cpu },
            StartHog);
        k.Scheduler.Add(new BackgroundTask(k), 0);
        k.Scheduler.Add(new Fs.Xfs.XfsReclaimWorker(k), 5_000_000_000);
        k.Scheduler.Add(new Fs.Xfs.XfsLogWorker(k), 30_000_000_000);
    }

    public double Seconds(long ns) => (ns - (WorkloadStart ?? 0)) / 1e9;

    public void Record(long at, string kind, string detail) => events.Add((at, kind, detail));

    /// <summary>The timeline, in seconds from the workload's start (set-up events are negative).</summary>
    public List<TimelineEvent> Timeline() => events
        .OrderBy(e => e.At)
        .Select(e => new TimelineEvent { AtS = Math.Round(Seconds(e.At), 3), Kind = e.Kind, Detail = e.Detail })
        .ToList();

    void StartHog()
    {
        Phase = "memhog";
        Record(k.Now, "setup", "other processes' memory faulted in");
        // One thread of the hog per node, each touching its share; the last to finish exits the process.
        StartOnEveryNode((cpu, done) => new MemoryHogTask(k, k.Scenario.MemoryHogBytes / k.Nodes.Length, done) { Cpu = cpu }, () =>
        {
            if (!k.Processes.IsDead(Processes.Hog))
                k.Processes.Exit(Processes.Hog);
            StartAging();
        });
    }

    /// <summary>
    /// Starts one task per node, made by <paramref name="create"/> for the node's first CPU (unbound on
    /// a one-node machine) and a completion callback; <paramref name="allDone"/> runs once the last
    /// of them has called it.
    /// </summary>
    void StartOnEveryNode(Func<int?, Action, Sim.SimTask> create, Action allDone)
    {
        int nodes = k.Nodes.Length, left = nodes;
        for (int n = 0; n < nodes; n++)
            k.Scheduler.Add(create(nodes > 1 ? n : null, () =>
            {
                if (--left == 0)
                    allDone();
            }), k.Now);
    }

    void StartAging()
    {
        Phase = "aging";
        Record(k.Now, "setup", $"memory hog ran and exited; swap {k.SwapDevice?.InusePages ?? 0}/{k.SwapDevice?.Pages ?? 0} slots used");
        k.Scheduler.Add(new BootTask(k, 0, 0, k.Scenario.AgingPageCacheBytes, StartCreation), k.Now);
    }

    // fs_mark creates the tree, and the rm -rf follows it at once: the caches the creation filled
    // memory with are what the removal reclaims from.
    void StartCreation()
    {
        Phase = "create";
        Record(k.Now, "setup", "page cache aged");
        if (k.Scenario.SetupWriteback && k.Xfs.Buffers is { } buffers)
        {
            // xfsaild keeping pace with the creation: each checkpoint's buffers are clean once it is written.
            writeBackOnPush = () => buffers.WrittenBack((int)k.Xfs.Cil.Checkpoints);
            k.Xfs.Cil.Pushed += writeBackOnPush;
        }
        creatorsLeft = k.Scenario.Workers;
        for (int w = 0; w < k.Scenario.Workers; w++)
            k.Scheduler.Add(new CreatorTask(k, w, _ =>
            {
                if (--creatorsLeft == 0)
                    StartChurn();
            }), k.Now);
    }

    void StartChurn()
    {
        Phase = "swap-in";
        Record(k.Now, "setup", $"tree of {k.Xfs.Created} files created");
        // The set-up runs in compressed time; on the machine xfsaild had written the tree's metadata
        // back long before the rm started, so its buffers are clean and on the LRU.
        if (writeBackOnPush is not null)
            k.Xfs.Cil.Pushed -= writeBackOnPush;
        k.Xfs.Buffers?.WriteBackAll();
        k.Scheduler.Add(new SwapChurnTask(k, StartRemoval), k.Now);
    }

    void StartRemoval()
    {
        Phase = "rm";
        WorkloadStart = k.Now;
        WorkloadStarted?.Invoke();
        Record(k.Now, "setup", $"{k.Scenario.SwapInChurnPages} swapped pages touched again; swap {k.SwapDevice?.InusePages ?? 0}/{k.SwapDevice?.Pages ?? 0} slots used");
        Record(k.Now, "workload", $"{k.Scenario.Workers} concurrent rm -rf started");
        workersLeft = k.Scenario.Workers;
        for (int w = 0; w < k.Scenario.Workers; w++)
            k.Scheduler.Add(new RmWorker(k, w, _ =>
            {
                if (--workersLeft == 0)
                {
                    CompletedAt = k.Now;
                    Record(k.Now, "workload", "all files removed");
                }
            }), k.Now);
        if (k.Scenario.SwapInPerSecond > 0)
            k.Scheduler.Add(new SwapInTask(k, () => WorkRemains) { Cpu = k.Scenario.SwapInCpu }, k.Now);
        if (k.Scenario.DropCachesAt is long at)
        {
            // The write is the operator's event from the moment it starts: a drop that frees enough
            // for the rm to move and then sleeps on a log force ended the livelock all the same.
            operatorEvents.Add((k.Now + at, $"drop_caches {k.Scenario.DropCachesMode}"));
            k.Scheduler.Add(dropCaches = new DropCachesTask(k, k.Scenario.DropCachesMode, Record), k.Now + at);
        }
        // Made last, so that the other tasks keep their ids, and an unbound drop its CPU, with a session or without.
        if (k.Scenario.SessionAt is long loginAt)
        {
            // A session's memory can end a livelock as the drop can: its faults reclaim with __GFP_FS.
            operatorEvents.Add((k.Now + loginAt, "session"));
            k.Scheduler.Add(new OperatorSessionTask(k, Record) { Cpu = k.Scenario.SessionCpu }, k.Now + loginAt);
        }
    }

    /// <summary>What ended a livelock that lasted from onset to recovery (virtual seconds from workload start).</summary>
    public string? EndedBy(double onsetS, double recoveredS)
    {
        // The operator's latest event in the livelock is the one the recovery followed.
        string? cause = null;
        long latest = long.MinValue;
        foreach (var (at, kind) in operatorEvents)
            if (Seconds(at) >= onsetS && Seconds(at) <= recoveredS && at >= latest)
                (cause, latest) = (kind, at);
        foreach (var (at, _) in k.Processes.Kills)
            if (Seconds(at) >= onsetS && Seconds(at) <= recoveredS)
                cause ??= "oom-kill";
        return cause ?? "spontaneous";
    }

    DropCachesTask? dropCaches;

    /// <summary>At the end of the run: the OOM kills, and a drop_caches that never returned.</summary>
    public void RecordEndOfRun()
    {
        foreach (var (at, what) in k.Processes.Kills)
            Record(at, "oom", what);
        if (dropCaches?.Unfinished is var (at2, detail))
            Record(at2, "operator", detail);
    }

    public long FilesRemoved => k.Xfs.Removed;
    public bool WorkRemains => CompletedAt is null;
}
