using Policyc.Compiler.Reproduction;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>The reproduction's bounds, one a row, with the run's figure and whether it holds.</summary>
public static class SeedBoundsView
{
    public static IRenderable Render(IReadOnlyList<BoundCheck> checks)
    {
        var table = PlainTable.Create(("BOUND", Justify.Left), ("SIMULATED", Justify.Left), ("MET", Justify.Left));
        foreach (var check in checks)
            table.AddRow(check.Met ? null : "red", check.Bound, check.Simulated, check.Met ? "yes" : "no");
        var lines = new List<IRenderable> { table, new Text($"{Met(checks)} bounds met") };
        foreach (var check in checks.Where(c => c.Why is not null))
            lines.Add(new Text($"  {check.Bound}: missed because {check.Why}", Style.Parse(PlainTable.ReferenceStyle)));
        lines.Add(new Text(""));
        return new Rows(lines);
    }

    /// <summary>"11 of 12": how many of the bounds hold.</summary>
    public static string Met(IReadOnlyList<BoundCheck> checks) => Met(checks.Count(c => c.Met));

    /// <summary>"11 of 12", from the count alone (a sweep row keeps only that).</summary>
    public static string Met(int met) => $"{met} of {SeedBounds.Count}";
}
