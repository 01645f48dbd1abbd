namespace Policyc.Runtime.Mm;

/// <summary>What a page frame is used for. Every frame is in exactly one state.</summary>
public enum PageState : byte
{
    /// <summary>Free, inside a buddy block whose first page is a <see cref="FreeHead"/>.</summary>
    FreeTail,
    /// <summary>First page of a free buddy block on free_area[order] (PageBuddy).</summary>
    FreeHead,
    /// <summary>Anonymous memory of a process, on an anon LRU list.</summary>
    Anon,
    /// <summary>Page cache, on a file LRU list.</summary>
    File,
    /// <summary>Part of a slab (the owner field holds the slab id).</summary>
    Slab,
    /// <summary>Kernel memory from the page allocator directly: large kmalloc, log-vector buffers.</summary>
    Kernel,
    /// <summary>Held by the kernel since boot; never freed.</summary>
    Reserved,
    /// <summary>Free, on a CPU's per-cpu page list (scenario switch pcp-lists): not in NR_FREE_PAGES.</summary>
    PerCpu,
}

/// <summary>Grouping pages by mobility (include/linux/mmzone.h): each pageblock and free list has a type.</summary>
public enum MigrateType : byte
{
    Unmovable = 0,
    Reclaimable = 1,
    Movable = 2,
    /// <summary>
    /// MIGRATE_RESERVE: up to two pageblocks per zone set aside at boot (setup_zone_migrate_reserve),
    /// handed out only when every other list is empty (scenario switch migrate-reserve).
    /// </summary>
    Reserve = 3,
}

[Flags]
public enum PageFlags : byte
{
    None = 0,
    /// <summary>On an active LRU list (PG_active).</summary>
    Active = 1,
    /// <summary>page_referenced() finds young ptes: the page is in use and gets rotated (hot executables, working sets).</summary>
    Hot = 2,
    /// <summary>In the swap cache (PG_swapcache); its slot is in <see cref="PageFrames.SwapSlot"/>.</summary>
    SwapCache = 4,
    /// <summary>
    /// A swap-cache page no pte maps: one swap readahead read and no fault has mapped yet, or one
    /// reclaim unmapped and wrote out (<c>swap-write-latency</c>). Its process refers to the slot,
    /// so reclaim only drops it from the swap cache, with no write and no new slot.
    /// </summary>
    Unmapped = 8,
    /// <summary>
    /// Under writeback to swap (PG_writeback, with PG_reclaim: reclaim started the write). Reclaim
    /// keeps the page on the inactive list until end_page_writeback rotates it to the tail.
    /// </summary>
    Writeback = 16,
    /// <summary>
    /// A young pte that page_referenced finds once: a swap fault has just mapped the page (scenario
    /// swapin-inactive). Reclaim's next look activates the page and clears it.
    /// </summary>
    Referenced = 32,
}

/// <summary>
/// The struct pages of the machine as parallel arrays (struct of arrays): state, buddy order, list
/// links (a frame is on at most one list: a free list or an LRU list), owner and swap slot.
/// </summary>
public sealed class PageFrames
{
    public readonly int Count;
    public readonly PageState[] State;
    public readonly PageFlags[] Flags;
    /// <summary>Buddy order of a free block or of an allocated compound block (meaningful on its head).</summary>
    public readonly byte[] Order;
    public readonly int[] Next;
    public readonly int[] Prev;
    /// <summary>Slab id for slab pages, owning process for anon pages, the free list's migrate type for a free block's head, -1 otherwise.</summary>
    public readonly int[] Owner;
    /// <summary>Swap slot of a swap-cache page, -1 otherwise.</summary>
    public readonly int[] SwapSlot;
    /// <summary>The migrate type of each pageblock (2^<see cref="PageblockOrder"/> frames), as set_pageblock_migratetype keeps it.</summary>
    public readonly MigrateType[] PageblockType;

    public const int PageblockOrder = 9;
    /// <summary>PG_migrate_skip per pageblock: compaction recently isolated nothing there, so its scanners pass it over.</summary>
    public readonly bool[] PageblockSkip;

    public MigrateType PageblockOf(int pfn) => PageblockType[pfn >> PageblockOrder];

    /// <summary>The LRU list an LRU page (anon or file) belongs on, by its type and PG_active.</summary>
    public Lru LruOf(int pfn) => LruExtensions.Of(State[pfn] == PageState.File, (Flags[pfn] & PageFlags.Active) != 0);

    /// <summary>A frame freed into <paramref name="state"/>: no flags, owner or swap slot left from its last use.</summary>
    public void Release(int pfn, PageState state)
    {
        State[pfn] = state;
        Flags[pfn] = PageFlags.None;
        Owner[pfn] = -1;
        SwapSlot[pfn] = -1;
    }

    public PageFrames(int count)
    {
        Count = count;
        State = new PageState[count];
        Flags = new PageFlags[count];
        Order = new byte[count];
        Next = new int[count];
        Prev = new int[count];
        Owner = new int[count];
        SwapSlot = new int[count];
        PageblockType = new MigrateType[(count >> PageblockOrder) + 1];
        Array.Fill(PageblockType, MigrateType.Movable);
        PageblockSkip = new bool[PageblockType.Length];
        Array.Fill(State, PageState.Reserved);
        Array.Fill(Owner, -1);
        Array.Fill(SwapSlot, -1);
        Array.Fill(Next, -1);
        Array.Fill(Prev, -1);
    }
}

/// <summary>A doubly linked list threaded through <see cref="PageFrames.Next"/>/<see cref="PageFrames.Prev"/>.</summary>
public struct PageList
{
    public int Head;
    public int Tail;
    public long Count;

    public static PageList Empty => new() { Head = -1, Tail = -1 };

    public void AddHead(PageFrames f, int pfn)
    {
        f.Prev[pfn] = -1;
        f.Next[pfn] = Head;
        if (Head >= 0)
            f.Prev[Head] = pfn;
        else
            Tail = pfn;
        Head = pfn;
        Count++;
    }

    public void AddTail(PageFrames f, int pfn)
    {
        f.Next[pfn] = -1;
        f.Prev[pfn] = Tail;
        if (Tail >= 0)
            f.Next[Tail] = pfn;
        else
            Head = pfn;
        Tail = pfn;
        Count++;
    }

    public void Remove(PageFrames f, int pfn)
    {
        int p = f.Prev[pfn], n = f.Next[pfn];
        if (p >= 0)
            f.Next[p] = n;
        else
            Head = n;
        if (n >= 0)
            f.Prev[n] = p;
        else
            Tail = p;
        f.Next[pfn] = f.Prev[pfn] = -1;
        Count--;
    }
}
