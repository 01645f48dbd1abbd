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

    public InodeReclaim(Kernel k, long files)
    {
        this.k = k;
        agCount = Math.Max(1, k.Scenario.AgCount);
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
    /// Returns the inodes freed. When the caller had to sleep, <see cref="Scheduler.CurrentBlocked"/> is set.
    /// </summary>
    public long Walk(long nrToScan, Func<int, bool> pinned, Func<int, bool> flushLocked, Action<int> free, Cil cil)
    {
        var me = k.Scheduler.Current;
        long freed = 0;
        bool trylock = true;
        while (true)
        {
            int skipped = 0;
            for (int ag = 0; ag < agCount && nrToScan > 0; ag++)
            {
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
                    k.Scheduler.BlockCurrent();
                    return freed;
                }
                holder[ag] = me;
                int local = trylock ? cursor[ag] : 0;
                bool done = false;
                while (nrToScan > 0)
                {
                    int next = tags[ag].FindNext(local);
                    if (next < 0)
                    {
                        done = true;
                        break;
                    }
                    int file = FileOf(ag, next);
                    if (flushLocked(file))
                    {
                        nrToScan--;
                        local = next + 1;
                        continue;
                    }
                    if (pinned(file) && !cil.ForceOrSleep())
                    {
                        // Asleep in xfs_iunpin_wait holding the AG's lock; the walk resumes here.
                        cursor[ag] = next;
                        forceSleepers.Add(ag);
                        return freed;
                    }
                    free(file);
                    freed++;
                    nrToScan--;
                    local = next + 1;
                }
                if (trylock)
                    cursor[ag] = done ? 0 : local;
                Release(ag);
            }
            if (skipped == 0 || nrToScan <= 0 || !trylock)
                return freed;
            trylock = false; // SYNC_WAIT: go round again, waiting for the AGs that were busy
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
