namespace Policyc.Runtime.Fs.Xfs;

/// <summary>
/// The tree's inode chunks (XFS_INODES_PER_CHUNK = 64 neighbouring inodes, allocated and freed
/// together) and when each was freed: freeing a chunk's last inode frees the chunk (xfs_difree),
/// and xfs_ifree_cluster marks every cached inode of it XFS_ISTALE. A directory's files are created
/// one after another, so their inodes fill chunks of their own; a directory's last chunk may be
/// partly used. Kept only with the scenario's xfs-stale-inodes.
/// </summary>
internal sealed class InodeChunks
{
    public const int InodesPerChunk = 64;

    readonly long files, filesPerDir, chunksPerDir;
    /// <summary>Per chunk: its inodes unlinked so far, and the checkpoint of the last unlink.</summary>
    readonly int[] unlinked, checkpoint;

    public InodeChunks(long files, long filesPerDir)
    {
        this.files = files;
        this.filesPerDir = filesPerDir;
        chunksPerDir = (filesPerDir + InodesPerChunk - 1) / InodesPerChunk;
        int chunks = checked((int)((files / filesPerDir + 1) * chunksPerDir));
        unlinked = new int[chunks];
        checkpoint = new int[chunks];
    }

    int ChunkOf(int file) => (int)(file / filesPerDir * chunksPerDir + file % filesPerDir / InodesPerChunk);

    int ChunkSize(int file)
    {
        long dirStart = file / filesPerDir * filesPerDir;
        long chunkStart = dirStart + (file - dirStart) / InodesPerChunk * InodesPerChunk;
        return (int)(Math.Min(Math.Min(dirStart + filesPerDir, files), chunkStart + InodesPerChunk) - chunkStart);
    }

    /// <summary>The file's inode was unlinked (and freed in the inode btree) in checkpoint <paramref name="sequence"/>.</summary>
    public void Unlinked(int file, int sequence)
    {
        int chunk = ChunkOf(file);
        unlinked[chunk]++;
        checkpoint[chunk] = sequence;
    }

    /// <summary>The checkpoint that freed the file's chunk, or null while some of its inodes are in use.</summary>
    public int? FreedIn(int file)
    {
        int chunk = ChunkOf(file);
        return unlinked[chunk] == ChunkSize(file) ? checkpoint[chunk] : null;
    }
}
