using Policyc.Runtime;
using Spectre.Console;

namespace Policyc.Cli.Rendering;

/// <summary>
/// Shows how far each simulation has got, on stderr. On a terminal: a live Spectre.Console bar per run
/// (virtual time simulated, files removed, phase). When stderr is redirected: one plain line per run at
/// every tenth of its virtual duration, so a log shows progress without flooding.
/// </summary>
public static class ProgressDisplay
{
    /// <summary>Runs <paramref name="work"/> with one progress sink per label, in label order.</summary>
    public static T Run<T>(IReadOnlyList<string> labels, Func<IReadOnlyList<IProgress<RunProgress>>, T> work)
    {
        if (Console.IsErrorRedirected)
        {
            var gate = new object();
            var sinks = labels.Select(label => new PlainLines(label, gate)).ToList();
            var result = work(sinks);
            foreach (var sink in sinks)
                sink.Finish();
            return result;
        }

        var console = Consoles.Stderr();
        return console.Progress()
            .AutoClear(true)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 24 }, new PercentageColumn(),
                new SimulationColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var sinks = labels.Select(label => (IProgress<RunProgress>)new LiveBar(label, context.AddTask(Markup.Escape(label), maxValue: 1))).ToList();
                return work(sinks);
            });
    }

    static string Describe(string label, RunProgress p) =>
        $"{label}: {Units.Seconds(p.SimulatedS)} of {Units.Seconds(p.DurationS)} simulated, " +
        $"{Units.Count(p.FilesRemoved)}/{Units.Count(p.FilesTotal)} files removed ({p.Phase})";

    static double Fraction(RunProgress p) => p.DurationS <= 0 ? 0 : Math.Clamp(p.SimulatedS / p.DurationS, 0, 1);

    // Reports arrive on the simulation's thread; they are applied directly (System.Progress<T> would queue them).
    sealed class LiveBar(string label, ProgressTask task) : IProgress<RunProgress>
    {
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

    sealed class PlainLines(string label, object gate) : IProgress<RunProgress>
    {
        int printedTenths = -1;
        RunProgress? last, printed;

        public void Report(RunProgress value)
        {
            last = value;
            var tenths = (int)Math.Floor(Fraction(value) * 10);
            if (tenths <= printedTenths)
                return;
            printedTenths = tenths;
            Print(value);
        }

        /// <summary>The state the run stopped in (it may end early: completed, OOM, interrupted).</summary>
        public void Finish()
        {
            if (last is { } value && value != printed)
                Print(value);
        }

        void Print(RunProgress value)
        {
            printed = value;
            lock (gate)
                Console.Error.WriteLine(Describe(label, value));
        }
    }
}
