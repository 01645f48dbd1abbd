using Policyc.Runtime.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>
/// XFS's buffer cache (scenarios xfs-buffer-cache and xfs-dir-buffers), one line under `free`: its
/// pages are part of `used`, and the buftarg shrinker, which frees clean buffers without __GFP_FS, is
/// the one XFS cache NOFS reclaim can shrink. The pages it frees come back as holes between slab pages.
/// </summary>
public static class XfsBufView
{
    public static IRenderable Render(XfsBufReport buffers)
    {
        string kinds = buffers.DirBlocks is not long dirBlocks
            ? $"{Units.Integer(buffers.Buffers)} inode cluster buffers"
            : dirBlocks == buffers.Buffers
                ? $"{Units.Integer(buffers.Buffers)} directory block buffers"
                : $"{Units.Integer(buffers.Buffers)} buffers, {Units.Integer(dirBlocks)} of them directory blocks";
        string stale = buffers.StaleFreed is long staleFreed ? $", {Units.Integer(staleFreed)} emptied directory blocks freed" : "";
        return new Text(
            $"xfs_buf: {kinds} ({Units.Integer(buffers.SizeKb)}K), "
            + $"{Units.Integer(buffers.HeldByLog)} held by the log, {Units.Integer(buffers.OnLru)} on the LRU; "
            + $"{Units.Integer(buffers.Freed)} freed by the buftarg shrinker{stale} in the window\n");
    }
}
