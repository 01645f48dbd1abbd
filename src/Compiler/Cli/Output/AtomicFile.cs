using Policyc.Compiler.Text;

namespace Policyc.Cli.Output;

/// <summary>
/// Writes an output file (<c>--json</c>, <c>--plot</c>, a bundle, merged sweep rows, generated C#, a
/// formatted policy) so that readers only ever see the old file or the
/// complete new one: the bytes go to a temporary file in the same directory (same filesystem, so the
/// rename is atomic), are flushed to disk, and then renamed over the target. A crash, a full disk or
/// Ctrl-C in the middle leaves any previous file untouched. A file that is replaced keeps its
/// permissions, a symbolic link keeps pointing where it did (its target is written), and a file the
/// user may not write is refused rather than replaced through its directory.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var full = FollowLink(Path.GetFullPath(path));
        if (FileKind.IsSpecial(full))
        {
            WriteInto(path, full, write);
            return;
        }
        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
            throw new CliException($"{path}: directory '{directory}' does not exist");
        UnixFileMode? mode = File.Exists(full) ? ExistingMode(path, full) : null;

        var temp = TempPathIn(directory, Path.GetFileName(full));
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            if (mode is { } keep && !OperatingSystem.IsWindows())
                File.SetUnixFileMode(temp, keep);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            // The temporary name is ours, not the user's: name the file they asked for.
            throw new CliException($"{path}: cannot write: {e.Message.Replace(temp, full)}");
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// A device or a pipe (<c>--json /dev/null</c>) is written to as it is: there is nothing to keep
    /// whole, and a rename over it would replace the device node.
    /// </summary>
    static void WriteInto(string path, string full, Action<Stream> write)
    {
        try
        {
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            write(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: cannot write: {FileErrors.Reason(e)}");
        }
    }

    /// <summary>
    /// Why a file cannot be created in <paramref name="directory"/> (read-only, no permission, a
    /// pseudo-filesystem such as /proc), or null if it can. Checked before a run, so that a run of
    /// minutes is not lost to an output path that was never writable.
    /// </summary>
    public static string? CannotCreateIn(string directory)
    {
        var probe = TempPathIn(directory, "probe");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(probe);
            return e switch
            {
                UnauthorizedAccessException => "permission denied",
                FileNotFoundException or DirectoryNotFoundException => "the filesystem there does not allow creating files",
                _ => e.Message.Replace(probe, directory),
            };
        }
    }

    /// <summary>The file a symbolic link finally points to (the path itself when it is no link, or not there).</summary>
    internal static string FollowLink(string full)
    {
        try
        {
            return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        }
        catch (IOException)
        {
            return full;   // a missing directory or a pseudo-file: the write reports it
        }
    }

    /// <summary>
    /// The permissions of a file about to be replaced, after checking that the user may write it:
    /// renaming over a read-only file would succeed, since only the directory's permission counts.
    /// </summary>
    static UnixFileMode? ExistingMode(string path, string full)
    {
        try
        {
            using (new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite)) { }
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException($"{path}: cannot write: permission denied");
        }
        catch (IOException e)
        {
            throw new CliException($"{path}: cannot write: {e.Message}");
        }
        return OperatingSystem.IsWindows() ? null : File.GetUnixFileMode(full);
    }

    /// <summary>
    /// A fresh name beside the target. It keeps at most the first 100 bytes of the target's name, so
    /// that a name near the file system's 255-byte limit still leaves room for the rest.
    /// </summary>
    static string TempPathIn(string directory, string name) =>
        Path.Combine(directory, $".{Prefix(name, 100)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");

    static string Prefix(string name, int maxBytes)
    {
        int length = 0, bytes = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            bytes += rune.Utf8SequenceLength;
            if (bytes > maxBytes)
                break;
            length += rune.Utf16SequenceLength;
        }
        return name[..length];
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            writer.Write(text);
        });

    static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
