using Policyc.Runtime.Reporting;
using ScottPlot;

namespace Policyc.Cli.Plotting;

/// <summary>
/// Several policies on one scenario: free memory (solid, left axis) and share of files removed (dashed,
/// right axis) of every run on one time axis, one colour per policy. The legend names each policy
/// once, by its colour, and the axis labels say which line style is which: ten policies with two
/// legend entries each would not fit below the plot.
/// </summary>
public static class ComparePlot
{
    const double KbPerGiB = 1024 * 1024;
    /// <summary>Longest "A vs B vs …" title that fits the plot's width; longer ones just count the policies.</summary>
    const int MaxNamesInTitle = 90;

    public static Plot Create(IReadOnlyList<RunReport> reports)
    {
        var plot = new Plot();
        var axis = TimeAxis.For(reports.Max(r => r.SimulatedSeconds));
        var palette = new ScottPlot.Palettes.Category10();

        for (int i = 0; i < reports.Count; i++)
        {
            var report = reports[i];
            var colour = palette.GetColor(i);
            double[] time = report.Series.Select(p => axis.Scale(p.TimeS)).ToArray();

            var free = plot.Add.ScatterLine(time, report.Series.Select(p => p.FreeKb / KbPerGiB).ToArray());
            free.LegendText = $"{report.Policy} ({report.Verdict})";
            free.Color = colour;
            free.LineWidth = 2;

            var total = Math.Max(1, report.Progress.FilesTotal);
            var progress = plot.Add.ScatterLine(time, report.Series.Select(p => 100.0 * p.FilesRemoved / total).ToArray());
            progress.Color = colour;
            progress.LinePattern = LinePattern.Dashed;
            progress.LineWidth = 1.5f;
            progress.Axes.YAxis = plot.Axes.Right;
        }

        plot.Title($"{Names(reports)} on {reports[0].Scenario} (seed {reports[0].Seed})");
        plot.XLabel(axis.Label);
        plot.YLabel("free memory (GiB), solid");
        plot.Axes.Right.Label.Text = "files removed (%), dashed";
        var maxFreeKb = reports.SelectMany(r => r.Series).Select(p => p.FreeKb).DefaultIfEmpty(0).Max();
        plot.Axes.SetLimitsX(0, Math.Max(axis.Scale(reports.Max(r => r.SimulatedSeconds)), 1e-3));
        plot.Axes.SetLimitsY(0, Math.Max(0.1, maxFreeKb / KbPerGiB * 1.1));
        plot.Axes.SetLimitsY(0, 105, plot.Axes.Right);
        plot.ShowLegend(Edge.Bottom);   // outside the data: with several policies an inside legend hides lines
        return plot;
    }

    static string Names(IReadOnlyList<RunReport> reports)
    {
        var names = string.Join(" vs ", reports.Select(r => r.Policy));
        return names.Length <= MaxNamesInTitle ? names : $"{reports.Count} policies";
    }
}
