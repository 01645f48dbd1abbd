using Policyc.Runtime.Vmscan;

namespace Policyc.Runtime.Fs.Xfs;

/// <summary>
/// The XFS superblock's shrinker, "sb-xfs" (fs/super.c super_cache_count / super_cache_scan): counts
/// unused dentries, unused inodes and XFS's reclaimable inodes scaled by vfs_cache_pressure, and
/// splits a scan across the three in proportion. Whether it may run in a reclaim context without
/// __GFP_FS is the policy's shrinker rule, not this code's.
/// </summary>
internal sealed class SuperblockShrinker(Kernel k, XfsMount mount) : IShrinker
{
    public string Name => "sb-xfs";

    public long CountObjects()
    {
        long total = mount.Reclaimable.Count + mount.DentryLru.Count + mount.InodeLru.Count;
        return total * k.Scenario.VfsCachePressure / 100;
    }

    public long ScanObjects(long nrToScan)
    {
        long dentries = mount.DentryLru.Count;
        long inodes = mount.InodeLru.Count;
        long fsObjects = mount.Reclaimable.Count;
        long total = dentries + inodes + fsObjects + 1;
        long d = nrToScan * dentries / total;
        long i = nrToScan * inodes / total;
        long f = nrToScan * fsObjects / total;
        long freed = mount.PruneDcache(d);
        freed += mount.PruneIcache(i);
        // xfs_fs_free_cached_objects → xfs_reclaim_inodes_nr(SYNC_TRYLOCK | SYNC_WAIT): with the scenario's
        // xfs-log-force, may sleep on a log force.
        freed += mount.ReclaimInodes(f);
        return freed;
    }
}
