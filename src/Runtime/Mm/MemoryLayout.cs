using Policyc.Runtime.Policy;
using Policyc.Runtime.Scenarios;

namespace Policyc.Runtime.Mm;

/// <summary>
/// Boot-time memory set-up: the nodes, each an equal share of RAM in address order, and their zones
/// (ZONE_DMA below 16 MiB, ZONE_DMA32 below the 4 GiB boundary, ZONE_NORMAL above); the kernel's own
/// pages; free_area filled with MAX_ORDER blocks; the watermarks and lowmem reserves of
/// setup_per_zone_wmarks / setup_per_zone_lowmem_reserve; and each node's zonelist.
/// </summary>
internal sealed class MemoryLayout
{
    const int DmaPages = 4096; // 16 MiB
    const int MaxOrderPages = 1 << (Zone.MaxOrder - 1);
    static readonly long[] LowmemReserveRatio = [256, 256, 32];

    public required PageFrames Frames { get; init; }
    public required Node[] Nodes { get; init; }
    /// <summary>Every zone of every node, node by node, each node's in index order.</summary>
    public required Zone[] Zones { get; init; }
    public required long MinFreeBytes { get; init; }

    public static MemoryLayout Build(Scenario s)
    {
        int total = (int)(s.MemBytes / PolicyTypes.PageSize);
        var frames = new PageFrames(total);
        int dma32End = (int)Math.Min(total, Math.Max(DmaPages, s.Dma32Bytes / PolicyTypes.PageSize) & ~1023L);
        int nodeCount = Math.Max(1, s.Nodes);
        // Node boundaries on MAX_ORDER blocks, so that no buddy block crosses a node; the last node takes the rest.
        int nodePages = total / nodeCount & ~(MaxOrderPages - 1);
        var nodes = new Node[nodeCount];
        var zones = new List<Zone>();
        for (int n = 0; n < nodeCount; n++)
        {
            int start = n * nodePages, end = n == nodeCount - 1 ? total : start + nodePages;
            var nodeZones = new List<Zone>();
            void AddZone(int index, string name, int zoneStart, int zoneEnd)
            {
                zoneStart = Math.Max(zoneStart, start);
                zoneEnd = Math.Min(zoneEnd, end);
                if (zoneEnd > zoneStart)
                    nodeZones.Add(new Zone(index, name, zoneStart, zoneEnd, n));
            }
            AddZone(0, "DMA", 0, Math.Min(DmaPages, total));
            AddZone(1, "DMA32", DmaPages, dma32End);
            AddZone(2, "Normal", dma32End, total);
            nodes[n] = new Node(n, start, end, [.. nodeZones]);
            zones.AddRange(nodeZones);
        }

        // The kernel image, page tables and the memmap. On one node they sit just above ZONE_DMA; with
        // several, each node's share (its memmap and pg_data_t, allocated top down per node at boot)
        // sits at the top of the node.
        int reserved = (int)(s.KernelReservedBytes / PolicyTypes.PageSize);
        var reservedRanges = new List<(int Start, int End)>();
        if (nodeCount == 1)
            reservedRanges.Add((DmaPages, Math.Min(total, DmaPages + reserved)));
        else
            foreach (var node in nodes)
                reservedRanges.Add((Math.Max(node.StartPfn, node.EndPfn - reserved / nodeCount), node.EndPfn));
        bool IsReserved(int pfn) => reservedRanges.Exists(r => pfn >= r.Start && pfn < r.End);
        bool OverlapsReserved(int pfn, int length) => reservedRanges.Exists(r => pfn < r.End && r.Start < pfn + length);
        foreach (var zone in zones)
        {
            zone.FreeLikelyMergesToTail = s.BuddyTailMerge;
            int pfn = zone.StartPfn;
            while (pfn < zone.EndPfn)
            {
                if (IsReserved(pfn))
                {
                    pfn++;
                    continue;
                }
                int order = Zone.MaxOrder - 1;
                while (order > 0 && ((pfn & ((1 << order) - 1)) != 0 || pfn + (1 << order) > zone.EndPfn
                                     || OverlapsReserved(pfn, 1 << order)))
                    order--;
                zone.ManagedPages += 1L << order;
                Buddy.FreeOnePage(frames, zone, pfn, order);
                pfn += 1 << order;
            }
        }

        // setup_per_zone_wmarks with min_free_kbytes = int_sqrt(lowmem_kbytes * 16), clamped to [128, 65536].
        long lowmemPages = zones.Sum(z => z.ManagedPages);
        long minFreeKb = s.MinFreeBytes is long bytes
            ? bytes / 1024
            : Math.Clamp((long)Math.Sqrt(lowmemPages * 4.0 * 16), 128, 65536);
        long pagesMin = minFreeKb >> 2;
        foreach (var zone in zones)
        {
            long tmp = pagesMin * zone.ManagedPages / lowmemPages;
            zone.MinWmark = tmp;
            zone.LowWmark = tmp + (tmp >> 2);
            zone.HighWmark = tmp + (tmp >> 1);
            zone.ResetAllocBatch();
            if (s.MigrateReserve)
                Buddy.SetupZoneMigrateReserve(frames, zone);
        }

        // setup_per_zone_lowmem_reserve, node by node: pages of the node's higher zones an allocation
        // could have used, divided by the ratio.
        foreach (var node in nodes)
            foreach (var lower in node.Zones)
                foreach (var classzone in node.Zones.Where(z => z.Index > lower.Index))
                    lower.LowmemReserve[classzone.Index] =
                        node.Zones.Where(z => z.Index > lower.Index && z.Index <= classzone.Index).Sum(z => z.ManagedPages)
                        / LowmemReserveRatio[lower.Index];

        foreach (var node in nodes)
            node.Zonelist = BuildZonelist(nodes, node.Id);
        return new MemoryLayout { Frames = frames, Nodes = nodes, Zones = [.. zones], MinFreeBytes = minFreeKb * 1024 };
    }

    /// <summary>
    /// build_zonelists in node order (default_zonelist_order picks it when a node's low zones are
    /// most of it, as node 0's are): the local node's zones from the highest down, then the other
    /// nodes'. With every remote node at the same distance, find_next_best_node's penalty for nodes
    /// numbered below the local one and its node_load round robin give the next nodes up, wrapping.
    /// </summary>
    static Zone[] BuildZonelist(Node[] nodes, int local)
    {
        var list = new List<Zone>();
        for (int i = 0; i < nodes.Length; i++)
        {
            var node = nodes[(local + i) % nodes.Length];
            for (int z = node.Zones.Length - 1; z >= 0; z--)
                list.Add(node.Zones[z]);
        }
        return [.. list];
    }
}
