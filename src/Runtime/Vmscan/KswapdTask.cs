using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Sim;

namespace Policyc.Runtime.Vmscan;

/// <summary>
/// kswapd of Linux 3.13 (mm/vmscan.c), one per node: woken by allocations through wakeup_kswapd on
/// one of its node's zones, runs balance_pgdat over its node's zones at the highest order asked for,
/// and sleeps when the node is balanced.
/// Whether it wakes, what counts as a balanced zone, whether it shrinks slab (also for zones it
/// found balanced), whether it compacts and whether it sleeps are the policy's kswapd rules.
/// The loop around balance_pgdat here keeps one order, the one balance_pgdat returned, and runs at
/// most 64 passes of it a step; 3.13's kswapd() loop is in KswapdLoop.cs, behind kswapd-loop.
/// </summary>
internal sealed partial class KswapdTask : SimTask
{
    readonly Kernel k;
    public readonly Node Node;
    readonly Zone[] zones;
    readonly ScanState sc = new();
    bool asleep = true;
    bool napping;
    /// <summary>
    /// Scenario kswapd-nap-wakeup: the HZ/10 nap is a wait on kswapd_wait, which wakeup_kswapd cuts
    /// short, and a nap cut short never ends in sleep. Without it the nap is a plain timed sleep.
    /// </summary>
    readonly NapTimer? napTimer;
    bool napCutShort;
    long napEnds;
    const long NapNs = 100_000_000; // schedule_timeout(HZ/10)
    const long CongestionWaitNs = 100_000_000; // congestion_wait(BLK_RW_ASYNC, HZ/10), with no queue to wake it
    /// <summary>The congestion waits the last balancing pass owes, slept off before kswapd goes on.</summary>
    long congestionWaitOwedNs;
    /// <summary>balance_pgdat stopped for a congestion wait after a pass: on resume, its loop's test comes first.</summary>
    bool testLoopOnResume;
    /// <summary>pgdat->kswapd_max_order: the highest order asked for since kswapd last looked.</summary>
    int maxOrder;
    int order;
    // Where kswapd's time goes, for the report: asleep on kswapd_wait (kswapd_try_to_sleep found
    // the node balanced and called schedule()), or in D state inside a shrinker. The rest of the
    // time it is awake: balancing, or napping HZ/10 before it decides to sleep.
    long asleepNs, asleepSince;
    long dStateSince = -1;
    // The D state ended so far, by where kswapd slept (its wait channel): the report's "in D state
    // where", and summed, its time in D state.
    readonly Dictionary<string, long> dStateNsByWaitChannel = new(StringComparer.Ordinal);
    string? dStateWaitChannel;

    public KswapdTask(Kernel k, Node node) : base($"kswapd{node.Id}")
    {
        this.k = k;
        Node = node;
        zones = node.Zones;
        if (k.Scenario.KswapdNapWakeup)
            napTimer = new NapTimer(this);
    }

    /// <summary>
    /// What this kswapd did since boot: wake-ups that found it asleep, balance_pgdat runs, the pages
    /// reclaimed, and the slab objects scanned and freed on its behalf (its share of the run-wide counters).
    /// </summary>
    public long Wakeups, BalanceRuns, PagesReclaimed, SlabObjectsScanned, SlabObjectsFreed;

    /// <summary>The order kswapd works at: balance_pgdat's while balancing, the one it tries to sleep at otherwise.</summary>
    public int Order => k.Scenario.KswapdLoop && inTryToSleep ? balancedOrder : order;
    public bool Asleep => asleep;

    /// <summary>Virtual time spent asleep on kswapd_wait from boot to <paramref name="now"/>.</summary>
    public long AsleepNs(long now) => asleepNs + (asleep ? now - asleepSince : 0);

    static readonly IReadOnlyDictionary<string, long> NoDState = new Dictionary<string, long>();

    /// <summary>
    /// Virtual time spent in D state inside a shrinker, by the wait channel kswapd slept in (what
    /// /proc/PID/wchan showed), from boot to <paramref name="now"/>. Summed, its time in D state.
    /// </summary>
    public IReadOnlyDictionary<string, long> DStateNsByWaitChannel(long now)
    {
        if (dStateSince < 0 && dStateNsByWaitChannel.Count == 0)
            return NoDState;
        var byChannel = new Dictionary<string, long>(dStateNsByWaitChannel, StringComparer.Ordinal);
        if (dStateSince >= 0)
            byChannel[dStateWaitChannel!] = byChannel.GetValueOrDefault(dStateWaitChannel!) + now - dStateSince;
        return byChannel;
    }

    /// <summary>The step ended in D state: kswapd sleeps on a wait queue inside a shrinker.</summary>
    void EnterDState(long now)
    {
        dStateSince = now;
        dStateWaitChannel = WaitChannel ?? throw new InvalidOperationException($"{Name} blocked without a wait channel");
    }

    /// <summary>
    /// congestion_wait in D state for what the pass owes: shrink_inactive_list's HZ/10 for each
    /// batch that met pages under writeback in a zone flagged ZONE_WRITEBACK. Nothing in the model
    /// marks a queue congested, so no write completion ends the wait early.
    /// </summary>
    long CongestionWait(long now)
    {
        long wait = congestionWaitOwedNs;
        congestionWaitOwedNs = 0;
        dStateSince = now + k.Cpu.StepNs; // the wait starts where the step's CPU time ends
        dStateWaitChannel = ReclaimWaitChannels.CongestionWait;
        return wait;
    }

    /// <summary>Woken out of D state: the time goes to its wait channel.</summary>
    void LeaveDState(long now)
    {
        dStateNsByWaitChannel[dStateWaitChannel!] = dStateNsByWaitChannel.GetValueOrDefault(dStateWaitChannel!) + now - dStateSince;
        dStateSince = -1;
        dStateWaitChannel = null;
    }

    void FallAsleep(long now)
    {
        // kswapd_try_to_sleep: compaction's skip bits are cleared before kswapd sleeps, where a
        // direct compactor's scanners met since (reset_isolation_suitable).
        k.Compaction.ResetIsolationSuitable(Node);
        asleep = true;
        asleepSince = now;
    }

    void WakeUp(long now)
    {
        asleepNs += now - asleepSince;
        asleep = false;
    }

    /// <summary>wakeup_kswapd(zone, order, classzone_idx), for a zone of this kswapd's node.</summary>
    public void Wakeup(Zone zone, int requestOrder, int classzone)
    {
        if (maxOrder < requestOrder)
        {
            maxOrder = requestOrder;
            maxClasszone = Math.Min(maxClasszone, PositionOf(classzone));
        }
        if (!asleep)
        {
            // Napping on kswapd_wait (waitqueue_active): wake_up_interruptible ends the nap early.
            // Balancing, or in D state in a shrinker, kswapd is not on the queue.
            if (napping && napTimer is not null && !napCutShort && WakeRuleHolds(zone, requestOrder))
            {
                napCutShort = true;
                k.Scheduler.Wake(this);
            }
            return;
        }
        if (!WakeRuleHolds(zone, requestOrder))
            return;
        WakeUp(k.Now);
        napping = false;
        Wakeups++;
        k.Scheduler.Wake(this);
    }

    /// <summary>wakeup_kswapd's own test of the zone (zone_balanced in 3.13): the policy's kswapd.wake.</summary>
    bool WakeRuleHolds(Zone zone, int requestOrder)
    {
        k.FillCommon(Node);
        k.FillZone(zone, requestOrder);
        FillKswapd(requestOrder, 0, DefPriority);
        return k.Policy.KswapdWake(in k.Ctx);
    }

    const int DefPriority = Reclaim.DefPriority;

    void FillKswapd(int o, long reclaimed, int priority)
    {
        k.Ctx.Kswapd = new KswapdState
        {
            Order = o,
            Priority = priority,
            Reclaimed = reclaimed,
            Awake = !asleep,
            Wakeups = Wakeups,
        };
    }

    /// <summary>
    /// kswapd's own questions are asked for kswapd, not for the allocation that last filled the
    /// request: its rules cannot read the request, but --explain tells askers apart by it.
    /// </summary>
    void FillOwnRequest(int o) => k.FillRequest(GfpMasks.GFP_KERNEL, o, 0, isKswapd: true);

    public override long Step(long now)
    {
        if (dStateSince >= 0)
            LeaveDState(now);
        if (k.Scenario.KswapdLoop)
            return StepLoop(now);
        if (napping)
        {
            // The HZ/10 nap of kswapd_try_to_sleep is over: sleep for good if still balanced.
            bool premature = EndNap();
            if (!premature && maxOrder <= order && WantsSleep(order))
            {
                FallAsleep(now);
                return Blocked;
            }
        }
        // A higher order asked for meanwhile replaces kswapd's; a lower one does not, even after a
        // sleep (3.13 takes it on the way out of kswapd_try_to_sleep: KswapdLoop.cs).
        int asked = maxOrder;
        maxOrder = 0;
        if (asked > order)
            order = asked;
        order = Balance(order, resume: false);
        if (k.Scheduler.CurrentBlocked)
        {
            EnterDState(now);
            return Blocked; // in D state inside shrink_slab, off kswapd_wait: wakeup_kswapd cannot reach it
        }
        if (congestionWaitOwedNs > 0)
            return CongestionWait(now); // this loop then starts balance_pgdat afresh
        if (maxOrder > order)
            return 0;
        if (WantsSleep(order))
            return Nap(now);
        order = maxOrder;
        return 0;
    }

    /// <summary>balance_pgdat (or the rest of one), with its reclaim counted as this kswapd's.</summary>
    int Balance(int o, bool resume)
    {
        long pagesBefore = k.Counters.KswapdPagesReclaimed;
        long scannedBefore = k.Counters.KswapdSlabObjectsScanned, freedBefore = k.Counters.KswapdSlabObjectsFreed;
        o = BalancePgdat(o, resume);
        PagesReclaimed += k.Counters.KswapdPagesReclaimed - pagesBefore;
        SlabObjectsScanned += k.Counters.KswapdSlabObjectsScanned - scannedBefore;
        SlabObjectsFreed += k.Counters.KswapdSlabObjectsFreed - freedBefore;
        return o;
    }

    /// <summary>
    /// The nap is over. Returns whether it was premature: a wake-up cut it short (schedule_timeout
    /// returned time left), and kswapd goes back to balance_pgdat instead of sleeping.
    /// </summary>
    bool EndNap()
    {
        napping = false;
        bool premature = napCutShort;
        napCutShort = false;
        return premature;
    }

    /// <summary>kswapd_try_to_sleep's schedule_timeout(HZ/10).</summary>
    long Nap(long now)
    {
        napping = true;
        if (napTimer is null)
            return NapNs;
        napEnds = now + k.Cpu.StepNs + NapNs;
        napTimer.Arm(k.Scheduler, napEnds);
        return Blocked;
    }

    bool WantsSleep(int o, int upTo = int.MaxValue)
    {
        k.FillCommon(Node);
        k.FillZone(Node.HighestZone, o);
        k.Ctx.Node.BalancedPercent = BalancedPercent(o, upTo);
        FillKswapd(o, 0, DefPriority);
        FillOwnRequest(o);
        return k.Policy.KswapdSleep(in k.Ctx);
    }

    /// <summary>The nap's timer went off: wake kswapd if this nap is still running and was not cut short.</summary>
    long NapTimerFired(long now)
    {
        if (!napping || napCutShort)
            return Blocked; // woken already
        if (now < napEnds)
            return napEnds - now; // armed for an earlier nap that a wake-up ended: wait for this one's end
        k.Scheduler.Wake(this);
        return Blocked;
    }

    /// <summary>
    /// The timer of schedule_timeout(HZ/10) in kswapd_try_to_sleep, as a task of its own so that the
    /// nap can end before it (the scheduler cannot move a queued wake-up earlier).
    /// </summary>
    sealed class NapTimer(KswapdTask kswapd) : SimTask($"{kswapd.Name} nap timer")
    {
        bool registered;

        public override bool NeedsCpu => false;

        public void Arm(Scheduler scheduler, long at)
        {
            if (!registered)
            {
                scheduler.AddBlocked(this);
                registered = true;
            }
            scheduler.WakeAt(this, at); // already queued for an earlier nap: it re-arms itself then
        }

        public override long Step(long now) => kswapd.NapTimerFired(now);
    }

    /// <summary>
    /// pgdat_balanced's measure as a share: the managed pages in zones balanced at the order (HIGH
    /// watermark and, above order 0, compaction not skipped), unreclaimable zones counting as
    /// balanced. Policies see it as node.balanced_fraction.
    /// </summary>
    public long BalancedPercent(int o, int upTo = int.MaxValue)
    {
        var (balanced, managed) = BalancedPages(o, upTo);
        return managed == 0 ? 100 : balanced * 100 / managed;
    }

    /// <summary>
    /// pgdat_balanced itself, which ends balance_pgdat's loop: at order 0 every zone balanced, above
    /// it balanced_pages &gt;= managed_pages &gt;&gt; 2.
    /// </summary>
    bool PgdatBalanced(int o, int upTo = int.MaxValue)
    {
        var (balanced, managed) = BalancedPages(o, upTo);
        return o == 0 ? balanced == managed : balanced >= managed >> 2;
    }

    /// <summary>The node's zones up to position <paramref name="upTo"/> (pgdat_balanced's classzone_idx).</summary>
    (long Balanced, long Managed) BalancedPages(int o, int upTo = int.MaxValue)
    {
        long managed = 0, balanced = 0;
        for (int i = 0, last = Math.Min(upTo, zones.Length - 1); i <= last; i++)
        {
            var zone = zones[i];
            managed += zone.ManagedPages;
            if (!zone.IsReclaimable(k.Swap.NrSwapPages) || ZoneBalanced(zone, o, 0))
                balanced += zone.ManagedPages;
        }
        return (balanced, managed);
    }

    /// <summary>
    /// zone_balanced: HIGH (+gap) at the order, and for order &gt; 0 compaction_suitable not
    /// COMPACT_SKIPPED, which it is below LOW + 2&lt;&lt;order even with a block of the order free.
    /// </summary>
    bool ZoneBalanced(Zone zone, int o, long gap) =>
        zone.WatermarkOk(o, zone.HighWmark + gap, 0)
        && (o == 0 || Compaction.Suitable(zone, o, k.Scenario.ExtfragThreshold));

    /// <summary>
    /// balance_pgdat: returns the order it ended at (0 if it gave up on the high order). One call
    /// runs at most 64 passes; with <paramref name="resume"/> it goes on with the run an earlier call
    /// left (its priority and order), and <see cref="balanceFinished"/> says whether the run ended.
    /// </summary>
    int BalancePgdat(int o, bool resume = false)
    {
        if (resume)
        {
            o = sc.Order;
            if (testLoopOnResume)
            {
                // Back from a congestion wait at the end of a pass: the loop's own test decides.
                testLoopOnResume = false;
                if (sc.Priority < 1 || PgdatBalanced(o, balanceClasszone))
                {
                    balanceFinished = true;
                    return o;
                }
            }
        }
        else
        {
            testLoopOnResume = false;
            BalanceRuns++;
            k.Counters.Count(VmEvent.PageOutRun);
            k.Cpu.Charge(Symbol.BalancePgdat, 2_000);
            sc.Reset(GfpMasks.GFP_KERNEL, o, Reclaim.SwapClusterMax, isKswapd: true);
            balanceEndZone = 0;
        }
        balanceFinished = false;
        int passes = 0;
        do
        {
            bool raisePriority = true;
            long nrAttempted = 0;
            sc.NrReclaimed = 0;
            // Scan from the highest zone down for the highest one that needs balancing.
            int endZone = -1;
            for (int i = zones.Length - 1; i >= 0; i--)
            {
                var zone = zones[i];
                if (sc.Priority != DefPriority && !zone.IsReclaimable(k.Swap.NrSwapPages))
                    continue;
                if (k.Scenario.AgeActiveAnon)
                    k.Reclaim.Lru.AgeActiveAnon(zone);
                if (!ZoneBalanced(zone, o, 0))
                {
                    endZone = i;
                    break;
                }
            }
            if (endZone < 0)
            {
                balanceFinished = true;
                break;
            }
            balanceEndZone = endZone;
            long lruPages = 0;
            // pgdat_needs_compaction: a zone up to end_zone already at LOW for the order makes
            // compaction needless (scenario kswapd-compact-pgdat; the model otherwise leaves it to the policy,
            // and compact_zone to compaction_suitable).
            bool needsCompaction = o > 0;
            int classzone = Math.Min(balanceClasszone, zones.Length - 1);
            for (int i = 0; i <= endZone; i++)
            {
                lruPages += zones[i].ReclaimablePages(k.Swap.NrSwapPages);
                if (needsCompaction && k.Scenario.KswapdCompactPgdat && zones[i].WatermarkOk(o, zones[i].LowWmark, classzone))
                    needsCompaction = false;
            }
            for (int i = 0; i <= endZone; i++)
            {
                var zone = zones[i];
                if (sc.Priority != DefPriority && !zone.IsReclaimable(k.Swap.NrSwapPages))
                    continue;
                sc.NrScanned = 0;
                if (KswapdShrinkZone(zone, endZone, o, lruPages, ref nrAttempted))
                    raisePriority = false;
                if (k.Scheduler.CurrentBlocked)
                    return o; // asleep in a shrinker (an XFS log force): balance_pgdat resumes when woken
            }
            // Fragmentation may keep the high order unbalanced: once twice its size is reclaimed, check order 0.
            if (o > 0 && sc.NrReclaimed >= 2L << o)
                o = sc.Order = 0;
            if (o > 0 && needsCompaction)
            {
                k.FillCommon(Node);
                k.FillZone(Node.HighestZone, o);
                FillKswapd(o, sc.NrReclaimed, sc.Priority);
                FillOwnRequest(o);
                k.Ctx.Kswapd.Reclaimed = sc.NrReclaimed > nrAttempted ? sc.NrReclaimed : 0;
                if (k.Policy.KswapdCompact(in k.Ctx))
                    k.Compaction.CompactPgdat(Node, o);
            }
            if (raisePriority || sc.NrReclaimed == 0)
                sc.Priority--;
            if (sc.CongestionWaits > 0)
            {
                // 3.13 sleeps inside shrink_inactive_list; the model sleeps the pass's waits off at
                // its end and makes the loop's test when kswapd wakes.
                congestionWaitOwedNs = sc.CongestionWaits * CongestionWaitNs;
                sc.CongestionWaits = 0;
                testLoopOnResume = true;
                return o;
            }
            // A pass that keeps reclaiming keeps its priority; one step of the simulation runs at
            // most a few dozen passes so that other tasks see the memory it freed.
        } while (sc.Priority >= 1 && ++passes < 64 && !PgdatBalanced(o, balanceClasszone));
        if (sc.Priority < 1 || passes < 64)
            balanceFinished = true;
        return o;
    }

    /// <summary>
    /// kswapd_shrink_zone: returns true if it scanned at least its goal. 3.13 makes the balance test
    /// for an allocation that could have used <paramref name="endZone"/> (classzone_idx = end_zone),
    /// so a lower zone must also keep its lowmem_reserve for that zone free; the shipped model leaves
    /// the reserve out unless the scenario's kswapd-lowmem-reserve is on.
    /// </summary>
    bool KswapdShrinkZone(Zone zone, int endZone, int o, long lruPages, ref long nrAttempted)
    {
        sc.NrToReclaim = Math.Max(Reclaim.SwapClusterMax, zone.HighWmark);
        k.FillCommon(Node);
        k.FillZone(zone, o, k.Scenario.KswapdLowmemReserve ? endZone : 0);
        FillKswapd(o, sc.NrReclaimed, sc.Priority);
        k.Ctx.Scan = sc.ToContext();
        k.FillRequest(sc.Gfp, o, 0, true);
        if (k.Policy.KswapdZoneBalanced(in k.Ctx))
        {
            // 3.13 returns here: no LRU reclaim and no shrink_slab for a balanced zone.
            if (k.Policy.KswapdShrinkSlabWhenBalanced(in k.Ctx))
                sc.NrReclaimed += k.Shrinkers.ShrinkSlab(sc, 0, lruPages, 0, NodeMask.Of(Node.Id));
            return true;
        }
        k.Reclaim.Lru.ShrinkZone(zone, sc, 0);
        k.FillCommon(Node);
        k.FillZone(zone, o);
        FillKswapd(o, sc.NrReclaimed, sc.Priority);
        k.Ctx.Scan = sc.ToContext();
        // shrink_slab for this node only (nodes_to_scan = the zone's node).
        if (k.Policy.KswapdShrinkSlab(in k.Ctx))
            sc.NrReclaimed += k.Shrinkers.ShrinkSlab(sc, sc.NrScanned, lruPages, 0, NodeMask.Of(Node.Id));
        nrAttempted += sc.NrToReclaim;
        zone.ReclaimWriteback = false; // zone_clear_flag(zone, ZONE_WRITEBACK)
        return sc.NrScanned >= sc.NrToReclaim;
    }
}
