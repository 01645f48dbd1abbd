using System.Globalization;
using System.Text;
using Policyc.Compiler.Diffing;
using Policyc.Runtime.Reporting;
using Policyc.Runtime.Scenarios;

namespace Policyc.Cli.Rendering;

/// <summary>
/// The text of <c>policyc diff</c>: rules as a reviewer reads a patch (- before, + after, each with
/// its file position), then decision differences per hook, largest change first.
/// </summary>
public static class DiffView
{
    public static string Render(PolicyDiffResult diff)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"policyc diff: {diff.Before} -> {diff.After}");
        if (diff.Identical)
        {
            sb.AppendLine("no rule is written differently; the two decide alike everywhere.");
            return sb.ToString();
        }
        sb.AppendLine();
        sb.AppendLine($"rules written differently ({diff.Rules.Count}):");
        foreach (var rule in diff.Rules)
        {
            sb.AppendLine($"  {rule.Rule}");
            sb.AppendLine("    - " + (rule.Before is { } b ? $"{b}: {OneLine(b.Text)}" : "(no such rule)"));
            sb.AppendLine("    + " + (rule.After is { } a ? $"{a}: {OneLine(a.Text)}" : "(no such rule)"));
        }
        sb.AppendLine();
        if (diff.Decisions.Count == 0)
        {
            sb.AppendLine($"decisions: the same on all {DecisionGrid.Summary}");
            return sb.ToString();
        }
        sb.AppendLine($"decisions that differ, over {DecisionGrid.Summary}:");
        foreach (var hook in diff.Decisions)
        {
            string also = hook.AlsoFor.Count == 0 ? "" : $" (the same for shrinkers matching {string.Join(", ", hook.AlsoFor.Select(p => $"\"{p}\""))})";
            sb.AppendLine($"  {hook.Hook}: {hook.Differing} of {diff.Inputs} inputs ({Percent(hook.Differing, diff.Inputs)}){also}");
            int width = hook.Changes.Max(c => $"{c.Before} -> {c.After}".Length);
            int countWidth = hook.Changes.Max(c => c.Count.ToString(CultureInfo.InvariantCulture).Length);
            foreach (var change in hook.Changes)
            {
                string where = change.Where.Count == 0 ? "everywhere" : string.Join("; ", change.Where.Select(w => $"{w.Dimension}: {w.Values}"));
                sb.AppendLine($"    {$"{change.Before} -> {change.After}".PadRight(width)}  {change.Count.ToString(CultureInfo.InvariantCulture).PadLeft(countWidth)}  {where}");
            }
        }
        return sb.ToString();
    }

    public static string RenderRuns(Scenario scenario, RunReport before, RunReport after, RunDivergence? divergence)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"behaviour on {scenario.Name}, seed {scenario.Seed}:");
        // What the scenario changes of its built-in, as run and compare print it: enough to run it again.
        if (Reporting.ScenarioSummary.Settings(scenario.Name, scenario.Base, scenario.Settings) is { } settings)
            sb.AppendLine($"  settings: {settings}");
        if (divergence is null)
            sb.AppendLine("  the runs never diverge: every sample of free, slab, swap, cache and progress is the same");
        else
        {
            sb.AppendLine($"  first divergence at t={divergence.AtS.ToString("0.###", CultureInfo.InvariantCulture)} s ({before.Policy} vs {after.Policy}):");
            foreach (var d in divergence.Differences)
                sb.AppendLine("    " + d);
        }
        sb.AppendLine();
        return sb.ToString();
    }

    static string OneLine(string text) => string.Join(" ", text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    static string Percent(int part, int whole) => (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
