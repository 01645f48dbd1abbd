namespace Policyc.Runtime.Mm;

/// <summary>
/// The binary buddy allocator of mm/page_alloc.c with grouping by mobility: __rmqueue_smallest on
/// the request's migrate type, __rmqueue_fallback stealing from other types (whole pageblocks when
/// the block is large or the request reclaimable), expand() on allocation, and __free_one_page
/// merging with free buddies of any type. Blocks never cross a zone boundary because zones start on
/// MAX_ORDER-aligned frames.
/// </summary>
public static class Buddy
{
    const int PageblockOrder = PageFrames.PageblockOrder;

    static readonly MigrateType[][] Fallbacks =
    [
        [MigrateType.Reclaimable, MigrateType.Movable],   // unmovable
        [MigrateType.Unmovable, MigrateType.Movable],     // reclaimable
        [MigrateType.Reclaimable, MigrateType.Unmovable], // movable
    ];

    /// <summary>
    /// __rmqueue: a block of the order from the type's lists, else stolen from another type, else
    /// from the MIGRATE_RESERVE lists (retry_reserve); -1 if none. As buffered_rmqueue does, every
    /// block handed out counts against the zone's batch of the fair zone allocation policy.
    /// </summary>
    public static int Rmqueue(PageFrames f, Zone zone, int order, MigrateType type)
    {
        int page = TakeBlock(f, zone, order, type);
        if (page >= 0)
            zone.AllocBatch -= 1L << order;
        return page;
    }

    /// <summary>__rmqueue alone, without the fair policy's count: also how rmqueue_bulk fills a per-CPU list.</summary>
    public static int TakeBlock(PageFrames f, Zone zone, int order, MigrateType type)
    {
        int page = RmqueueSmallest(f, zone, order, type);
        return page >= 0 ? page : RmqueueFallbackOrReserve(f, zone, order, type);
    }

    /// <summary>The rare path of __rmqueue, kept out of line: steal from another type, else take from the reserve.</summary>
    static int RmqueueFallbackOrReserve(PageFrames f, Zone zone, int order, MigrateType type)
    {
        int page = RmqueueFallback(f, zone, order, type);
        return page >= 0 ? page : RmqueueSmallest(f, zone, order, MigrateType.Reserve);
    }

    /// <summary>__rmqueue_smallest: the smallest block of at least the order on the type's lists.</summary>
    public static int RmqueueSmallest(PageFrames f, Zone zone, int order, MigrateType type)
    {
        for (int current = order; current < Zone.MaxOrder; current++)
        {
            int page = zone.FreeList(current, type).Head;
            if (page < 0)
                continue;
            DelFromFreeArea(f, zone, page, current);
            Expand(f, zone, page, order, current, type);
            return page;
        }
        return -1;
    }

    /// <summary>__rmqueue_fallback: the largest block of a fallback type, claiming its pageblock when worth it.</summary>
    static int RmqueueFallback(PageFrames f, Zone zone, int order, MigrateType start)
    {
        for (int current = Zone.MaxOrder - 1; current >= order; current--)
        {
            foreach (var fallback in Fallbacks[(int)start])
            {
                int page = zone.FreeList(current, fallback).Head;
                if (page < 0)
                    continue;
                var type = fallback;
                if (current >= PageblockOrder / 2 || start == MigrateType.Reclaimable)
                {
                    int moved = MoveFreepagesBlock(f, zone, page, start);
                    // Claim the whole block if over half of it is free.
                    if (moved >= 1 << (PageblockOrder - 1))
                        f.PageblockType[page >> PageblockOrder] = start;
                    type = start;
                }
                DelFromFreeArea(f, zone, page, current);
                if (current >= PageblockOrder)
                    for (int pb = page >> PageblockOrder; pb < (page + (1 << current)) >> PageblockOrder; pb++)
                        f.PageblockType[pb] = start;
                Expand(f, zone, page, order, current, type);
                return page;
            }
        }
        return -1;
    }

    /// <summary>move_freepages_block: every free block starting in the page's pageblock moves to the type's lists.</summary>
    static int MoveFreepagesBlock(PageFrames f, Zone zone, int page, MigrateType type)
    {
        int start = Math.Max(zone.StartPfn, page & ~((1 << PageblockOrder) - 1));
        int end = Math.Min(zone.EndPfn, start + (1 << PageblockOrder));
        int moved = 0;
        for (int pfn = start; pfn < end;)
        {
            if (f.State[pfn] != PageState.FreeHead)
            {
                pfn++;
                continue;
            }
            int order = f.Order[pfn];
            var old = (MigrateType)f.Owner[pfn];
            if (old != type)
            {
                zone.FreeList(order, old).Remove(f, pfn);
                zone.FreeList(order, type).AddHead(f, pfn);
                f.Owner[pfn] = (int)type;
            }
            moved += 1 << order;
            pfn += 1 << order;
        }
        return moved;
    }

    /// <summary>Takes a specific free block off its free list (allocation, merging, compaction's isolate_freepages).</summary>
    public static void DelFromFreeArea(PageFrames f, Zone zone, int head, int order)
    {
        zone.FreeList(order, (MigrateType)f.Owner[head]).Remove(f, head);
        zone.NrFree[order]--;
        zone.FreePages -= 1L << order;
        f.State[head] = PageState.FreeTail;
        f.Owner[head] = -1;
    }

    /// <summary>expand(): return the upper halves of a split block to the lower free lists of the type.</summary>
    static void Expand(PageFrames f, Zone zone, int page, int low, int high, MigrateType type)
    {
        int size = 1 << high;
        while (high > low)
        {
            high--;
            size >>= 1;
            AddToFreeArea(f, zone, page + size, high, type);
        }
    }

    static void AddToFreeArea(PageFrames f, Zone zone, int head, int order, MigrateType type)
    {
        f.State[head] = PageState.FreeHead;
        f.Order[head] = (byte)order;
        f.Owner[head] = (int)type;
        zone.FreeList(order, type).AddHead(f, head);
        zone.NrFree[order]++;
        zone.FreePages += 1L << order;
    }

    /// <summary><see cref="AddToFreeArea"/> at the list's tail: __free_one_page's place for a block likely to merge soon.</summary>
    static void AddToFreeAreaTail(PageFrames f, Zone zone, int head, int order, MigrateType type)
    {
        AddToFreeArea(f, zone, head, order, type);
        ref var list = ref zone.FreeList(order, type);
        list.Remove(f, head);
        list.AddTail(f, head);
    }

    /// <summary>
    /// __free_one_page: the block's frames become free and the block merges with its buddy while the
    /// buddy is a free block of the same order; the result goes on its pageblock's type list. Also
    /// resets zone->pages_scanned, as freeing does.
    /// </summary>
    public static void FreeOnePage(PageFrames f, Zone zone, int pfn, int order)
    {
        // free_one_page resets pages_scanned at once; order-0 pages go through the per-cpu lists and
        // free_pcppages_bulk resets it when a batch is drained. Without the lists (scenario switch
        // pcp-lists off) every 31st order-0 free stands for a drained batch.
        if (order > 0 || ++zone.PcpFrees >= Zone.PcpBatch)
        {
            zone.PagesScanned = 0;
            zone.PcpFrees = 0;
        }
        FreeToBuddy(f, zone, pfn, order);
    }

    /// <summary>The merging part of __free_one_page, for a block whose pages_scanned reset the caller has seen to.</summary>
    public static void FreeToBuddy(PageFrames f, Zone zone, int pfn, int order)
    {
        int n = 1 << order;
        for (int i = 0; i < n; i++)
            f.Release(pfn + i, PageState.FreeTail);
        var type = f.PageblockOf(pfn);
        while (order < Zone.MaxOrder - 1)
        {
            int buddy = pfn ^ (1 << order);
            if (!zone.Contains(buddy) || f.State[buddy] != PageState.FreeHead || f.Order[buddy] != order)
                break;
            DelFromFreeArea(f, zone, buddy, order);
            pfn &= buddy;
            order++;
        }
        if (zone.FreeLikelyMergesToTail && HigherBuddyIsFree(f, zone, pfn, order))
            AddToFreeAreaTail(f, zone, pfn, order, type);
        else
            AddToFreeArea(f, zone, pfn, order, type);
    }

    /// <summary>
    /// Whether the buddy of the order+1 block holding <paramref name="pfn"/> is free at order+1: then
    /// the block merges twice over once its own buddy is freed (__free_one_page, below MAX_ORDER-2).
    /// </summary>
    static bool HigherBuddyIsFree(PageFrames f, Zone zone, int pfn, int order)
    {
        if (order >= Zone.MaxOrder - 2)
            return false;
        int combined = pfn & ~(1 << order);
        int higherBuddy = combined ^ (1 << (order + 1));
        return zone.Contains(higherBuddy) && f.State[higherBuddy] == PageState.FreeHead && f.Order[higherBuddy] == order + 1;
    }

    /// <summary>
    /// setup_zone_migrate_reserve: from the zone's first whole pageblock up, the first movable
    /// pageblocks holding no page the kernel keeps, min(2, MIN rounded up to pageblocks) of them,
    /// become MIGRATE_RESERVE, with the free blocks that start in them.
    /// </summary>
    public static void SetupZoneMigrateReserve(PageFrames f, Zone zone)
    {
        int pageblock = 1 << PageblockOrder;
        long reserve = Math.Min(2, (zone.MinWmark + pageblock - 1) >> PageblockOrder);
        int start = (zone.StartPfn + pageblock - 1) & ~(pageblock - 1);
        for (int pfn = start; pfn < zone.EndPfn && reserve > 0; pfn += pageblock)
        {
            int end = Math.Min(pfn + pageblock, zone.EndPfn);
            if (Array.IndexOf(f.State, PageState.Reserved, pfn, end - pfn) >= 0)
                continue;
            if (f.PageblockOf(pfn) != MigrateType.Movable)
                continue;
            f.PageblockType[pfn >> PageblockOrder] = MigrateType.Reserve;
            MoveFreepagesBlock(f, zone, pfn, MigrateType.Reserve);
            reserve--;
        }
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

    /// <summary>allocflags_to_migratetype.</summary>
    public static MigrateType MigrateTypeOf(Policy.Gfp gfp) =>
        (gfp & Policy.Gfp.MOVABLE) != 0 ? MigrateType.Movable
        : (gfp & Policy.Gfp.RECLAIMABLE) != 0 ? MigrateType.Reclaimable
        : MigrateType.Unmovable;
}
