namespace Policyc.Cli.Output;

/// <summary>
/// Checks an output path before any work starts, so that a run or a sweep of minutes is not lost to a
/// path that could never be written: a file's directory must exist and take a new file, and the path
/// must not name a directory, nor a file the command reads or any policy. Failures are one-line
/// <see cref="CliException"/>s naming the flag.
/// </summary>
public static class OutputPath
{
    /// <summary>
    /// A file the command will write (<c>--json</c>, <c>--plot</c>, <c>--out FILE</c>, <c>--db</c>).
    /// <paramref name="inputs"/> are the files it reads (its policies, scenario file, sweep file):
    /// <c>run p.rpol --json p.rpol</c> would have replaced the policy with the report.
    /// </summary>
    public static void CheckFile(string flag, string path, IEnumerable<string>? inputs = null)
    {
        if (path.Length == 0)
            throw CliException.Usage($"{flag}: '' is no file name");
        // Only --json streams to standard output; elsewhere '-' would quietly become a file named '-'.
        if (path == ReportFiles.StandardOutput)
            throw CliException.Usage($"{flag} {path}: this flag needs a file name; only --json writes to standard output");
        // Checked now, not when the report is written at the end of a run: NAME_MAX on Linux.
        if (System.Text.Encoding.UTF8.GetByteCount(Path.GetFileName(path)) > MaxNameBytes)
            throw new CliException($"{flag} {path}: the file name is longer than {MaxNameBytes} bytes");
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(directory))
            throw new CliException($"{flag} {path}: directory '{directory}' does not exist");
        if (Directory.Exists(path))
            throw new CliException($"{flag} {path}: is a directory");
        if ((inputs ?? []).Any(input => SameFile(input, path)))
            throw CliException.Usage($"{flag} {path}: this command reads that file; write its output elsewhere");
        if (File.Exists(path) && path.EndsWith(".rpol", StringComparison.OrdinalIgnoreCase))
            throw CliException.Usage($"{flag} {path}: is a policy; write the output elsewhere");
        // A device or a pipe (--json /dev/null) is written into, not replaced: its directory need not take new files.
        if (FileKind.IsSpecial(path))
            return;
        if (AtomicFile.CannotCreateIn(directory) is { } reason)
            throw new CliException($"{flag} {path}: cannot write in '{directory}': {reason}");
    }

    const int MaxNameBytes = 255;

    /// <summary>Whether two paths name one file, through symbolic links.</summary>
    static bool SameFile(string a, string b) =>
        File.Exists(a) && File.Exists(b) && string.Equals(Target(a), Target(b), StringComparison.Ordinal);

    /// <summary>The file a path names once symbolic links are followed.</summary>
    static string Target(string path) => AtomicFile.FollowLink(Path.GetFullPath(path));

    /// <summary>
    /// Whether two output paths would write one file (through symbolic links, existing or not). A
    /// device or a pipe is written into, not replaced, so two outputs may share one (/dev/null).
    /// </summary>
    public static bool SameTarget(string a, string b)
    {
        string target = Target(a);
        return string.Equals(target, Target(b), StringComparison.Ordinal) && !FileKind.IsSpecial(target);
    }

    /// <summary>A directory the command writes files into (<c>--emit-cs DIR</c>, <c>--out DIR</c>), created if missing.</summary>
    public static void EnsureDirectory(string flag, string directory)
    {
        if (directory.Length == 0)
            throw CliException.Usage($"{flag}: '' is no directory name");
        if (directory == ReportFiles.StandardOutput)
            throw CliException.Usage($"{flag} {directory}: this flag needs a directory name");
        if (File.Exists(directory))
            throw new CliException($"{flag} {directory}: is a file, not a directory");
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{flag} {directory}: cannot create the directory: {e.Message}");
        }
        if (AtomicFile.CannotCreateIn(Path.GetFullPath(directory)) is { } reason)
            throw new CliException($"{flag} {directory}: cannot write in it: {reason}");
    }
}
