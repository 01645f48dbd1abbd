using System.Numerics;

namespace Policyc.Runtime.Swap;

/// <summary>
/// One swap device (struct swap_info_struct): the swap_map of per-slot reference counts with the
/// SWAP_HAS_CACHE bit, lowest_bit/highest_bit/cluster_next as mm/swapfile.c keeps them, and two
/// bitmaps (free slots; slots held only by the swap cache) so a scan finds its next stopping point
/// without visiting every entry. Walk lengths are still counted entry by entry for the cost model.
/// </summary>
public sealed class SwapDevice
{
    public const byte SwapHasCache = 0x40;
    public const int SwapfileCluster = 256;

    /// <summary>si->max: slots including the header slot 0, which is never used.</summary>
    public readonly int Max;
    /// <summary>si->pages: usable slots.</summary>
    public readonly int Pages;
    public readonly byte[] Map;
    readonly ulong[] freeBits;
    readonly ulong[] cacheOnlyBits;
    /// <summary>The frame holding a slot's swap-cache page, -1 if none.</summary>
    public readonly int[] CachePage;
    /// <summary>The process whose page a slot holds (for the OOM killer), -1 if none.</summary>
    public readonly int[] SlotOwner;

    public int LowestBit, HighestBit, ClusterNext, ClusterNr;
    public int InusePages;
    public int CacheOnlySlots;
    public int SwapCachePages;

    /// <summary>
    /// A device of <paramref name="usablePages"/> usable slots (SwapTotal, as free shows it); mkswap's
    /// header takes slot 0 on top of them (si->max = si->pages + 1).
    /// </summary>
    public SwapDevice(long usablePages)
    {
        Pages = (int)usablePages;
        Max = Pages + 1;
        Map = new byte[Max];
        freeBits = new ulong[(Max + 63) / 64];
        cacheOnlyBits = new ulong[(Max + 63) / 64];
        CachePage = new int[Max];
        SlotOwner = new int[Max];
        Array.Fill(CachePage, -1);
        Array.Fill(SlotOwner, -1);
        for (int i = 1; i < Max; i++)
            SetBit(freeBits, i, true);
        LowestBit = 1;
        HighestBit = Max - 1;
        ClusterNext = 1;
        ClusterNr = 0;
    }

    public int FreeSlots => Pages - InusePages;

    public bool IsFree(int offset) => Map[offset] == 0;
    public bool IsCacheOnly(int offset) => Map[offset] == SwapHasCache;

    /// <summary>Writes a new map value, keeping the bitmaps and counters in step.</summary>
    public void SetMap(int offset, byte value)
    {
        byte old = Map[offset];
        if (old == value)
            return;
        if (old == SwapHasCache)
        {
            CacheOnlySlots--;
            SetBit(cacheOnlyBits, offset, false);
        }
        if (value == SwapHasCache)
        {
            CacheOnlySlots++;
            SetBit(cacheOnlyBits, offset, true);
        }
        if (old == 0)
            SetBit(freeBits, offset, false);
        if (value == 0)
            SetBit(freeBits, offset, true);
        if ((old & SwapHasCache) != 0 && (value & SwapHasCache) == 0)
            SwapCachePages--;
        if ((old & SwapHasCache) == 0 && (value & SwapHasCache) != 0)
            SwapCachePages++;
        Map[offset] = value;
    }

    /// <summary>
    /// The first offset in [from, to] that is free, or (when <paramref name="cacheOnlyToo"/>) held only
    /// by the swap cache; -1 if none. Answers in O(range/64).
    /// </summary>
    public int FindNext(int from, int to, bool cacheOnlyToo)
    {
        if (from > to)
            return -1;
        int word = from >> 6;
        int lastWord = to >> 6;
        ulong mask = ~0UL << (from & 63);
        for (; word <= lastWord; word++, mask = ~0UL)
        {
            ulong bits = freeBits[word];
            if (cacheOnlyToo)
                bits |= cacheOnlyBits[word];
            bits &= mask;
            if (bits != 0)
            {
                int found = (word << 6) + BitOperations.TrailingZeroCount(bits);
                return found <= to ? found : -1;
            }
        }
        return -1;
    }

    static void SetBit(ulong[] bits, int i, bool on)
    {
        if (on)
            bits[i >> 6] |= 1UL << (i & 63);
        else
            bits[i >> 6] &= ~(1UL << (i & 63));
    }
}
