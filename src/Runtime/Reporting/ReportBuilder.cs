using Policyc.Runtime.Sim;

namespace Policyc.Runtime.Reporting;

/// <summary>Builds the snapshot of a window from the samples at its two ends.</summary>
internal static class ReportBuilder
{
    public static Snapshot Window(MachineSample from, MachineSample to, IReadOnlyList<string> messageTexts, MachineSample? stateAt = null)
    {
        var state = stateAt ?? to;
        double seconds = Math.Max(1e-9, to.TimeS - from.TimeS);
        long total = 0;
        var cpu = new long[to.CpuNs.Length];
        for (int i = 0; i < cpu.Length; i++)
        {
            cpu[i] = to.CpuNs[i] - from.CpuNs[i];
            total += cpu[i];
        }
        var profile = Enumerable.Range(0, cpu.Length)
            .Where(i => cpu[i] > 0)
            .Select(i => new ProfileEntry { Symbol = Symbols.Name((Symbol)i), Percent = Math.Round(100.0 * cpu[i] / total, 2) })
            .OrderByDescending(e => e.Percent)
            .ThenBy(e => e.Symbol, StringComparer.Ordinal)
            .ToList();
        var messages = new List<MessageReport>();
        for (int i = 0; i < messageTexts.Count; i++)
        {
            long before = i < from.MessageCounts.Length ? from.MessageCounts[i] : 0;
            long after = i < to.MessageCounts.Length ? to.MessageCounts[i] : 0;
            if (after > before)
                messages.Add(new MessageReport { Text = messageTexts[i], Count = after - before, PerSecond = Math.Round((after - before) / seconds, 3) });
        }
        var failures = new List<AllocFailureReport>();
        for (int order = 0; order < to.KmemAllocFailures.Length; order++)
        {
            long count = to.KmemAllocFailures[order] - from.KmemAllocFailures[order];
            if (count > 0)
                failures.Add(new AllocFailureReport { Order = order, Count = count, PerSecond = Math.Round(count / seconds, 3) });
        }
        var directReclaim = new List<ZoneReclaimReport>();
        for (int i = 0; i < to.DirectReclaim.Length; i++)
        {
            // Every sample holds every zone, in zone order.
            var (a, b) = (from.DirectReclaim[i], to.DirectReclaim[i]);
            long Balance(Mm.ScanBalanceKind kind) => b.ScanBalance[(int)kind] - a.ScanBalance[(int)kind];
            directReclaim.Add(new ZoneReclaimReport
            {
                Zone = to.Zones[i].Name,
                Node = to.Zones[i].Node,
                SkippedForCompaction = b.SkippedForCompaction - a.SkippedForCompaction,
                Shrunk = b.Shrunk - a.Shrunk,
                ScanEqual = Balance(Mm.ScanBalanceKind.Equal),
                ScanFract = Balance(Mm.ScanBalanceKind.Fract),
                ScanAnon = Balance(Mm.ScanBalanceKind.Anon),
                ScanFile = Balance(Mm.ScanBalanceKind.File),
                AnonScanned = b.AnonScanned - a.AnonScanned,
                FileScanned = b.FileScanned - a.FileScanned,
            });
        }
        long reclaimNs = 0;
        foreach (var s in new[] { Symbol.ScanSwapMap, Symbol.ShrinkPageList, Symbol.IsolateLruPages, Symbol.ShrinkSlab, Symbol.CompactZone, Symbol.BalancePgdat, Symbol.DropSlab })
            reclaimNs += cpu[(int)s];
        return new Snapshot
        {
            FromS = Math.Round(from.TimeS, 3),
            ToS = Math.Round(to.TimeS, 3),
            Memory = state.Memory,
            Slab = state.Slab,
            Zones = state.Zones,
            Profile = profile,
            Messages = messages,
            KmemAllocFailures = failures,
            DirectReclaim = directReclaim,
            // In vm_event_item order, as /proc/vmstat lists them.
            Vmstat = Enum.GetValues<Mm.VmEvent>().ToDictionary(Mm.VmEvents.Name, e => to.VmEvents[(int)e] - from.VmEvents[(int)e]),
            Swap = SwapWindow(from.Swap, to.Swap, state.Swap),
            XfsBuffers = from.XfsBuffers is null || to.XfsBuffers is null || state.XfsBuffers is null ? null
                : state.XfsBuffers with
                {
                    Freed = to.XfsBuffers.Freed - from.XfsBuffers.Freed,
                    StaleFreed = to.XfsBuffers.StaleFreed - from.XfsBuffers.StaleFreed,
                },
            Kswapd = Kswapd(to.Kswapd - from.Kswapd, PercentOfWindow) with
            {
                Nodes = to.PerNodeKswapd.Length < 2 ? null
                    : [.. to.PerNodeKswapd.Select((sample, node) => Kswapd(sample - from.PerNodeKswapd[node], PercentOfWindow) with { Node = node })],
            },
            ReclaimCpuPercent = total == 0 ? 0 : Math.Round(100.0 * reclaimNs / total, 2),
        };

        double PercentOfWindow(long ns) => Math.Round(100.0 * ns / (seconds * 1e9), 2);
    }

    /// <summary>The swap map as it was at the state sample, with the scan counters' differences over the window.</summary>
    static SwapReport? SwapWindow(SwapReport? from, SwapReport? to, SwapReport? state) =>
        from is null || to is null || state is null ? null : state with
        {
            ScanCalls = to.ScanCalls - from.ScanCalls,
            ScanFailures = to.ScanFailures - from.ScanFailures,
            EntriesWalked = to.EntriesWalked - from.EntriesWalked,
            SwapCacheHits = to.SwapCacheHits - from.SwapCacheHits,
        };

    static KswapdReport Kswapd(KswapdSample window, Func<long, double> percentOfWindow) => new()
    {
        Wakeups = window.Wakeups,
        SlabObjectsFreed = window.SlabObjectsFreed,
        SlabObjectsScanned = window.SlabObjectsScanned,
        PagesReclaimed = window.PagesReclaimed,
        BalanceRuns = window.BalanceRuns,
        AsleepPercent = percentOfWindow(window.AsleepNs),
        DStatePercent = percentOfWindow(window.DStateNs),
        DStateWaitChannels = window.DStateByWaitChannel.Count == 0 ? null : window.DStateByWaitChannel
            .OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new WaitChannelShare { WaitChannel = c.Key, Percent = percentOfWindow(c.Value) })
            .ToList(),
    };
}
