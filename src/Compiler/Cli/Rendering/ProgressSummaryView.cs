using Policyc.Runtime.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>How far the rm -rf got, and the operator events on the timeline.</summary>
public static class ProgressSummaryView
{
    public static IRenderable Render(RunReport report)
    {
        var progress = report.Progress;
        var share = progress.FilesTotal == 0 ? 0 : 100.0 * progress.FilesRemoved / progress.FilesTotal;
        var lines = new List<IRenderable>
        {
            new Text($"files removed  {Units.Integer(progress.FilesRemoved)} of {Units.Integer(progress.FilesTotal)} ({Units.Share(share)}), " +
                     $"{Units.Rate(progress.FilesPerSecond)} over the run"),
            new Text(progress.CompletedS is { } done
                ? $"completed      at {Units.Seconds(done)}"
                : report.SetupUnfinished is { } phase
                    ? $"completed      no (stopped in the set-up's {phase} phase, {Units.Seconds(report.End.ToS)} after boot)"
                    : $"completed      no (stopped at {Units.Seconds(report.SimulatedSeconds)})"),
        };
        foreach (var e in report.Events.OrderBy(e => e.AtS))
            lines.Add(new Text($"event          {Units.Seconds(e.AtS),9}  {e.Kind}: {e.Detail}"));
        return new Rows(lines);
    }
}
