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

    readonly long files, filesPerDir;
    /// <summary>The directory size as a divisor (<see cref="XfsMount.DirectoryDivisor"/>) and its chunks.</summary>
    readonly int dirFiles, chunksPerDir;
    /// <summary>Per chunk: its inodes unlinked so far, and the checkpoint of the last unlink.</summary>
    readonly int[] unlinked, checkpoint;

    public InodeChunks(long files, long filesPerDir)
    {
        this.files = files;
        this.filesPerDir = filesPerDir;
        dirFiles = XfsMount.DirectoryDivisor(filesPerDir);
        long chunksPerDirectory = (filesPerDir + InodesPerChunk - 1) / InodesPerChunk;
        int chunks = checked((int)((files / filesPerDir + 1) * chunksPerDirectory));
        chunksPerDir = (int)Math.Min(chunksPerDirectory, int.MaxValue); // only ever multiplied by 0 when clamped
        unlinked = new int[chunks];
        checkpoint = new int[chunks];
    }

    /// <summary>The file's chunk, and the number of inodes in it (a directory's last chunk may be partly used).</summary>
    (int Chunk, int Size) ChunkOf(int file)
    {
        var (dir, pos) = Math.DivRem(file, dirFiles);
        int inChunk = pos % InodesPerChunk;
        long dirStart = (long)dir * dirFiles;
        long chunkStart = file - inChunk;
        int size = (int)(Math.Min(Math.Min(dirStart + filesPerDir, files), chunkStart + InodesPerChunk) - chunkStart);
        return (dir * chunksPerDir + pos / InodesPerChunk, size);
    }

    /// <summary>The file's inode was unlinked (and freed in the inode btree) in checkpoint <paramref name="sequence"/>.</summary>
    public void Unlinked(int file, int sequence)
    {
        int chunk = ChunkOf(file).Chunk;
        unlinked[chunk]++;
        checkpoint[chunk] = sequence;
    }

    /// <summary>The checkpoint that freed the file's chunk, or null while some of its inodes are in use.</summary>
    public int? FreedIn(int file)
    {
        var (chunk, size) = ChunkOf(file);
        return unlinked[chunk] == size ? checkpoint[chunk] : null;
    }
}
