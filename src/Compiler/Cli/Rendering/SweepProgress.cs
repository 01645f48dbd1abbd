using Policyc.Compiler.Sweeping;
using Spectre.Console;

namespace Policyc.Cli.Rendering;

/// <summary>
/// Progress of a sweep on stderr: one Spectre.Console bar of cells done on a terminal; when stderr is
/// redirected (a batch job's log), one line per finished cell.
/// </summary>
public static class SweepProgress
{
    public static T Run<T>(IReadOnlyList<SweepCell> cells, Func<Action<SweepRow>, T> work)
    {
        int done = 0;
        if (Console.IsErrorRedirected)
        {
            return work(row =>
            {
                int n = Interlocked.Increment(ref done);
                Console.Error.WriteLine($"[{n}/{cells.Count}] {row.Id}: {row.Verdict}, {row.FilesRemoved}/{row.FilesTotal} files removed{(row.SetupUnfinished is { } phase ? $" (set-up unfinished: {phase})" : "")}");
            });
        }
        return Consoles.Stderr().Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 30 }, new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask($"sweep: 0/{cells.Count} cells", maxValue: Math.Max(1, cells.Count));
                return work(row =>
                {
                    int n = Interlocked.Increment(ref done);
                    task.Description = Markup.Escape($"sweep: {n}/{cells.Count} cells, last {row.Id} ({row.Verdict})");
                    task.Increment(1);
                });
            });
    }
}
