using System.Globalization;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>
/// <c>--explain</c>'s first answer to "why is it stuck": the request that loops through the livelock,
/// the rules the kernel asked on its behalf in the order it first asked them (no compaction because
/// of this rule, shrinker work deferred because of that one), each with its answers in the window and
/// where it is written; then what kswapd did meanwhile and the rules it last acted on.
/// </summary>
public static class StuckAllocationView
{
    /// <summary>The view, or null when the run did not livelock.</summary>
    public static IRenderable? Render(DecisionTrace trace, RunReport report)
    {
        if (DecisionsView.LivelockWindow(report) is not var (onset, end) || report.DuringLivelock is not { } during)
            return null;
        double start = report.WorkloadStartS ?? 0;
        var (from, to) = DecisionsView.CountedSeconds(report);
        var lines = new List<IRenderable>
        {
            PlainTable.Heading($"The stuck allocation ({DecisionsView.Seconds(onset)} to {DecisionsView.Seconds(end)})"),
        };

        // The request that came back to should_alloc_retry most often in the window: once per trip
        // through the slow path that reclaim did not satisfy.
        var stuck = trace.Tallies.FirstOrDefault(t => t.Hook == "gfp.should_retry")?
            .AskersBetween(from, to)
            .Where(a => !a.Asker.IsKswapd)
            .OrderByDescending(a => a.Calls)
            .FirstOrDefault();
        if (stuck is not { Calls: > 0 } found)
        {
            lines.Add(new Text("(no allocation came back from reclaim unsatisfied in this window)\n"));
            return new Rows(lines);
        }

        lines.Add(new Text(Describe(found.Asker.Gfp, found.Calls, during)));
        lines.Add(new Text("The rules the kernel asked on its behalf, in the order it first asked them:\n",
            Style.Parse(PlainTable.ReferenceStyle)));
        bool ByStuck(DecisionTrace.Asker a) => a == found.Asker;
        var asked = trace.Tallies
            .Select(t => (Tally: t, Answers: t.Between(from, to, ByStuck)))
            .Where(r => r.Answers.Count > 0)
            .OrderBy(r => r.Tally.FirstCall(ByStuck))
            .ToList();
        int siteWidth = asked.Max(r => r.Tally.KernelSite.Length) + 2;
        foreach (var (tally, answers) in asked)
            AddRule(lines, tally, Said(tally, answers, withShares: true) + $"  ({Calls(answers.Sum(a => a.Calls))} calls)", siteWidth);

        // What the rules led to, in the kernel's own counts over the report's window.
        if (during.Vmstat.GetValueOrDefault("compact_stall") is > 0 and long stalls)
            lines.Add(new Text($"\nDirect compaction in the window: {Calls(stalls)} attempts (compact_stall), " +
                $"{Calls(during.Vmstat.GetValueOrDefault("compact_success"))} of them got their page (compact_success)."));
        long skipped = during.DirectReclaim.Sum(z => z.SkippedForCompaction), shrunk = during.DirectReclaim.Sum(z => z.Shrunk);
        if (skipped + shrunk > 0)
            lines.Add(new Text($"\nDirect reclaim's zone visits in the window: {Calls(skipped)} skipped the zone as ready for compaction, {Calls(shrunk)} shrank it."));

        AddKswapd(lines, trace, during.Kswapd, start, from, to);
        return new Rows(lines);
    }

    static string Describe(Gfp gfp, long trips, Snapshot during)
    {
        string failures = during.KmemAllocFailures.Count == 0 ? "" :
            "; kmem_alloc got NULL for " + string.Join(", ", during.KmemAllocFailures.Select(f => $"order-{f.Order} requests {Calls(f.Count)} times"));
        return $"{GfpMasks.Describe(gfp)}: {Calls(trips)} trips through __alloc_pages_slowpath that reclaim did not satisfy{failures}.\n";
    }

    /// <summary>kswapd's share of the window, and its rules: those it was asked in the window, or else the last it acted on before.</summary>
    static void AddKswapd(List<IRenderable> lines, DecisionTrace trace, KswapdReport kswapd, double start, double from, double to)
    {
        string Percent(double p) => p.ToString("0.#", CultureInfo.InvariantCulture) + "%";
        lines.Add(new Text($"\nkswapd meanwhile: asleep {Percent(kswapd.AsleepPercent)}, in D state {Percent(kswapd.DStatePercent)} of the window; " +
            $"{Calls(kswapd.Wakeups)} wakeups, {Calls(kswapd.SlabObjectsFreed)} slab objects freed.\n"));
        var rows = new List<(DecisionTrace.Tally Tally, string Said)>();
        static bool ByKswapd(DecisionTrace.Asker a) => a.IsKswapd;
        foreach (var tally in trace.Tallies.OrderBy(t => t.FirstCall(ByKswapd) ?? long.MaxValue))
        {
            if (tally.Between(from, to, ByKswapd) is { Count: > 0 } answers)
                rows.Add((tally, Said(tally, answers, withShares: true) + $"  ({Calls(answers.Sum(a => a.Calls))} calls)"));
            else if (tally.LastBefore(from, start, ByKswapd) is var (second, lastAnswers))
                rows.Add((tally, Said(tally, lastAnswers, withShares: false) + $"  (last asked in the second from {DecisionsView.Seconds(Math.Max(0, second - start))})"));
        }
        if (rows.Count == 0)
            return;
        lines.Add(new Text("The rules kswapd was asked in the window, or else the last answers it acted on before it:\n",
            Style.Parse(PlainTable.ReferenceStyle)));
        int siteWidth = rows.Max(r => r.Tally.KernelSite.Length) + 2;
        foreach (var (tally, said) in rows)
            AddRule(lines, tally, said, siteWidth);
    }

    static void AddRule(List<IRenderable> lines, DecisionTrace.Tally tally, string said, int siteWidth)
    {
        lines.Add(new Text($"{tally.KernelSite.PadRight(siteWidth)}{tally.Hook} = {said}  {ExplainView.Where(tally.Origin)}"));
        lines.Add(new Text("    " + ExplainView.RuleText(tally.Origin), Style.Parse(PlainTable.ReferenceStyle)));
    }

    static string Said(DecisionTrace.Tally tally, IReadOnlyList<(long Answer, long Calls)> answers, bool withShares)
    {
        long calls = answers.Sum(a => a.Calls);
        return string.Join(", ", answers.Select(a => DecisionsView.Answer(tally.Type, a.Answer)
            + (withShares ? " " + DecisionsView.Share(a.Calls, calls) : "")));
    }

    static string Calls(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
