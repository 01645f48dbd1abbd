using Policyc.Runtime.Vmscan;

namespace Policyc.Runtime.Fs.Xfs;

/// <summary>
/// The XFS superblock's shrinker, "sb-xfs" (fs/super.c super_cache_count / super_cache_scan), NUMA
/// aware since 3.12: for a node, counts the node's unused dentries and unused inodes plus XFS's
/// reclaimable inodes, scaled by vfs_cache_pressure, and splits a scan across the three in
/// proportion. XFS's count and its inode reclaim ignore the node (xfs_fs_nr_cached_objects counts
/// every reclaimable inode), so every node asked sees all of them. Whether it may run in a reclaim
/// context without __GFP_FS is the policy's shrinker rule, not this code's.
/// </summary>
internal sealed class SuperblockShrinker(Kernel k, XfsMount mount) : IShrinker
{
    public string Name => "sb-xfs";

    public bool NumaAware => true;

    public long CountObjects(int nid)
    {
        long total = mount.Reclaimable.Count + mount.DentryLru[nid].Count + mount.InodeLru[nid].Count;
        return total * k.Scenario.VfsCachePressure / 100;
    }

    public long ScanObjects(long nrToScan, int nid)
    {
        long dentries = mount.DentryLru[nid].Count;
        long inodes = mount.InodeLru[nid].Count;
        long fsObjects = mount.Reclaimable.Count;
        long total = dentries + inodes + fsObjects + 1;
        long d = nrToScan * dentries / total;
        long i = nrToScan * inodes / total;
        long f = nrToScan * fsObjects / total;
        long freed = mount.PruneDcache(d, nid);
        freed += mount.PruneIcache(i, nid);
        // xfs_fs_free_cached_objects → xfs_reclaim_inodes_nr(SYNC_TRYLOCK | SYNC_WAIT): with the scenario's
        // xfs-log-force, may sleep on a log force. Only "if (fs_objects)": with none counted, no AIL push.
        if (fsObjects > 0)
            freed += mount.ReclaimInodes(f);
        return freed;
    }
}
