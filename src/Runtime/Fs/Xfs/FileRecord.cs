using System.Runtime.InteropServices;

namespace Policyc.Runtime.Fs.Xfs;

/// <summary>
/// One file of the tree as the caches hold it: where its dentry, external name and xfs_inode live,
/// its state, its unlink's checkpoint, and its links on the inode lists and on the dentry LRU. The
/// per-file paths (lookup, unlink, commit, pruning, inode reclaim) read several of these at once
/// for a file, so they sit together, in one or two cache lines, rather than in parallel arrays.
/// Packed to 34 bytes: 50M of them are most of a seed run's memory.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 2)]
internal struct FileRecord
{
    /// <summary>The xfs_inode's slab object, or -1.</summary>
    public int InodeSlab;
    /// <summary>The dentry's slab object, or -1.</summary>
    public int DentrySlab;
    /// <summary>The external name's kmalloc-64 object, or -1.</summary>
    public int NameSlab;
    /// <summary>For an unlinked inode, the CIL checkpoint its unlink belongs to: until it is pushed the inode stays pinned.</summary>
    public int UnlinkCheckpoint;
    /// <summary>Links of the inode lists (inode LRU, reclaimable inodes).</summary>
    public int Next, Prev;
    /// <summary>Links of the dentry LRU: a removed file's negative dentry is on it while its inode waits on the reclaimable list.</summary>
    public int DentryNext, DentryPrev;
    /// <summary>Where the file's dentry and inode are.</summary>
    public FileCacheState State;
    /// <summary>The rm has unlinked the file (its dentry, if cached, is negative).</summary>
    public bool Unlinked;

    public static readonly FileRecord Uncached = new() { InodeSlab = -1, DentrySlab = -1, NameSlab = -1 };
}

/// <summary>The links an <see cref="IndexList"/> threads through: a pair of int fields per index.</summary>
internal interface IListLinks
{
    ref int Next(int i);
    ref int Prev(int i);
}

/// <summary>Links in two parallel arrays.</summary>
internal readonly struct ArrayLinks(int[] next, int[] prev) : IListLinks
{
    public ref int Next(int i) => ref next[i];
    public ref int Prev(int i) => ref prev[i];
}

/// <summary>A file's inode-list links.</summary>
internal readonly struct InodeLinks(FileRecord[] files) : IListLinks
{
    public ref int Next(int i) => ref files[i].Next;
    public ref int Prev(int i) => ref files[i].Prev;
}

/// <summary>A file's dentry-LRU links.</summary>
internal readonly struct DentryLinks(FileRecord[] files) : IListLinks
{
    public ref int Next(int i) => ref files[i].DentryNext;
    public ref int Prev(int i) => ref files[i].DentryPrev;
}
