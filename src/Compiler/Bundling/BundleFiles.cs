using Policyc.Compiler.Binding;

namespace Policyc.Compiler.Bundling;

/// <summary>
/// Collects the files a bundle carries (the policy, every base it loads, a scenario file) and writes
/// them back out for a replay, in the same layout relative to the policy, so <c>extends</c> finds the
/// same bases.
/// </summary>
public static class BundleFiles
{
    /// <summary>The policy and the bases its compilation read, relative to the policy's directory.</summary>
    public static IReadOnlyList<BundleFile> Collect(string policyPath)
    {
        var compilation = PolicyCompilation.Load(policyPath);
        if (compilation.HoldsOnlyTests)
            throw new BundleException($"{policyPath}: holds tests, not a policy; bundle the policy they test");
        if (compilation.Policy is null)
            throw new BundleException($"{policyPath}: the policy has errors; fix them before bundling it");
        string root = Path.GetDirectoryName(Path.GetFullPath(policyPath)) ?? ".";
        return compilation.Sources
            .Select(s => new BundleFile(Relative(root, s.Path), s.Text))
            .ToArray();
    }

    public static string Relative(string root, string path) =>
        Path.GetRelativePath(root, Path.GetFullPath(path)).Replace('\\', '/');

    /// <summary>The most directory levels a bundled base may sit above the policy.</summary>
    public const int MaxLevelsUp = 32;

    /// <summary>
    /// Writes the files under a fresh directory and returns where the policy landed. A base above the
    /// policy's directory (<c>../base.rpol</c>) gets as many directory levels above it as it needs.
    /// </summary>
    public static string Unpack(Bundle bundle, string directory)
    {
        int depth = bundle.Files.Max(f => f.Path.Split('/').TakeWhile(p => p == "..").Count());
        // policyc bundle writes as many levels as the bases sit above the policy: a few, never hundreds.
        if (depth > MaxLevelsUp)
            throw new BundleException($"a bundled file sits {depth} directories above the policy; at most {MaxLevelsUp} are unpacked");
        string root = Path.Combine([directory, .. Enumerable.Repeat("p", depth)]);
        foreach (var file in bundle.Files)
        {
            if (Path.IsPathRooted(file.Path))
                throw new BundleException($"bundled file '{file.Path}' has an absolute path");
            if (file.Path.Length == 0 || file.Path.IndexOfAny(['\0', '\\']) >= 0 || file.Path.Split('/').Any(part => part is "" or "."))
                throw new BundleException($"bundled file '{Diagnostics.DiagnosticBag.Printable(file.Path)}' is not a relative path of the form dir/name.rpol");
            string target = Path.GetFullPath(Path.Combine(root, file.Path));
            // With the separator: a sibling directory whose name merely starts the same is outside.
            if (!target.StartsWith(Path.GetFullPath(directory) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new BundleException($"bundled file '{file.Path}' would be written outside the replay directory");
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllText(target, file.Text);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Two bundled paths that cannot both exist ("a" and "a/b.rpol"), or one that names a directory.
                throw new BundleException($"bundled file '{file.Path}' cannot be unpacked: {e.Message}");
            }
        }
        return Path.Combine(root, bundle.Policy);
    }
}
