using System.Globalization;
using Policyc.Compiler.Testing;

namespace Policyc.Cli.Rendering;

/// <summary>The coverage table: one row per policy file, then what was never exercised.</summary>
public static class CoverageView
{
    public static string Render(IReadOnlyList<FileCoverage> files)
    {
        var sb = new System.Text.StringBuilder();
        int width = Math.Max(4, files.Select(f => f.File.Length).DefaultIfEmpty(0).Max());
        sb.AppendLine($"{"file".PadRight(width)}  {"rules",9}  {"branches",9}  {"cover",6}");
        foreach (var f in files)
            sb.AppendLine($"{f.File.PadRight(width)}  {$"{f.RulesCovered}/{f.Rules}",9}  {$"{f.BranchesCovered}/{f.Branches}",9}  {Percent([f]),6}");
        sb.AppendLine($"{"total".PadRight(width)}  {$"{files.Sum(f => f.RulesCovered)}/{files.Sum(f => f.Rules)}",9}  " +
                      $"{$"{files.Sum(f => f.BranchesCovered)}/{files.Sum(f => f.Branches)}",9}  {Percent(files),6}");
        var uncovered = files.SelectMany(f => f.Uncovered).ToArray();
        if (uncovered.Length > 0)
        {
            sb.AppendLine();
            sb.AppendLine("not exercised:");
            foreach (var line in uncovered)
                sb.AppendLine("  " + line);
        }
        return sb.ToString();
    }

    static string Percent(IEnumerable<FileCoverage> files) =>
        FileCoverage.Percent(files).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
