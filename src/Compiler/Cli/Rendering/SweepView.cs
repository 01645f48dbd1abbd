using System.Globalization;
using Policyc.Compiler.Sweeping;

namespace Policyc.Cli.Rendering;

/// <summary>The sweep summary: a row per policy and scenario, verdicts counted and metrics as mean ± sd over seeds.</summary>
public static class SweepView
{
    public static string Render(IReadOnlyList<SweepSummaryRow> rows)
    {
        var table = new List<string[]> { new[] { "policy", "scenario", "seeds", "verdicts", "files/s", "completed at (s)", "livelock onset (s)", "free in livelock (%)" } };
        foreach (var r in rows)
            table.Add([
                r.Policy,
                r.Scenario,
                r.Seeds.ToString(CultureInfo.InvariantCulture),
                string.Join(", ", r.Verdicts.Select(v => $"{v.Verdict} {v.Count}")),
                r.FilesPerSecond?.Format("0") ?? "-",
                Partial(r.CompletedS, r.Seeds),
                Partial(r.LivelockOnsetS, r.Seeds),
                Partial(r.LivelockFreePercent, r.Seeds),
            ]);
        return TextColumns.Layout(table, leftAligned: 4);
    }

    /// <summary>A metric only some seeds produced says over how many: "41.2 ± 3.0 (2 of 3)".</summary>
    static string Partial(Spread? spread, int seeds) => spread switch
    {
        null => "-",
        { } s when s.N < seeds => $"{s.Format("0.0")} ({s.N} of {seeds})",
        { } s => s.Format("0.0"),
    };
}
