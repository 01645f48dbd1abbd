using Policyc.Runtime;
using Policyc.Runtime.Reporting;
using Spectre.Console;

namespace Policyc.Cli.Rendering;

/// <summary>
/// Shows how far each simulation has got, on stderr. On a terminal: a live Spectre.Console bar per run
/// (virtual time simulated, files removed, phase). When stderr is redirected: one plain line per run at
/// every tenth of its virtual duration, so a log shows progress without flooding.
/// </summary>
public static class ProgressDisplay
{
    /// <summary>Where one simulation reports its progress, and then its outcome.</summary>
    public interface ISink : IProgress<RunProgress>
    {
        /// <summary>The run ended (completed, livelocked to the end, OOM, interrupted): show how.</summary>
        void Finished(RunReport report);
    }

    /// <summary>Runs <paramref name="work"/> with one progress sink per label, in label order.</summary>
    public static T Run<T>(IReadOnlyList<string> labels, Func<IReadOnlyList<ISink>, T> work)
    {
        if (Console.IsErrorRedirected)
        {
            var gate = new object();
            return work(labels.Select(label => (ISink)new PlainLines(label, gate)).ToList());
        }

        var console = Consoles.Stderr();
        return console.Progress()
            .AutoClear(true)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 24 }, new PercentageColumn(),
                new SimulationColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var sinks = labels.Select(label => (ISink)new LiveBar(label, context.AddTask(Markup.Escape(label), maxValue: 1))).ToList();
                return work(sinks);
            });
    }

    static string Describe(string label, RunProgress p) =>
        $"{label}: {Units.Seconds(p.SimulatedS)} of {Units.Seconds(p.DurationS)} simulated, " +
        $"{Units.Count(p.FilesRemoved)}/{Units.Count(p.FilesTotal)} files removed ({p.Phase})";

    /// <summary>
    /// The run's last line on stderr. A livelock that ended is said with its span, so that a run which
    /// then removed every file does not read as stuck at its end.
    /// </summary>
    static string Outcome(string label, RunReport r)
    {
        string verdict = r.Livelock is { Detected: true, OnsetS: { } onset }
            ? $"livelock from {Units.Seconds(onset)}" +
              (r.Livelock.RecoveredS is { } end ? $" to {Units.Seconds(end)} ({r.Livelock.EndedBy ?? "?"})" : "")
            : r.SetupUnfinished is { } phase ? $"{r.Verdict} in set-up ({phase}, {Units.Count(r.Progress.FilesCreated)} files created)"
            : r.Verdict;
        string stopped = r.SetupUnfinished is null
            ? $"stopped at {Units.Seconds(r.SimulatedSeconds)} simulated"
            : $"stopped {Units.Seconds(r.End.ToS)} after boot";
        return $"{label}: {verdict}; {stopped} with " +
            $"{Units.Count(r.Progress.FilesRemoved)}/{Units.Count(r.Progress.FilesTotal)} files removed, {Units.Duration(r.WallSeconds)} of wall time";
    }

    static double Fraction(RunProgress p) => p.DurationS <= 0 ? 0 : Math.Clamp(p.SimulatedS / p.DurationS, 0, 1);

    // Reports arrive on the simulation's thread; they are applied directly (System.Progress<T> would queue them).
    sealed class LiveBar(string label, ProgressTask task) : ISink
    {
        public void Finished(RunReport report)
        {
            task.Description = Markup.Escape($"{label} ({report.Verdict})");
            task.StopTask();
        }

        public void Report(RunProgress value)
        {
            task.Description = Markup.Escape($"{label} ({value.Phase})");
            task.State.Update<RunProgress>(SimulationColumn.Key, _ => value);
            task.Value = Fraction(value);
        }
    }

    /// <summary>Virtual seconds simulated and files removed, kept short so the bar keeps its width on 80 columns.</summary>
    sealed class SimulationColumn : ProgressColumn
    {
        public const string Key = "simulation";

        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            var p = task.State.Get<RunProgress>(Key);
            return new Text(FormattableString.Invariant($"{p.SimulatedS:0}/{p.DurationS:0} s, {Units.Count(p.FilesRemoved)}/{Units.Count(p.FilesTotal)} files"),
                Style.Parse("grey"));
        }
    }

    sealed class PlainLines(string label, object gate) : ISink
    {
        int printedTenths = -1;

        public void Report(RunProgress value)
        {
            var tenths = (int)Math.Floor(Fraction(value) * 10);
            if (tenths <= printedTenths)
                return;
            printedTenths = tenths;
            Print(Describe(label, value));
        }

        public void Finished(RunReport report) => Print(Outcome(label, report));

        void Print(string line)
        {
            lock (gate)
                Console.Error.WriteLine(line);
        }
    }
}
