using Policyc.Runtime.Sim;

namespace Policyc.Runtime.Fs.Xfs;

/// <summary>
/// xfs_log_worker: every xfs_syncd_centisecs (30 s) it forces the log, which pushes the CIL — unless
/// a commit holds the CIL context lock, in which case the push waits for it.
/// </summary>
internal sealed class XfsLogWorker(Kernel k) : SimTask("xfs_log_worker")
{
    const long Period = 30_000_000_000;

    public override long Step(long now)
    {
        k.Xfs.Cil.Force();
        return Period;
    }
}
