using Policyc.Runtime.Sim;

namespace Policyc.Runtime.Fs.Xfs;

/// <summary>
/// xfs_reclaim_inodes_ag (fs/xfs/xfs_icache.c) for the shrinker's call, SYNC_TRYLOCK | SYNC_WAIT:
/// the reclaimable inodes of each allocation group are walked in inode-number order from the AG's
/// reclaim cursor under the AG's pag_ici_reclaim_lock. An AG whose lock another walker holds is
/// skipped, and waited for only if the walk still has work once the others are done. A pinned inode
/// is waited for (xfs_iunpin_wait forces the log); when the CIL push cannot take its lock the walker
/// sleeps there, still holding its AG's lock, until the push.
/// </summary>
internal sealed class InodeReclaim
{
    readonly Kernel k;
    readonly ReclaimTags[] tags;
    readonly int[] cursor;
    readonly SimTask?[] holder;
    /// <summary>AGs whose walker sleeps on a log force: their locks are handed back when the push is done.</summary>
    readonly List<int> forceSleepers = [];
    readonly List<SimTask> lockWaiters = [];
    /// <summary>The directory size as a divisor (<see cref="XfsMount.DirectoryDivisor"/>): the walk maps every inode it visits.</summary>
    readonly int dirFiles;
    readonly int agCount;
    /// <summary>Scenario xfs-reclaim-ag-batch: 3.13's batch of 32 per AG (see <see cref="Walk"/>).</summary>
    readonly bool agBatch;

    public InodeReclaim(Kernel k, long files)
    {
        this.k = k;
        agCount = Math.Max(1, k.Scenario.AgCount);
        agBatch = k.Scenario.XfsReclaimAgBatch;
        long filesPerDir = k.Scenario.FilesPerDirectory;
        dirFiles = XfsMount.DirectoryDivisor(filesPerDir);
        long dirs = (files + filesPerDir - 1) / filesPerDir;
        long dirsPerAg = (dirs + agCount - 1) / agCount;
        tags = new ReclaimTags[agCount];
        for (int a = 0; a < agCount; a++)
            tags[a] = new ReclaimTags(checked((int)(dirsPerAg * Math.Min(filesPerDir, files))));
        cursor = new int[agCount];
        holder = new SimTask?[agCount];
    }

    // A directory's inodes live in one AG (the inode64 allocator rotates new directories across AGs);
    // within the AG, inode numbers follow the order the directories' files were created in.
    // One division by the directory size places a file: its AG, and its index among the AG's inodes.
    (int Ag, int Local) Place(int file)
    {
        var (dir, pos) = Math.DivRem(file, dirFiles);
        var (dirInAg, ag) = Math.DivRem(dir, agCount);
        return (ag, checked(dirInAg * dirFiles + pos));
    }

    int FileOf(int ag, int local)
    {
        var (dir, pos) = Math.DivRem(local, dirFiles);
        return checked((dir * agCount + ag) * dirFiles + pos);
    }

    public void Tag(int file)
    {
        var (ag, local) = Place(file);
        tags[ag].Set(local);
    }

    public void Untag(int file)
    {
        var (ag, local) = Place(file);
        tags[ag].Clear(local);
    }

    /// <summary>
    /// Walks up to <paramref name="nrToScan"/> reclaimable inodes, freeing each through
    /// <paramref name="free"/>; <paramref name="pinned"/> says which need a log force first, and
    /// <paramref name="flushLocked"/> which xfs_reclaim_inode_grab passes over (SYNC_TRYLOCK skips an
    /// inode whose flush lock is held); those count against the scan as the batch lookup's do.
    /// With the scenario's xfs-reclaim-ag-batch, as 3.13 does: every AG with reclaimable inodes gets at
    /// least one lookup batch, and the scan is charged a whole batch at a time.
    /// Returns the inodes freed. When the caller had to sleep, <see cref="Scheduler.CurrentBlocked"/> is set.
    /// </summary>
    public long Walk(long nrToScan, Func<int, bool> pinned, Func<int, bool> flushLocked, Action<int> free, Cil cil)
    {
        var me = k.Scheduler.Current;
        var walker = new Walker(this, pinned, flushLocked, free, cil) { NrToScan = nrToScan };
        bool trylock = true;
        while (true)
        {
            int skipped = 0;
            // xfs_perag_get_tag visits every AG whose inodes carry the reclaim tag, whatever is left of
            // the scan; the model without the switch stops once the scan is spent.
            for (int ag = 0; ag < agCount && (agBatch || walker.NrToScan > 0); ag++)
            {
                if (agBatch && tags[ag].Count == 0)
                    continue;
                if (holder[ag] is { } other && other != me)
                {
                    if (trylock)
                    {
                        skipped++;
                        continue;
                    }
                    // mutex_lock: sleep until the holder lets go.
                    if (me is not null && !lockWaiters.Contains(me))
                        lockWaiters.Add(me);
                    k.Scheduler.BlockCurrent(XfsWaitChannels.ReclaimInodesAg);
                    return walker.Freed;
                }
                holder[ag] = me;
                int local = trylock ? cursor[ag] : 0;
                var end = agBatch ? walker.InBatches(ag, ref local) : walker.OneByOne(ag, ref local);
                if (end == AgWalkEnd.Asleep)
                    return walker.Freed;
                if (trylock)
                    cursor[ag] = end == AgWalkEnd.Done ? 0 : local;
                Release(ag);
            }
            if (skipped == 0 || walker.NrToScan <= 0 || !trylock)
                return walker.Freed;
            trylock = false; // SYNC_WAIT: go round again, waiting for the AGs that were busy
        }
    }

    enum AgWalkEnd
    {
        /// <summary>No tagged inode is left after the cursor: it goes back to the AG's start.</summary>
        Done,
        /// <summary>The scan is spent; the cursor stays where the walk stopped.</summary>
        ScanSpent,
        /// <summary>Asleep on a log force, holding the AG's lock (see <see cref="LogForced"/>).</summary>
        Asleep,
    }

    /// <summary>One call's walk through the AGs: what is left of its scan and what it freed.</summary>
    sealed class Walker(InodeReclaim r, Func<int, bool> pinned, Func<int, bool> flushLocked, Action<int> free, Cil cil)
    {
        /// <summary>XFS_LOOKUP_BATCH: radix_tree_gang_lookup_tag's batch.</summary>
        const int LookupBatch = 32;

        public long NrToScan;
        public long Freed;

        /// <summary>The model's walk without the switch: one inode at a time, each charged to the scan.</summary>
        public AgWalkEnd OneByOne(int ag, ref int local)
        {
            while (NrToScan > 0)
            {
                int next = r.tags[ag].FindNext(local);
                if (next < 0)
                    return AgWalkEnd.Done;
                if (!Reclaim(ag, next))
                    return AgWalkEnd.Asleep;
                NrToScan--;
                local = next + 1;
            }
            return AgWalkEnd.ScanSpent;
        }

        /// <summary>
        /// xfs_reclaim_inodes_ag's do-while for one AG: a lookup of up to 32 tagged inodes, each
        /// reclaimed, then 32 off the scan, while the lookup found any and scan is left. The first
        /// batch runs even when nothing is left of the scan.
        /// </summary>
        public AgWalkEnd InBatches(int ag, ref int local)
        {
            do
            {
                int found = 0;
                for (; found < LookupBatch; found++)
                {
                    int next = r.tags[ag].FindNext(local);
                    if (next < 0)
                        break;
                    if (!Reclaim(ag, next))
                        return AgWalkEnd.Asleep;
                    local = next + 1;
                }
                if (found == 0)
                    return AgWalkEnd.Done;
                NrToScan -= LookupBatch;
            } while (NrToScan > 0);
            return AgWalkEnd.ScanSpent;
        }

        /// <summary>
        /// xfs_reclaim_inode_grab and xfs_reclaim_inode for one tagged inode: a flush-locked one is
        /// passed over, a pinned one waits for the log first. False when the walker went to sleep on
        /// that log force; the AG's cursor then points at the inode, where the walk resumes.
        /// </summary>
        bool Reclaim(int ag, int local)
        {
            int file = r.FileOf(ag, local);
            if (flushLocked(file))
                return true;
            if (pinned(file) && !cil.ForceOrSleep(XfsWaitChannels.LogForceLsn))
            {
                r.cursor[ag] = local;
                r.forceSleepers.Add(ag);
                return false;
            }
            free(file);
            Freed++;
            return true;
        }
    }

    void Release(int ag)
    {
        holder[ag] = null;
        foreach (var t in lockWaiters)
            k.Scheduler.Wake(t);
        lockWaiters.Clear();
    }

    /// <summary>The CIL was pushed: walkers asleep on the log force wake (the push wakes them) and their AGs' locks are free again.</summary>
    public void LogForced()
    {
        foreach (var ag in forceSleepers)
            Release(ag);
        forceSleepers.Clear();
    }
}
