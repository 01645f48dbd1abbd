namespace Policyc.Runtime.Reporting;

/// <summary>
/// The machine at one sample time: the state `free` and slabtop would show, and the cumulative
/// counters (CPU per symbol, messages, kswapd) from which rates over any window are differences.
/// </summary>
internal sealed class MachineSample
{
    public required double TimeS { get; init; }
    public required MemoryReport Memory { get; init; }
    public required IReadOnlyList<SlabCacheReport> Slab { get; init; }
    public required IReadOnlyList<ZoneReport> Zones { get; init; }
    public required long[] CpuNs { get; init; }
    public required long[] MessageCounts { get; init; }
    /// <summary>The kswapds' cumulative counters: the counts summed over the nodes, the times their mean.</summary>
    public required KswapdSample Kswapd { get; init; }
    /// <summary>Each node's kswapd's cumulative counters, by node.</summary>
    public required KswapdSample[] PerNodeKswapd { get; init; }
    public required long FilesRemoved { get; init; }
    public required long[] KmemAllocFailures { get; init; }
    /// <summary>/proc/vmstat's event counters since boot, by <see cref="Mm.VmEvent"/>.</summary>
    public required long[] VmEvents { get; init; }
    /// <summary>Each zone's cumulative direct-reclaim counters, in zone order.</summary>
    public required Mm.DirectReclaimStats[] DirectReclaim { get; init; }
    /// <summary>The swap map's state and scan_swap_map's cumulative counters; null without a swap device.</summary>
    public required SwapReport? Swap { get; init; }
    /// <summary>The buffer cache, with the counts of buffers freed so far; null without one.</summary>
    public XfsBufReport? XfsBuffers { get; init; }
}

/// <summary>
/// kswapd's cumulative counters at a sample time; the difference of two is a window's.
/// <see cref="DStateByWaitChannel"/> holds the D state by where kswapd slept; its sum is the D state.
/// </summary>
internal readonly record struct KswapdSample(long Wakeups, long BalanceRuns, long PagesReclaimed, long SlabObjectsScanned, long SlabObjectsFreed, long AsleepNs,
    IReadOnlyDictionary<string, long> DStateByWaitChannel)
{
    /// <summary>Time in D state inside a shrinker, in every wait channel together.</summary>
    public long DStateNs => DStateByWaitChannel.Values.Sum();

    /// <summary>
    /// The machine's kswapds together: the counts summed, the times their mean, so that the report's
    /// shares are of one kswapd's time.
    /// </summary>
    public static KswapdSample Total(KswapdSample[] kswapds) => new(
        kswapds.Sum(t => t.Wakeups), kswapds.Sum(t => t.BalanceRuns), kswapds.Sum(t => t.PagesReclaimed),
        kswapds.Sum(t => t.SlabObjectsScanned), kswapds.Sum(t => t.SlabObjectsFreed), kswapds.Sum(t => t.AsleepNs) / kswapds.Length,
        kswapds.Length == 1 ? kswapds[0].DStateByWaitChannel : kswapds
            .SelectMany(t => t.DStateByWaitChannel)
            .GroupBy(c => c.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(c => c.Value) / kswapds.Length, StringComparer.Ordinal));

    public static KswapdSample operator -(KswapdSample to, KswapdSample from) => new(
        to.Wakeups - from.Wakeups, to.BalanceRuns - from.BalanceRuns, to.PagesReclaimed - from.PagesReclaimed,
        to.SlabObjectsScanned - from.SlabObjectsScanned, to.SlabObjectsFreed - from.SlabObjectsFreed, to.AsleepNs - from.AsleepNs,
        to.DStateByWaitChannel
            .Select(c => (c.Key, Ns: c.Value - from.DStateByWaitChannel.GetValueOrDefault(c.Key)))
            .Where(c => c.Ns > 0)
            .ToDictionary(c => c.Key, c => c.Ns, StringComparer.Ordinal));
}
