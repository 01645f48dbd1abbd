namespace Policyc.Runtime.Mm;

/// <summary>
/// The binary buddy allocator of mm/page_alloc.c: __rmqueue_smallest with expand() on allocation,
/// __free_one_page merging with free buddies on free. Blocks never cross a zone boundary because
/// zones start on MAX_ORDER-aligned frames.
/// </summary>
public static class Buddy
{
    /// <summary>Takes a free block of exactly <paramref name="order"/> from the zone, splitting a larger one if needed; -1 if none.</summary>
    public static int RmqueueSmallest(PageFrames f, Zone zone, int order)
    {
        for (int current = order; current < Zone.MaxOrder; current++)
        {
            int page = zone.FreeArea[current].Head;
            if (page < 0)
                continue;
            DelFromFreeArea(f, zone, page, current);
            Expand(f, zone, page, order, current);
            return page;
        }
        return -1;
    }

    /// <summary>Takes a specific free block off its free list (compaction's isolate_freepages).</summary>
    public static void DelFromFreeArea(PageFrames f, Zone zone, int head, int order)
    {
        zone.FreeArea[order].Remove(f, head);
        zone.NrFree[order]--;
        zone.FreePages -= 1L << order;
        f.State[head] = PageState.FreeTail;
    }

    /// <summary>expand(): return the upper halves of a split block to the lower free lists.</summary>
    static void Expand(PageFrames f, Zone zone, int page, int low, int high)
    {
        int size = 1 << high;
        while (high > low)
        {
            high--;
            size >>= 1;
            AddToFreeArea(f, zone, page + size, high);
        }
    }

    static void AddToFreeArea(PageFrames f, Zone zone, int head, int order)
    {
        f.State[head] = PageState.FreeHead;
        f.Order[head] = (byte)order;
        zone.FreeArea[order].AddHead(f, head);
        zone.NrFree[order]++;
        zone.FreePages += 1L << order;
    }

    /// <summary>
    /// __free_one_page: the block's frames become free and the block merges with its buddy while the
    /// buddy is a free block of the same order. Also resets zone->pages_scanned, as freeing does.
    /// </summary>
    public static void FreeOnePage(PageFrames f, Zone zone, int pfn, int order)
    {
        int n = 1 << order;
        for (int i = 0; i < n; i++)
        {
            f.State[pfn + i] = PageState.FreeTail;
            f.Flags[pfn + i] = PageFlags.None;
            f.Owner[pfn + i] = -1;
            f.SwapSlot[pfn + i] = -1;
        }
        zone.PagesScanned = 0;
        while (order < Zone.MaxOrder - 1)
        {
            int buddy = pfn ^ (1 << order);
            if (!zone.Contains(buddy) || f.State[buddy] != PageState.FreeHead || f.Order[buddy] != order)
                break;
            DelFromFreeArea(f, zone, buddy, order);
            pfn &= buddy;
            order++;
        }
        AddToFreeArea(f, zone, pfn, order);
    }

    /// <summary>Marks the frames of an allocated block as used for <paramref name="state"/>.</summary>
    public static void MarkAllocated(PageFrames f, int pfn, int order, PageState state, int owner)
    {
        int n = 1 << order;
        for (int i = 0; i < n; i++)
        {
            f.State[pfn + i] = state;
            f.Owner[pfn + i] = owner;
            f.Flags[pfn + i] = PageFlags.None;
        }
        f.Order[pfn] = (byte)order;
    }
}
