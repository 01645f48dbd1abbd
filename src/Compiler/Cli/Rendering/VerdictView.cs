using Policyc.Compiler.Reproduction;
using Policyc.Runtime.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>The verdict of a run and the times that define it: onset, recovery, and what ended the livelock.</summary>
public static class VerdictView
{
    public static string ColourOf(string verdict) => verdict switch
    {
        "completed" => "green",
        "timeout" or "interrupted" => "yellow",
        _ => "red",
    };

    public static IRenderable Render(RunReport report)
    {
        var lines = new List<IRenderable>
        {
            new Markup($"verdict  [bold {ColourOf(report.Verdict)}]{Markup.Escape(report.Verdict)}[/]"),
        };
        var livelock = report.Livelock;
        if (livelock.Detected && livelock.OnsetS is { } onset)
        {
            lines.Add(new Text($"  onset      {Units.Seconds(onset)}  (no file removed for {Units.Duration(livelock.WindowS)} from here on while rm was runnable)"));
            lines.Add(new Text(livelock.RecoveredS is { } recovered
                ? $"  recovered  {Units.Seconds(recovered)}  after {Units.Duration(recovered - onset)}, {EndedBy(livelock.EndedBy)}"
                : $"  lasted     to the end of the run at {Units.Seconds(report.SimulatedSeconds)} ({Units.Duration(report.SimulatedSeconds - onset)})"));
        }
        else if (report.SetupUnfinished is { } phase)
        {
            // The livelock detector watches the rm only; a set-up that stalls (fs_mark's own commits
            // can loop in kmem_alloc) must not read as a quiet run.
            lines.Add(new Text($"  the rm never started: set-up was still in its {phase} phase when the run stopped " +
                $"({Units.Integer(report.Progress.FilesCreated)} of {Units.Integer(report.Progress.FilesTotal)} files created)"));
        }
        else
        {
            lines.Add(new Text($"  no livelock (no window of {Units.Duration(livelock.WindowS)} without progress)"));
        }
        if (SeedReport.AppliesTo(report))
            lines.Add(new Text($"  report     {SeedReport.Livelock}", Style.Parse(PlainTable.ReferenceStyle)));
        if (report.PolicyError is { } error)
            lines.Add(new Text($"  policy error at {Units.Seconds(error.AtS)}: {error.File}({error.Line},{error.Column}): rule {error.Rule}: {error.Message}",
                Style.Parse("red")));
        return new Rows(lines);
    }

    /// <summary>What ended a livelock, as a sentence: the operator's event or OOM kill, or nothing outside it.</summary>
    static string EndedBy(string? cause) => cause switch
    {
        null => "ended by an unknown cause",
        "spontaneous" => "ended by itself (no operator event or OOM kill in between)",
        _ => $"ended by {cause}",
    };
}
