using System.Numerics;

namespace Policyc.Runtime.Fs.Xfs;

/// <summary>
/// The XFS_ICI_RECLAIM_TAG of the per-AG inode radix trees, flattened to one bit per inode number:
/// xfs_reclaim_inodes_ag walks tagged inodes in inode-number order from a cursor. A summary word
/// per 64 words lets a walk skip long untagged stretches (a removed directory) in a few steps.
/// </summary>
internal sealed class ReclaimTags
{
    readonly ulong[] bits;
    readonly ulong[] summary;
    readonly int size;

    /// <summary>Tagged inodes: the AG's XFS_ICI_RECLAIM_TAG in the per-mount perag tree is set while this is above 0.</summary>
    public int Count { get; private set; }

    public ReclaimTags(int size)
    {
        this.size = size;
        bits = new ulong[(size + 63) >> 6];
        summary = new ulong[(bits.Length + 63) >> 6];
    }

    public void Set(int i)
    {
        ulong bit = 1UL << (i & 63);
        if ((bits[i >> 6] & bit) == 0)
            Count++;
        bits[i >> 6] |= bit;
        summary[i >> 12] |= 1UL << ((i >> 6) & 63);
    }

    public void Clear(int i)
    {
        int w = i >> 6;
        ulong bit = 1UL << (i & 63);
        if ((bits[w] & bit) != 0)
            Count--;
        bits[w] &= ~bit;
        if (bits[w] == 0)
            summary[w >> 6] &= ~(1UL << (w & 63));
    }

    /// <summary>The first tagged inode at or after <paramref name="from"/>, or -1.</summary>
    public int FindNext(int from)
    {
        if (from >= size)
            return -1;
        int w = from >> 6;
        ulong word = bits[w] & (~0UL << (from & 63));
        if (word != 0)
            return (w << 6) + BitOperations.TrailingZeroCount(word);
        // The next non-empty word, through the summary.
        int next = w + 1;
        int s = next >> 6;
        if (s >= summary.Length)
            return -1;
        ulong sword = (next & 63) == 0 ? summary[s] : summary[s] & (~0UL << (next & 63));
        while (sword == 0)
        {
            if (++s >= summary.Length)
                return -1;
            sword = summary[s];
        }
        int wi = (s << 6) + BitOperations.TrailingZeroCount(sword);
        return (wi << 6) + BitOperations.TrailingZeroCount(bits[wi]);
    }
}
