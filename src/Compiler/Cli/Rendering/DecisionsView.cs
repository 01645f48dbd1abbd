using System.Globalization;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>
/// <c>--explain</c>: what each rule answered while the machine was stuck (the livelock window, or the
/// whole workload when there was none), with the rule that gave the answer and where it is written.
/// This is the "why": no compaction because gfp.may_compact said false in every call, at this line.
/// </summary>
public static class DecisionsView
{
    public static IRenderable Render(DecisionTrace trace, RunReport report)
    {
        double start = report.WorkloadStartS ?? 0;
        string title = LivelockWindow(report) is var (onset, end)
            ? $"Decisions during the livelock ({Seconds(onset)} to {Seconds(end)})"
            : $"Decisions during the workload (0 s to {Seconds(report.SimulatedSeconds)})";

        var (countFrom, countTo) = CountedSeconds(report);
        var rows = trace.Tallies
            .Select(t => (Tally: t, Answers: t.Between(countFrom, countTo)))
            .Where(r => r.Answers.Count > 0)
            .ToList();
        var lines = new List<IRenderable> { PlainTable.Heading(title) };
        if (rows.Count == 0)
        {
            lines.Add(new Text("(no rule was asked in this window)\n"));
            return new Rows(lines);
        }
        lines.Add(new Text("Each rule's answers in this window, with the share of its calls; the rule and where it is written below.\n",
            Style.Parse(PlainTable.ReferenceStyle)));
        int width = rows.Max(r => r.Tally.Hook.Length) + 2;
        foreach (var (tally, answers) in rows)
        {
            long calls = answers.Sum(a => a.Calls);
            string said = string.Join(", ", answers.Select(a =>
                $"{Answer(tally.Type, a.Answer)} {Share(a.Calls, calls)}"));
            lines.Add(new Text($"{tally.Hook.PadRight(width)}{said}  ({calls.ToString("N0", CultureInfo.InvariantCulture)} calls)  {ExplainView.Where(tally.Origin)}"));
            lines.Add(new Text("    " + ExplainView.RuleText(tally.Origin), Style.Parse(PlainTable.ReferenceStyle)));
        }
        AddAskedBefore(lines, trace, start, countFrom, countTo, width);
        return new Rows(lines);
    }

    /// <summary>
    /// Rules asked during the workload before the window and not in it. A task stuck through the
    /// window acts on what it was told before: kswapd asleep in D state, or a commit that took a
    /// lock when it began.
    /// </summary>
    static void AddAskedBefore(List<IRenderable> lines, DecisionTrace trace, double start, double fromS, double toS, int width)
    {
        var before = trace.Tallies
            .Where(t => t.Between(fromS, toS).Count == 0)
            .Select(t => (Tally: t, Last: t.LastBefore(fromS, sinceS: start)))
            .Where(r => r.Last is not null)
            .ToList();
        if (before.Count == 0)
            return;
        lines.Add(new Text("\nAsked before this window and not in it: the last answers, which a task stuck through the window may still act on.\n",
            Style.Parse(PlainTable.ReferenceStyle)));
        width = Math.Max(width, before.Max(r => r.Tally.Hook.Length) + 2);
        foreach (var (tally, last) in before)
        {
            var (second, answers) = last!.Value;
            string said = string.Join(", ", answers.Select(a => Answer(tally.Type, a.Answer)));
            lines.Add(new Text($"{tally.Hook.PadRight(width)}{said}  (last asked in the second from {Seconds(Math.Max(0, second - start))})  {ExplainView.Where(tally.Origin)}"));
            lines.Add(new Text("    " + ExplainView.RuleText(tally.Origin), Style.Parse(PlainTable.ReferenceStyle)));
        }
    }

    /// <summary>The livelock's window in seconds of the workload (onset to recovery, or to the end), if there was one.</summary>
    internal static (double FromS, double ToS)? LivelockWindow(RunReport report) =>
        report.Livelock is { Detected: true, OnsetS: double onset }
            ? (onset, report.Livelock.RecoveredS ?? report.SimulatedSeconds)
            : null;

    /// <summary>
    /// The seconds since boot whose answers count: the whole seconds inside the livelock (the second of
    /// the onset and the second of the recovery also hold answers given while the machine still
    /// moved), or the whole workload when there was no livelock.
    /// </summary>
    internal static (double FromS, double ToS) CountedSeconds(RunReport report)
    {
        double start = report.WorkloadStartS ?? 0;
        return LivelockWindow(report) is var (onset, end)
            ? (Math.Ceiling(start + onset), Math.Floor(start + end))
            : (start, start + report.SimulatedSeconds);
    }

    // A share that rounds to zero is still an answer the rule gave: say so rather than print 0%.
    internal static string Share(long part, long whole)
    {
        double percent = 100.0 * part / whole;
        return percent < 0.05 ? "<0.1%" : percent.ToString("0.#", CultureInfo.InvariantCulture) + "%";
    }

    internal static string Seconds(double s) => s.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    internal static string Answer(PolicyType type, long value) => type switch
    {
        PolicyType.Bool => value != 0 ? "true" : "false",
        PolicyType.ShrinkAction => ((ShrinkAction)value).ToString().ToLowerInvariant(),
        PolicyType.Duration => (value / 1e6).ToString("0.###", CultureInfo.InvariantCulture) + "ms",
        PolicyType.Pages => value.ToString(CultureInfo.InvariantCulture) + " pages",
        PolicyType.Bytes => value.ToString(CultureInfo.InvariantCulture) + " bytes",
        PolicyType.Percent => value.ToString(CultureInfo.InvariantCulture) + "%",
        PolicyType.Gfp => GfpMasks.Format((Gfp)value),
        _ => value.ToString(CultureInfo.InvariantCulture),
    };
}
