using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;

namespace Policyc.Runtime.Reporting;

/// <summary>Reads the machine's state and cumulative counters into a <see cref="MachineSample"/>.</summary>
internal static class Sampler
{
    public static MachineSample Take(Kernel k, double timeS, long filesRemoved)
    {
        long kb = PolicyTypes.PageSize / 1024;
        long file = 0;
        foreach (var z in k.Zones)
            file += z.FilePages;
        long totalKb = k.Scenario.MemBytes / 1024;
        long freeKb = k.FreePages * kb;
        var swap = k.SwapDevice;
        var memory = new MemoryReport
        {
            TotalKb = totalKb,
            FreeKb = freeKb,
            UsedKb = totalKb - freeKb,
            BuffersKb = 0,
            CachedKb = file * kb,
            SwapTotalKb = (swap?.Pages ?? 0) * kb,
            SwapUsedKb = (swap?.InusePages ?? 0) * kb,
            SwapFreeKb = ((swap?.Pages ?? 0) - (swap?.InusePages ?? 0)) * kb,
        };
        var slab = k.Slab.Caches
            .Where(c => c.Objects > 0)
            .OrderByDescending(c => c.Pages)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => new SlabCacheReport
            {
                Name = c.Name,
                Objs = c.Objects,
                ActiveObjs = c.SlabinfoActiveObjects,
                ObjSizeBytes = c.ObjSize,
                Slabs = c.Slabs,
                ObjsPerSlab = c.ObjectsPerSlab(c.Order),
                SizeKb = c.Pages * kb,
            })
            .ToList();
        var zones = k.Zones
            .Select(z => new ZoneReport
            {
                Name = z.Name,
                Node = z.NodeId,
                FreePages = z.FreePages,
                MinPages = z.MinWmark,
                LowPages = z.LowWmark,
                HighPages = z.HighWmark,
                LowmemReservePages = z.LowmemReserve[k.HighZoneIdx],
                ManagedPages = z.ManagedPages,
                FreeBlocks = z.NrFree.ToArray(),
                InactiveAnonPages = z.LruPages(Lru.InactiveAnon),
                ActiveAnonPages = z.LruPages(Lru.ActiveAnon),
                InactiveFilePages = z.LruPages(Lru.InactiveFile),
                ActiveFilePages = z.LruPages(Lru.ActiveFile),
                PcpPages = z.Pcp?.Total,
            })
            .ToList();
        var perNodeKswapd = k.Kswapds
            .Select(t => new KswapdSample(t.Wakeups, t.BalanceRuns, t.PagesReclaimed, t.SlabObjectsScanned, t.SlabObjectsFreed, t.AsleepNs(k.Now), t.DStateNsByWaitChannel(k.Now)))
            .ToArray();
        return new MachineSample
        {
            TimeS = timeS,
            Memory = memory,
            Slab = slab,
            Zones = zones,
            CpuNs = k.Cpu.Copy(),
            MessageCounts = k.Log.CopyCounts(),
            Kswapd = KswapdSample.Total(perNodeKswapd),
            PerNodeKswapd = perNodeKswapd,
            FilesRemoved = filesRemoved,
            KmemAllocFailures = (long[])k.Counters.KmemAllocFailures.Clone(),
            VmEvents = (long[])k.Counters.VmEvents.Clone(),
            DirectReclaim = [.. k.Zones.Select(z => z.DirectReclaim.Copy())],
            XfsBuffers = k.Xfs.Buffers is not { } bufs ? null : new XfsBufReport
            {
                Buffers = bufs.Cached,
                DirBlocks = k.Scenario.XfsDirBuffers ? bufs.DirCached : null,
                HeldByLog = bufs.Cached - bufs.OnLru,
                OnLru = bufs.OnLru,
                SizeKb = bufs.PagesHeld * kb,
                Freed = bufs.BuffersFreed,
                StaleFreed = k.Scenario.XfsDirBuffers ? bufs.StaleFreed : null,
            },
            Swap = swap is null ? null : new SwapReport
            {
                FreeSlots = swap.FreeSlots,
                NrSwapPages = k.Swap.NrSwapPages,
                LowestBit = swap.LowestBit,
                HighestBit = swap.HighestBit,
                ClusterNext = swap.ClusterNext,
                FirstFreeSlot = swap.FindNext(1, swap.Max - 1, cacheOnlyToo: false) is int slot and > 0 ? slot : null,
                ScanCalls = k.Swap.ScanCalls,
                ScanFailures = k.Swap.ScanFailures,
                EntriesWalked = k.Swap.EntriesWalked,
                SwapCacheHits = k.Swap.SwapCacheHits,
            },
        };
    }
}
