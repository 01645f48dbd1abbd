using Policyc.Runtime.Sim;

namespace Policyc.Runtime.Fs.Xfs;

/// <summary>
/// xfs_reclaim_worker: every xfs_syncd_centisecs / 6 (5 s by default) it reclaims the inodes XFS
/// has marked reclaimable, without any allocation context — the one slab reclaim that needs no
/// shrinker call. It cannot free inodes pinned by an unwritten checkpoint.
/// </summary>
internal sealed class XfsReclaimWorker(Kernel k) : SimTask("xfs_reclaim_worker")
{
    const long Period = 5_000_000_000;

    public override long Step(long now)
    {
        k.Xfs.Cil.AdvanceAil(now);
        long freed = k.Xfs.BackgroundReclaim();
        k.Cpu.Charge(Symbol.ShrinkSlab, freed * k.Scenario.CostSlabObjectNs);
        return Period;
    }
}
