namespace Policyc.Compiler.Text;

/// <summary>
/// Paths as users typed them: relative to the working directory, '/' separators; a path outside
/// the working directory stays absolute. Names in angle brackets (<c>&lt;input&gt;</c>) are not paths.
/// </summary>
public static class Paths
{
    public static string Display(string path)
    {
        if (path.StartsWith('<'))
            return path;
        string relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.GetFullPath(path));
        bool outside = relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative);
        return (outside ? Path.GetFullPath(path) : relative).Replace('\\', '/');
    }
}
