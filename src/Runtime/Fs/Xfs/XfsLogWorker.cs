using Policyc.Runtime.Sim;

namespace Policyc.Runtime.Fs.Xfs;

/// <summary>
/// xfs_log_worker: every xfs_syncd_centisecs (30 s) it forces the log, which pushes the CIL, and then
/// pushes the AIL so that logged inodes get written back and become clean. While a commit holds the
/// CIL context lock the log force waits for it, and so does everything after it.
/// </summary>
internal sealed class XfsLogWorker(Kernel k) : SimTask("xfs_log_worker")
{
    const long Period = 30_000_000_000;
    bool forced;

    public override long Step(long now)
    {
        var cil = k.Xfs.Cil;
        if (!k.Scenario.XfsLogForce && cil.CommitsInProgress > 0)
            return Period; // the shipped model's simplification: skip this period instead of waiting
        if (!forced)
        {
            forced = true;
            if (!cil.ForceOrSleep(XfsWaitChannels.LogForce))
                return Blocked; // the push waits for the commits in progress; so does the worker
        }
        forced = false;
        cil.AilPushAll();
        cil.AdvanceAil(now);
        return Period;
    }
}
