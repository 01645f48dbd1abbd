namespace Policyc.Cli.Output;

/// <summary>
/// Checks an output path before any work starts, so that a run or a sweep of minutes is not lost to a
/// path that could never be written: a file's directory must exist and take a new file, and the path
/// must not name a directory. Failures are one-line <see cref="CliException"/>s naming the flag.
/// </summary>
public static class OutputPath
{
    /// <summary>A file the command will write (<c>--json</c>, <c>--plot</c>, <c>--out FILE</c>, <c>--db</c>).</summary>
    public static void CheckFile(string flag, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(directory))
            throw new CliException($"{flag} {path}: directory '{directory}' does not exist");
        if (Directory.Exists(path))
            throw new CliException($"{flag} {path}: is a directory");
        if (AtomicFile.CannotCreateIn(directory) is { } reason)
            throw new CliException($"{flag} {path}: cannot write in '{directory}': {reason}");
    }

    /// <summary>A directory the command writes files into (<c>--emit-cs DIR</c>, <c>--out DIR</c>), created if missing.</summary>
    public static void EnsureDirectory(string flag, string directory)
    {
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
