using Policyc.Runtime.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>
/// XFS's inode cluster buffers (scenario xfs-buffer-cache), one line under `free`: their pages are
/// part of `used`, and the buftarg shrinker, which frees clean ones without __GFP_FS, is the one XFS
/// cache NOFS reclaim can shrink. The pages it frees come back as holes between slab pages.
/// </summary>
public static class XfsBufView
{
    public static IRenderable Render(XfsBufReport buffers) => new Text(
        $"xfs_buf: {Units.Integer(buffers.Buffers)} inode cluster buffers ({Units.Integer(buffers.SizeKb)}K), "
        + $"{Units.Integer(buffers.HeldByLog)} held by the log, {Units.Integer(buffers.OnLru)} on the LRU; "
        + $"{Units.Integer(buffers.Freed)} freed by the buftarg shrinker in the window\n");
}
