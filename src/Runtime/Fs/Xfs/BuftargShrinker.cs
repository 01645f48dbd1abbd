using Policyc.Runtime.Vmscan;

namespace Policyc.Runtime.Fs.Xfs;

/// <summary>
/// The XFS buffer cache's shrinker, "xfs_buf" (xfs_buftarg_shrink_count / xfs_buftarg_shrink_scan),
/// NUMA aware since 3.12: it counts the node's unused buffers and frees them from the LRU. It never
/// checks __GFP_FS, since freeing a clean buffer needs nothing from the filesystem, so under GFP_NOFS
/// it is the one XFS cache that reclaim can shrink. Whether it runs is the policy's shrinker rule.
/// </summary>
internal sealed class BuftargShrinker(XfsBufCache buffers) : IShrinker
{
    public string Name => "xfs_buf";

    public bool NumaAware => true;

    public long CountObjects(int nid) => buffers.Lru[nid].Count;

    public long ScanObjects(long nrToScan, int nid) => buffers.Shrink(nrToScan, nid);
}
