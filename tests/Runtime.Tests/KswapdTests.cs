using Policyc.Runtime.Fs.Xfs;
using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Scenarios;
using Policyc.Runtime.Tests.Policies;

namespace Policyc.Runtime.Tests;

public class KswapdTests
{
    [Fact]
    public void A_wakeup_is_ignored_while_the_zone_is_above_its_low_watermark()
    {
        var k = TestMachine.Kernel();
        k.Kswapd.Wakeup(k.HighestZone, 0, k.HighestZone.Index);
        Assert.True(k.Kswapd.Asleep);
        Assert.Equal(0, k.Kswapd.Wakeups);
    }

    [Fact]
    public void Woken_below_low_kswapd_reclaims_page_cache_to_the_high_watermark_and_goes_back_to_sleep()
    {
        var k = TestMachine.Kernel();
        var zone = k.HighestZone;
        TestMachine.FillWithPageCache(k, z => z == zone ? z.MinWmark : z.FreePages);
        k.Kswapd.Wakeup(zone, 0, zone.Index);
        Assert.False(k.Kswapd.Asleep);
        Assert.Equal(1, k.Kswapd.Wakeups);

        long sleep = k.Kswapd.Step(0);
        Assert.True(zone.FreePages >= zone.HighWmark, $"free {zone.FreePages} < high {zone.HighWmark}");
        Assert.True(k.Counters.KswapdPagesReclaimed > 0);
        Assert.Equal(100_000_000, sleep); // the HZ/10 nap before sleeping for good
        Assert.Equal(Sim.SimTask.Blocked, k.Kswapd.Step(sleep));
        Assert.True(k.Kswapd.Asleep);
        Invariants.Check(k);
    }

    [Fact]
    public void Kswapd_forces_a_scan_of_a_zone_it_finds_unreclaimable_where_the_priority_would_scan_nothing()
    {
        // get_scan_count: "if the zone or memcg is small, nr[l] can be 0 ... force_scan" for kswapd on
        // a zone that is not zone_reclaimable: a list too short for the priority still gets up to
        // SWAP_CLUSTER_MAX pages scanned. Here ZONE_NORMAL holds 100 clean page-cache pages (100 >> 12
        // = 0), six times as many scanned since the last free, and MIN free pages; no swap.
        var k = TestMachine.Kernel(TestMachine.Tiny(swap: "0"));
        var zone = k.HighestZone;
        var held = TestMachine.TakeAll(k, zone, 0);
        foreach (int pfn in held.Take(100))
        {
            k.Frames.State[pfn] = PageState.File;
            zone.Lrus[(int)Lru.InactiveFile].AddHead(k.Frames, pfn);
        }
        foreach (int pfn in held.Skip(100).Where(p => p % 2 == 0).Take((int)zone.MinWmark))
            Buddy.FreeOnePage(k.Frames, zone, pfn, 0);
        zone.PagesScanned = 6 * 100;
        Assert.False(zone.IsReclaimable(k.Swap.NrSwapPages));

        k.Kswapd.Wakeup(zone, 0, zone.Index);
        k.Kswapd.Step(0);

        Assert.True(k.Counters.KswapdPagesReclaimed >= Vmscan.Reclaim.SwapClusterMax, $"reclaimed {k.Counters.KswapdPagesReclaimed}");
        Assert.True(zone.LruPages(Lru.InactiveFile) <= 100 - Vmscan.Reclaim.SwapClusterMax);
    }

    [Fact]
    public void For_a_high_order_balance_pgdat_stops_once_a_quarter_of_the_node_is_balanced()
    {
        // pgdat_balanced for order > 0: balanced_pages >= managed_pages / 4. DMA and DMA32 are a
        // third of this node, free in large blocks; ZONE_NORMAL is full of page cache down to MIN.
        var k = TestMachine.Kernel(TestMachine.Tiny(mem: "4608M").WithOverride("dma32", "1536M"));
        var normal = k.HighestZone;
        TestMachine.FillWithPageCache(k, z => z == normal ? z.MinWmark : z.FreePages);
        Assert.InRange(k.Kswapd.BalancedPercent(9), 25, 49);

        k.Kswapd.Wakeup(normal, 9, normal.Index);
        k.Kswapd.Step(0);

        // One pass at priority 12 reclaims a 4096th of ZONE_NORMAL's page cache, less than the
        // 2 << 9 pages after which kswapd would fall back to order 0, and the node counts as
        // balanced at order 9: ZONE_NORMAL is left below HIGH.
        Assert.Equal(1, k.Kswapd.BalanceRuns);
        long reclaimed = k.Counters.KswapdPagesReclaimed;
        Assert.InRange(reclaimed, 1, (2 << 9) - 1);
        Assert.True(normal.FreePages < normal.HighWmark, $"free {normal.FreePages}, high {normal.HighWmark}");
    }

    [Fact]
    public void A_zone_with_blocks_of_the_order_free_is_not_balanced_below_low_plus_twice_the_order()
    {
        // zone_balanced at order 5 asks compaction_suitable, which answers COMPACT_SKIPPED below
        // LOW + 2 << 5 free pages even when the order-5 test itself passes at HIGH: ZONE_DMA with three
        // free order-5 blocks and single pages beside them, HIGH + 32 pages in all.
        var k = TestMachine.Kernel();
        TestMachine.FillWithPageCache(k, z => 0);
        var dma = k.Zones[0];
        var held = Enumerable.Range(dma.StartPfn, dma.EndPfn - dma.StartPfn).Where(p => k.Frames.State[p] == PageState.File).ToHashSet();
        void Free(int pfn)
        {
            dma.Lrus[(int)Lru.InactiveFile].Remove(k.Frames, pfn);
            Buddy.FreeOnePage(k.Frames, dma, pfn, 0);
            held.Remove(pfn);
        }
        // Every other aligned block of 32 (so that no two merge), three of them.
        var blocks = Enumerable.Range(0, dma.EndPfn / 64).Select(b => b * 64)
            .Where(b => Enumerable.Range(b, 64).All(held.Contains)).Take(3).ToList();
        foreach (int pfn in blocks.SelectMany(b => Enumerable.Range(b, 32)))
            Free(pfn);
        long target = dma.HighWmark + 32;
        Assert.True(target <= dma.LowWmark + 64, $"high {dma.HighWmark}, low {dma.LowWmark}");
        // Single pages whose buddies stay in use, so that nothing merges.
        foreach (int pfn in held.Where(p => p % 2 == 0 && held.Contains(p + 1)).Order().ToList())
        {
            if (dma.FreePages >= target)
                break;
            Free(pfn);
        }
        Assert.Equal((3L, target), (dma.NrFree[5], dma.FreePages));
        Assert.True(dma.WatermarkOk(5, dma.HighWmark, 0));
        Assert.True(dma.IsReclaimable(k.Swap.NrSwapPages));

        // No zone balanced at order 5: ZONE_DMA fails compaction_suitable, the others are full.
        Assert.Equal(0, k.Kswapd.BalancedPercent(5));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void With_age_active_anon_kswapd_deactivates_anon_in_a_balanced_zone_it_looks_at(bool age)
    {
        // balance_pgdat's search goes down from the highest zone and calls age_active_anon on each
        // zone it visits before asking whether it is balanced; only the zones up to the unbalanced
        // one are then shrunk. Here the highest zone is balanced and holds only active anon.
        var k = TestMachine.WithSwitch("age-active-anon", age);
        var high = k.HighestZone;
        var low = k.Zones.Last(z => z.Index < high.Index && z.ManagedPages > 0);
        for (int i = 0; i < 200; i++)
        {
            int pfn = Buddy.Rmqueue(k.Frames, high, 0, MigrateType.Movable);
            Buddy.MarkAllocated(k.Frames, pfn, 0, PageState.Anon, -1);
            k.Frames.Flags[pfn] |= PageFlags.Active;
            high.Lrus[(int)Lru.ActiveAnon].AddHead(k.Frames, pfn);
        }
        TestMachine.FillWithPageCache(k, z => z == low ? z.MinWmark : z.FreePages);
        Assert.True(high.FreePages > high.HighWmark + Watermarks.BalanceGap(high.LowWmark, high.ManagedPages));
        k.Scheduler.AddBlocked(k.Kswapd);
        k.Kswapd.Wakeup(low, 0, low.Index);
        Assert.True(k.Scheduler.RunNext());
        // Every pass of balance_pgdat visits it again and ages a batch of 32 while inactive anon is
        // low (below active, on a zone under 1 GiB): four batches, leaving 128 inactive and 72 active.
        Assert.Equal(age ? 200 - 4 * Vmscan.Reclaim.SwapClusterMax : 200, high.LruPages(Lru.ActiveAnon));
        Assert.Equal(age ? 4 * Vmscan.Reclaim.SwapClusterMax : 0, high.LruPages(Lru.InactiveAnon));
    }

    [Fact]
    public void Kswapd_does_not_compact_a_zone_compaction_suitable_skips()
    {
        // Every zone at MIN: below LOW + 2<<order at order 0, so compaction_suitable answers
        // COMPACT_SKIPPED and 3.13's compact_zone returns at once, whatever kswapd was asked.
        var k = TestMachine.Kernel();
        TestMachine.FillWithPageCache(k, z => z.MinWmark);
        Assert.All(k.Zones, z => Assert.False(Mm.Compaction.Suitable(z, 5, k.Scenario.ExtfragThreshold)));
        long before = k.Counters.CompactionRuns;
        k.Compaction.CompactPgdat(k.Nodes[0], 5);
        Assert.Equal(before, k.Counters.CompactionRuns);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void With_kswapd_nap_wakeup_a_wakeup_ends_the_nap_and_kswapd_balances_again_at_once(bool napWakeup)
    {
        var k = TestMachine.WithSwitch("kswapd-nap-wakeup", napWakeup);
        k.Scheduler.AddBlocked(k.Kswapd);
        var zone = k.HighestZone;
        TestMachine.FillWithPageCache(k, z => z == zone ? z.MinWmark : z.FreePages);
        k.Kswapd.Wakeup(zone, 0, zone.Index);
        Assert.True(k.Scheduler.RunNext()); // balance_pgdat to HIGH, then the HZ/10 nap
        Assert.False(k.Kswapd.Asleep);
        long napStart = k.Now, reclaimed = k.Counters.KswapdPagesReclaimed;

        // The zone drops below LOW during the nap and an allocation wakes kswapd.
        TestMachine.FillWithPageCache(k, z => z == zone ? z.MinWmark : z.FreePages);
        k.Kswapd.Wakeup(zone, 0, zone.Index);
        while (k.Counters.KswapdPagesReclaimed == reclaimed)
            Assert.True(k.Scheduler.RunNext());
        // On: wake_up_interruptible ends the nap, and kswapd reclaims at once. Off: after the 100 ms.
        Assert.Equal(napWakeup, k.Now < napStart + 100_000_000);
        Assert.True(zone.FreePages >= zone.HighWmark);

        // Left alone, the nap runs its 100 ms and kswapd sleeps for good, switch or not.
        while (!k.Kswapd.Asleep)
            Assert.True(k.Scheduler.RunNext());
        Invariants.Check(k);
    }

    [Fact]
    public void Balanced_at_order_0_kswapd_takes_no_deferred_slab_work_unless_the_policy_asks_it_to()
    {
        foreach (var takeDeferred in new[] { false, true })
        {
            var k = TestMachine.Kernel(change: b => b.Set(HookId.KswapdShrinkSlabWhenBalanced, (PolicyHook<bool>)((in HookContext c) => takeDeferred)));
            var shrinker = new CountingShrinker(100_000);
            k.Shrinkers.Register(shrinker);
            var sc = new Vmscan.ScanState();
            sc.Reset(GfpMasks.GFP_NOFS, 4, 32, isKswapd: false);
            k.Shrinkers.ShrinkSlab(sc, 1000, 1000, 0, Mm.NodeMask.Of(0)); // a NOFS caller defers
            // Fragment the zone: plenty free at order 0, nothing at order 4.
            var zone = k.HighestZone;
            var held = TestMachine.TakeAll(k, zone, 0);
            foreach (var p in held.Where(p => p % 2 == 0))
                Buddy.FreeOnePage(k.Frames, zone, p, 0);
            k.Kswapd.Wakeup(zone, 4, zone.Index);
            k.Kswapd.Step(0);
            Assert.Equal(takeDeferred, shrinker.Objects < 100_000);
            Assert.Equal(takeDeferred, k.Counters.KswapdSlabObjectsFreed > 0);
        }
    }

    [Fact]
    public void A_zone_pass_that_scanned_exactly_its_goal_keeps_kswapds_priority()
    {
        // kswapd_shrink_zone returns nr_scanned >= nr_to_reclaim, and balance_pgdat lowers its
        // priority only if no zone pass returned true. min-free 176K gives ZONE_DMA32 a HIGH of
        // 64 pages, the pass's goal; its 64 << 12 clean page-cache pages make priority 12's file
        // target exactly 64. Every zone starts with nothing free, so after one pass ZONE_DMA32
        // holds 64 free pages, not above HIGH, and a second pass follows.
        var priorities = new List<long>();
        var original = Linux313Handwritten.Build().KswapdZoneBalanced;
        var scenario = TestMachine.Tiny(mem: "1100M", swap: "0").WithOverride("min-free", "176K");
        var k = TestMachine.Kernel(scenario, b => b.Set(HookId.KswapdZoneBalanced, (PolicyHook<bool>)((in HookContext c) =>
        {
            if (c.Zone.Index == 1)
                priorities.Add(c.Kswapd.Priority);
            return original(in c);
        })));
        Assert.Equal(["DMA", "DMA32"], k.Zones.Select(z => z.Name));
        var (dma, dma32) = (k.Zones[0], k.Zones[1]);
        Assert.Equal(64, dma32.HighWmark);
        TestMachine.FillWithPageCache(k, z => z == dma ? 0 : z.FreePages);
        foreach (int pfn in TestMachine.TakeAll(k, dma32, 0).Take(64 << 12))
        {
            k.Frames.State[pfn] = PageState.File;
            dma32.Lrus[(int)Lru.InactiveFile].AddHead(k.Frames, pfn);
        }

        k.Kswapd.Wakeup(dma32, 0, dma32.Index);
        k.Kswapd.Step(0);

        // ZONE_DMA's pass scans one page (4096 >> 12), short of its goal; ZONE_DMA32's scans 64.
        Assert.Equal([12, 12], priorities.Take(2));
    }

    [Theory]
    [InlineData("off")]
    [InlineData("on")]
    public void A_wakeup_during_the_nap_sends_kswapd_back_to_balance_not_to_sleep(string kswapdLoop)
    {
        // kswapd_try_to_sleep: schedule_timeout(HZ/10) returns time left when the nap is woken,
        // and prepare_kswapd_sleep says no to a premature nap, even if the node is balanced again
        // by the time kswapd runs.
        var k = TestMachine.Kernel(TestMachine.Tiny().WithOverride("kswapd-nap-wakeup", "on").WithOverride("kswapd-loop", kswapdLoop));
        var zone = k.HighestZone;
        TestMachine.FillWithPageCache(k, z => z == zone ? z.MinWmark : z.FreePages);
        k.Kswapd.Wakeup(zone, 0, zone.Index);
        Assert.Equal(Sim.SimTask.Blocked, k.Kswapd.Step(0)); // balanced; napping on the timer

        var taken = TestMachine.TakeAll(k, zone, 0);
        k.Kswapd.Wakeup(zone, 0, zone.Index); // an allocation below HIGH cuts the nap short
        foreach (int pfn in taken)
            Buddy.FreeOnePage(k.Frames, zone, pfn, 0); // and the pages come back before kswapd runs

        k.Kswapd.Step(1_000_000);
        Assert.False(k.Kswapd.Asleep);
    }

    /// <summary>
    /// A tiny machine whose balance test wakes kswapd once more, for an order and the classzone of
    /// one of its zones, the first time balance_pgdat asks it: a request made while kswapd
    /// balances. <see cref="Asked"/> says whether it was made. 3.13's loop unless told otherwise.
    /// </summary>
    sealed class AskedAgainWhileBalancing
    {
        public readonly Kernel K;
        public bool Asked;

        public AskedAgainWhileBalancing(string mem, int order, int classzoneZone, string kswapdLoop = "on")
        {
            var original = Linux313Handwritten.Build().KswapdZoneBalanced;
            K = TestMachine.Kernel(TestMachine.Tiny(mem: mem).WithOverride("kswapd-loop", kswapdLoop), b => b.Set(HookId.KswapdZoneBalanced, (PolicyHook<bool>)((in HookContext c) =>
            {
                if (!Asked)
                {
                    Asked = true;
                    K!.Kswapd.Wakeup(K.HighestZone, order, K.Zones[classzoneZone].Index); // set by the time balance_pgdat asks
                }
                return original(in c);
            })));
        }
    }

    [Theory]
    [InlineData("off")]
    [InlineData("on")]
    public void Kswapd_asked_for_a_higher_order_while_balancing_goes_on_without_a_nap(string kswapdLoop)
    {
        // kswapd(): "Don't sleep if someone wants a larger 'order' allocation": a wakeup_kswapd
        // during balance_pgdat raises kswapd_max_order, and kswapd balances again at once.
        var asking = new AskedAgainWhileBalancing("64M", 3, 1, kswapdLoop);
        var k = asking.K;
        var zone = k.HighestZone;
        TestMachine.FillWithPageCache(k, z => z == zone ? z.MinWmark : z.FreePages);
        k.Kswapd.Wakeup(zone, 0, zone.Index);

        Assert.Equal(0, k.Kswapd.Step(0));
        Assert.True(asking.Asked);
        Assert.False(k.Kswapd.Asleep);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(3, true)]
    public void With_3_13s_loop_a_higher_order_waiting_is_taken_at_once_only_after_a_balance_pgdat_that_kept_its_order(int wokenFor, bool napsFirst)
    {
        // kswapd(): "If the last balance_pgdat was unsuccessful it's unlikely a new request of a
        // similar or harder type will succeed soon so consider going to sleep on the basis we
        // reclaimed at". Woken for order 0, balance_pgdat ends at order 0 and kswapd reads
        // kswapd_max_order: the order-4 request made meanwhile starts another balance_pgdat at once.
        // Woken for order 3, balance_pgdat falls back to order 0 once it has reclaimed 2 << 3
        // pages; balanced_order is then not the order asked for, kswapd_max_order is left unread,
        // and kswapd naps at order 0 first.
        var asking = new AskedAgainWhileBalancing("64M", 4, 1);
        var k = asking.K;
        // Every zone at MIN, so no quarter of the node is balanced at order 3 before the fallback.
        var zone = k.HighestZone;
        TestMachine.FillWithPageCache(k, z => z.MinWmark);
        k.Kswapd.Wakeup(zone, wokenFor, zone.Index);

        long next = k.Kswapd.Step(0);
        Assert.True(asking.Asked);
        Assert.Equal(napsFirst ? 0 : 4, k.Kswapd.Order);
        Assert.Equal(napsFirst ? 100_000_000 : 0, next);
    }

    [Fact]
    public void With_3_13s_loop_a_request_for_a_lower_classzone_starts_another_balance_pgdat_at_once()
    {
        // kswapd(): "Don't sleep if someone wants a larger 'order' allocation or has tigher zone
        // constraints". balance_pgdat for order 3 ends after one pass at its order (ZONE_DMA, a
        // quarter of the node, is balanced); an order-3 request for ZONE_DMA made meanwhile lowers
        // the classzone, and kswapd balances again without a nap.
        var asking = new AskedAgainWhileBalancing("48M", 3, 0);
        var k = asking.K;
        var dma32 = k.Zones[1];
        TestMachine.FillWithPageCache(k, z => z == dma32 ? z.MinWmark : z.FreePages);
        k.Kswapd.Wakeup(dma32, 3, dma32.Index);

        Assert.Equal(0, k.Kswapd.Step(0));
        Assert.True(asking.Asked);
        Assert.Equal(3, k.Kswapd.Order);
    }

    [Fact]
    public void With_3_13s_loop_a_balance_pgdat_that_ended_below_the_classzone_asked_for_leaves_the_waiting_order_unread()
    {
        // Only ZONE_DMA needs balancing, so balance_pgdat's end zone, balanced_classzone_idx, is 0,
        // below the classzone kswapd was woken for (ZONE_DMA32). kswapd() then does not read
        // kswapd_max_order: the order-4 request made meanwhile waits, and kswapd naps at order 0.
        var asking = new AskedAgainWhileBalancing("64M", 4, 1);
        var k = asking.K;
        var (dma, dma32) = (k.Zones[0], k.Zones[1]);
        TestMachine.FillWithPageCache(k, z => z == dma ? z.MinWmark : z.FreePages);
        k.Kswapd.Wakeup(dma, 0, dma32.Index);

        Assert.Equal(100_000_000, k.Kswapd.Step(0));
        Assert.True(asking.Asked);
        Assert.Equal(0, k.Kswapd.Order);
    }

    /// <summary>A tiny machine under the given kswapd loop with ZONE_DMA32 filled with page cache down to MIN.</summary>
    static (Kernel K, Zone Dma, Zone Dma32) Dma32AtMin(string mem, string kswapdLoop)
    {
        var k = TestMachine.Kernel(TestMachine.Tiny(mem: mem).WithOverride("kswapd-loop", kswapdLoop));
        var (dma, dma32) = (k.Zones[0], k.Zones[1]);
        TestMachine.FillWithPageCache(k, z => z == dma32 ? z.MinWmark : z.FreePages);
        return (k, dma, dma32);
    }

    [Fact]
    public void With_3_13s_loop_balance_pgdat_for_a_zone_dma_request_ends_once_the_zones_up_to_zone_dma_are_balanced()
    {
        // wakeup_kswapd keeps the lowest classzone asked for with a higher order; balance_pgdat's
        // loop ends on pgdat_balanced up to that zone. An order-1 request that could only use
        // ZONE_DMA (balanced, so it does not wake kswapd) and an order-2 one for ZONE_DMA32 (at MIN,
        // which does): kswapd balances for classzone ZONE_DMA and stops after its first pass, with
        // ZONE_DMA32, 7/8 of the node, still below HIGH. The simplified loop balances every zone.
        foreach (string loop in new[] { "on", "off" })
        {
            var (k, dma, dma32) = Dma32AtMin("128M", loop);
            k.Kswapd.Wakeup(dma, 1, dma.Index);
            Assert.True(k.Kswapd.Asleep);
            k.Kswapd.Wakeup(dma32, 2, dma32.Index);
            Assert.False(k.Kswapd.Asleep);

            k.Kswapd.Step(0);
            Assert.Equal(1, k.Kswapd.BalanceRuns);
            Assert.Equal(loop == "on", dma32.FreePages < dma32.HighWmark);
        }
    }

    [Fact]
    public void Kswapd_tries_to_sleep_at_the_order_balance_pgdat_ended_at_not_the_one_it_was_woken_for()
    {
        // kswapd_try_to_sleep(pgdat, balanced_order, ...): woken for order 3 in a zone whose page
        // cache sits between unmovable pages, balance_pgdat falls back to order 0 (on 1 GiB its
        // first pass reclaims more than 2 << 3 pages) and balances the zone there. No block above
        // order 0 is free in ZONE_DMA32 and ZONE_DMA is under a quarter of the node, so only at
        // order 0 is the node balanced enough to sleep: kswapd naps.
        foreach (string loop in new[] { "on", "off" })
        {
            var k = TestMachine.Kernel(TestMachine.Tiny(mem: "1G").WithOverride("kswapd-loop", loop));
            var dma32 = k.Zones[1];
            var held = TestMachine.TakeAll(k, dma32, 0);
            foreach (int pfn in held.Where(p => p % 2 == 0))
                Buddy.FreeOnePage(k.Frames, dma32, pfn, 0);
            TestMachine.FillWithPageCache(k, z => z == dma32 ? z.MinWmark : z.FreePages);
            k.Kswapd.Wakeup(dma32, 3, dma32.Index);

            Assert.Equal(100_000_000, k.Kswapd.Step(0));
            Assert.Equal(0, k.Kswapd.Order);
            Assert.True(dma32.FreePages >= dma32.HighWmark);
            Assert.Equal(dma32.FreePages, dma32.NrFree[0]);
        }
    }

    /// <summary>A shrinker whose first scan sleeps in D state, as XFS inode reclaim does on a log force.</summary>
    sealed class SleepingShrinker(Kernel k, long objects) : Vmscan.IShrinker
    {
        public bool Slept;
        public string Name => "sb-test";
        public long CountObjects(int nid) => objects;
        public long ScanObjects(long nrToScan, int nid)
        {
            if (!Slept)
            {
                Slept = true;
                k.Scheduler.BlockCurrent(XfsWaitChannels.LogForceLsn);
                return 0;
            }
            long freed = Math.Min(nrToScan, objects);
            objects -= freed;
            return freed;
        }
    }

    [Theory]
    [InlineData("off", 2)]
    [InlineData("on", 1)]
    public void A_balance_pgdat_that_sleeps_in_a_shrinker_goes_on_when_woken_under_3_13s_loop_and_starts_again_under_the_shipped_one(string kswapdLoop, int balanceRuns)
    {
        var k = TestMachine.Kernel(TestMachine.Tiny().WithOverride("kswapd-loop", kswapdLoop));
        var shrinker = new SleepingShrinker(k, 10_000_000);
        k.Shrinkers.Register(shrinker);
        k.Scheduler.AddBlocked(k.Kswapd);
        var zone = k.HighestZone;
        TestMachine.FillWithPageCache(k, z => z == zone ? z.MinWmark : z.FreePages);
        k.Kswapd.Wakeup(zone, 0, zone.Index);

        Assert.True(k.Scheduler.RunNext());
        Assert.True(shrinker.Slept);
        Assert.Equal(1, k.Kswapd.BalanceRuns);
        Assert.True(zone.FreePages < zone.HighWmark, "kswapd asleep in the shrinker before the zone is balanced");
        // In D state in the shrinker's wait channel, and its time goes there.
        long slept = k.Scheduler.Now;
        Assert.Equal(XfsWaitChannels.LogForceLsn, k.Kswapd.WaitChannel);
        Assert.Equal(5_000_000_000, k.Kswapd.DStateNsByWaitChannel(slept + 5_000_000_000)[XfsWaitChannels.LogForceLsn]);

        k.Scheduler.Wake(k.Kswapd); // the log force completes
        Assert.True(k.Scheduler.RunNext());
        Assert.Null(k.Kswapd.WaitChannel);
        Assert.Equal(balanceRuns, k.Kswapd.BalanceRuns);
        Assert.True(zone.FreePages >= zone.HighWmark);
    }

    [Fact]
    public void With_3_13s_loop_kswapd_woken_after_sleeping_balances_for_the_order_it_is_woken_for_even_a_lower_one()
    {
        // kswapd(): out of kswapd_try_to_sleep, order = pgdat->kswapd_max_order, whatever order it
        // slept at. Woken for order 4, kswapd stops as soon as pgdat_balanced's quarter of the node
        // (an untouched ZONE_DMA) is balanced and sleeps at order 4 with ZONE_DMA32 below HIGH;
        // woken again for order 0, it balances at order 0. The simplified loop keeps order 4
        // (docs/seed-investigations.md, "kswapd()'s own loop").
        foreach (string loop in new[] { "on", "off" })
        {
            var (k, dma, dma32) = Dma32AtMin("48M", loop);
            Assert.InRange(k.Kswapd.BalancedPercent(4), 25, 99);

            k.Kswapd.Wakeup(dma32, 4, dma32.Index);
            long nap = k.Kswapd.Step(0);
            Assert.Equal(Sim.SimTask.Blocked, k.Kswapd.Step(nap));
            Assert.True(k.Kswapd.Asleep);
            Assert.Equal(4, k.Kswapd.Order);
            Assert.True(dma32.FreePages < dma32.HighWmark);

            k.Kswapd.Wakeup(dma32, 0, dma32.Index);
            Assert.False(k.Kswapd.Asleep);
            k.Kswapd.Step(2 * nap);
            Assert.Equal(loop == "on" ? 0 : 4, k.Kswapd.Order);
        }
    }
}
