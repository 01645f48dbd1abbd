using Policyc.Compiler.Testing;
using Policyc.Compiler.Text;
using Policyc.Runtime.Scenarios;

namespace Policyc.Compiler.Sweeping;

/// <summary>
/// One cell of a sweep: one independent run. <see cref="Id"/> is stable (policy file name, scenario,
/// seed), so a cell's result means the same in any shard, on any machine, in any order of execution.
/// </summary>
public sealed record SweepCell(int Index, string Id, string PolicyPath, string Scenario, ulong Seed);

/// <summary><c>--shard I/N</c>: the I-th of N slices, 1-based; cells are dealt round-robin so slices take about equal time.</summary>
public readonly record struct Shard(int Index, int Count)
{
    public static readonly Shard All = new(1, 1);

    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out int i) && int.TryParse(parts[1], out int n) && n >= 1 && i >= 1 && i <= n)
            return new Shard(i, n);
        throw new SweepException($"--shard {text}: expected I/N with 1 <= I <= N, e.g. 1/4");
    }

    public bool Contains(SweepCell cell) => cell.Index % Count == Index - 1;

    public override string ToString() => $"{Index}/{Count}";
}

/// <summary>Expands a <see cref="SweepSpec"/> into its cells, in a fixed order: policies, then scenarios, then seeds.</summary>
public static class SweepPlan
{
    public static IReadOnlyList<SweepCell> Cells(SweepSpec spec)
    {
        var policies = spec.Policies.SelectMany(Expand).Distinct().ToArray();
        if (policies.Length == 0)
            throw new SweepException("the sweep has no policy to run");
        var cells = new List<SweepCell>();
        foreach (var policy in policies)
            foreach (var scenario in spec.Scenarios)
                foreach (var seed in spec.Seeds)
                    cells.Add(new SweepCell(cells.Count, $"{PolicyId(policy)}:{ScenarioId(scenario)}:{seed}", policy, scenario, seed));
        var duplicate = cells.GroupBy(c => c.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new SweepException($"two cells would share the id '{duplicate.Key}' ({string.Join(", ", duplicate.Select(c => c.PolicyPath).Distinct())}): rename one policy file");
        return cells;
    }

    /// <summary>A directory stands for the policies in it (not their tests), in ordinal order.</summary>
    static IEnumerable<string> Expand(string path)
    {
        if (Directory.Exists(path))
        {
            string[] files;
            try
            {
                files = Directory.GetFiles(path, "*.rpol");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SweepException($"{path}: cannot read the directory: {FileErrors.Reason(e)}");
            }
            return files
                .Where(f => !TestDiscovery.IsTestFile(f))
                .Order(StringComparer.Ordinal)
                .Select(f => f.Replace('\\', '/'));
        }
        if (!File.Exists(path))
            throw new SweepException($"{path}: no such policy file or directory");
        return [path.Replace('\\', '/')];
    }

    static string PolicyId(string path) => Path.GetFileNameWithoutExtension(path);

    static string ScenarioId(string scenario) =>
        ScenarioReader.IsScenarioFile(scenario)
            ? Path.GetFileNameWithoutExtension(scenario) : scenario.ToLowerInvariant();
}
