using Policyc.Runtime.Policy;
using Policyc.Runtime.Scenarios;

namespace Policyc.Runtime.Mm;

/// <summary>
/// Boot-time memory set-up: the zones of the node (ZONE_DMA below 16 MiB, ZONE_DMA32 below the 4 GiB
/// boundary, ZONE_NORMAL above), the kernel's own pages, free_area filled with MAX_ORDER blocks,
/// and the watermarks and lowmem reserves of setup_per_zone_wmarks / setup_per_zone_lowmem_reserve.
/// </summary>
internal sealed class MemoryLayout
{
    const int DmaPages = 4096; // 16 MiB
    static readonly long[] LowmemReserveRatio = [256, 256, 32];

    public required PageFrames Frames { get; init; }
    public required Zone[] Zones { get; init; }
    public required long MinFreeBytes { get; init; }

    public static MemoryLayout Build(Scenario s)
    {
        int total = (int)(s.MemBytes / PolicyTypes.PageSize);
        var frames = new PageFrames(total);
        int dma32End = (int)Math.Min(total, Math.Max(DmaPages, s.Dma32Bytes / PolicyTypes.PageSize) & ~1023L);
        var zones = new List<Zone> { new(0, "DMA", 0, Math.Min(DmaPages, total)) };
        if (dma32End > DmaPages)
            zones.Add(new Zone(1, "DMA32", DmaPages, dma32End));
        if (total > dma32End)
            zones.Add(new Zone(2, "Normal", dma32End, total));

        // The kernel image, page tables and the memmap sit just above ZONE_DMA.
        int reserved = (int)(s.KernelReservedBytes / PolicyTypes.PageSize);
        int reservedStart = DmaPages, reservedEnd = Math.Min(total, DmaPages + reserved);
        foreach (var zone in zones)
        {
            int pfn = zone.StartPfn;
            while (pfn < zone.EndPfn)
            {
                if (pfn >= reservedStart && pfn < reservedEnd)
                {
                    pfn++;
                    continue;
                }
                int order = Zone.MaxOrder - 1;
                while (order > 0 && ((pfn & ((1 << order) - 1)) != 0 || pfn + (1 << order) > zone.EndPfn
                                     || Overlaps(pfn, 1 << order, reservedStart, reservedEnd)))
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
        }

        // setup_per_zone_lowmem_reserve: pages of the higher zones an allocation could have used, divided by the ratio.
        foreach (var lower in zones)
            foreach (var classzone in zones.Where(z => z.Index > lower.Index))
                lower.LowmemReserve[classzone.Index] =
                    zones.Where(z => z.Index > lower.Index && z.Index <= classzone.Index).Sum(z => z.ManagedPages)
                    / LowmemReserveRatio[lower.Index];

        return new MemoryLayout { Frames = frames, Zones = zones.ToArray(), MinFreeBytes = minFreeKb * 1024 };
    }

    static bool Overlaps(int start, int length, int rStart, int rEnd) => start < rEnd && rStart < start + length;
}
