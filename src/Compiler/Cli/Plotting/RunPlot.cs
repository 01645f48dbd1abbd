using Policyc.Runtime.Reporting;
using ScottPlot;

namespace Policyc.Cli.Plotting;

/// <summary>
/// One run over virtual time: free memory, slab and swap used (GiB, left axis) and files removed (right
/// axis), with the livelock window shaded and operator events (drop_caches) marked.
/// </summary>
public static class RunPlot
{
    const double KbPerGiB = 1024 * 1024;

    public static Plot Create(RunReport report)
    {
        var plot = new Plot();
        var axis = TimeAxis.For(report.SimulatedSeconds);
        var series = report.Series;
        double[] time = series.Select(p => axis.Scale(p.TimeS)).ToArray();

        if (report.Livelock is { Detected: true, OnsetS: { } onset })
        {
            var end = report.Livelock.RecoveredS ?? report.SimulatedSeconds;
            var span = plot.Add.HorizontalSpan(axis.Scale(onset), axis.Scale(end));
            span.FillStyle.Color = Colors.Red.WithAlpha(0.12);
            span.LineStyle.Width = 0;
            span.LegendText = "livelock";
        }

        Line(plot, time, series.Select(p => p.FreeKb / KbPerGiB), "free", Colors.SteelBlue);
        Line(plot, time, series.Select(p => p.SlabKb / KbPerGiB), "slab", Colors.DarkOrange);
        Line(plot, time, series.Select(p => p.SwapUsedKb / KbPerGiB), "swap used", Colors.Purple);
        var removed = Line(plot, time, series.Select(p => p.FilesRemoved / 1e6), "files removed (M, right axis)", Colors.Green);
        removed.LinePattern = LinePattern.Dashed;
        removed.Axes.YAxis = plot.Axes.Right;

        foreach (var e in report.Events)
        {
            if (MarkerLabel(e) is not { } label)
                continue;
            var marker = plot.Add.VerticalLine(axis.Scale(e.AtS));
            marker.Color = Colors.Black.WithAlpha(0.6);
            marker.LinePattern = LinePattern.Dotted;
            marker.Text = label;
            marker.LabelOppositeAxis = true;
        }

        plot.Title($"{report.Policy} on {report.Scenario} (seed {report.Seed}): {report.Verdict}");
        plot.XLabel(axis.Label);
        plot.YLabel("GiB");
        plot.Axes.Right.Label.Text = "files removed (millions)";
        plot.Axes.SetLimitsX(0, Math.Max(axis.Scale(report.SimulatedSeconds), 1e-3));
        plot.Axes.SetLimitsY(0, Math.Max(0.1, series.Count == 0 ? 1 : series.Max(p => Math.Max(p.FreeKb, Math.Max(p.SlabKb, p.SwapUsedKb))) / KbPerGiB * 1.1));
        plot.Axes.SetLimitsY(0, Math.Max(0.001, report.Progress.FilesTotal / 1e6 * 1.05), plot.Axes.Right);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    /// <summary>
    /// Events that change the machine from outside get a marker: the operator's drop_caches ("drop_caches 2:
    /// … freed" is labelled "drop_caches 2") and OOM kills. Set-up steps, the workload's start and end and
    /// notes are in the text report; marking them would only clutter the plot.
    /// </summary>
    static string? MarkerLabel(TimelineEvent e) => e.Kind switch
    {
        "operator" => e.Detail.Split(':')[0],
        "oom" => "OOM kill",
        _ => null,
    };

    static ScottPlot.Plottables.Scatter Line(Plot plot, double[] xs, IEnumerable<double> ys, string label, Color colour)
    {
        var line = plot.Add.ScatterLine(xs, ys.ToArray());
        line.LegendText = label;
        line.Color = colour;
        line.LineWidth = 2;
        return line;
    }
}
