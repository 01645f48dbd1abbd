using System.Globalization;
using Policyc.Compiler.Reproduction;
using Policyc.Runtime.Fs.Xfs;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>
/// <c>--explain</c>'s first answer to "why is it stuck": the request that loops through the livelock;
/// each way out of the loop and the rule that closed it (no compaction because of this rule, shrinker
/// work deferred because of that one); the rules the kernel asked on its behalf in the order it first
/// asked them, each with its answers in the window and where it is written; then what kswapd did
/// meanwhile and the rules it last acted on.
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
        bool ByStuck(DecisionTrace.Asker a) => a == found.Asker;
        var asked = trace.Tallies
            .Select(t => (Tally: t, Answers: t.Between(from, to, ByStuck)))
            .Where(r => r.Answers.Count > 0)
            .OrderBy(r => r.Tally.FirstCall(ByStuck))
            .ToList();
        var (skipped, shrunk) = SeedBounds.ZoneVisits(during);
        AddWhyItLoops(lines, trace, from, to, asked, during, (skipped, shrunk));
        AddWhereTheCpuGoes(lines, asked, during);
        lines.Add(new Text("The rules the kernel asked on its behalf, in the order it first asked them:\n",
            Style.Parse(PlainTable.ReferenceStyle)));
        int siteWidth = asked.Max(r => r.Tally.KernelSite.Length) + 2;
        foreach (var (tally, answers) in asked)
            AddRule(lines, tally, Said(tally, answers, withShares: true) + $"  ({Calls(answers.Sum(a => a.Calls))} calls)", siteWidth);

        // What the rules led to, in the kernel's own counts over the report's window.
        if (during.Vmstat.GetValueOrDefault("compact_stall") is > 0 and long stalls)
            lines.Add(new Text($"\nDirect compaction in the window: {Calls(stalls)} attempts (compact_stall), " +
                $"{Calls(during.Vmstat.GetValueOrDefault("compact_success"))} of them got their page (compact_success)."));
        if (skipped + shrunk > 0)
            lines.Add(new Text($"\nDirect reclaim's zone visits in the window: {Calls(skipped)} skipped the zone as ready for compaction, {Calls(shrunk)} shrank it."));

        AddKswapd(lines, trace, during.Kswapd, start, from, to);
        return new Rows(lines);
    }

    /// <summary>
    /// The ways out of the slow path's loop, in the order the kernel tries them, each with the answer
    /// that closes it: a rule answering so for the stuck request is one reason it loops.
    /// </summary>
    static readonly (Func<string, bool> Hook, string Answer, string Step)[] WaysOut =
    [
        (h => h == "gfp.may_compact", "false", "no direct compaction"),
        (h => h == "gfp.may_reclaim", "false", "no direct reclaim"),
        (h => h == "reclaim.skip_compaction_ready_zone", "true", "direct reclaim skips a zone ready for compaction"),
        (h => h.StartsWith("shrinker ", StringComparison.Ordinal) && h.EndsWith(".action", StringComparison.Ordinal), "defer", "the shrinker defers its work"),
        (h => h == "gfp.should_retry", "false", "the page allocator gives up after one pass"),
        (h => h == "xfs.kmem_fallback_order0", "false", "kmem_alloc loops instead of falling back to order-0 pages"),
    ];

    /// <summary>
    /// "Why it loops": for each way out that a rule closed for the stuck request in the window, the
    /// step, the rule's answer with its share of the calls, and where the rule is written; then kswapd.
    /// </summary>
    static void AddWhyItLoops(List<IRenderable> lines, DecisionTrace trace, double from, double to,
        List<(DecisionTrace.Tally Tally, IReadOnlyList<(long Answer, long Calls)> Answers)> asked, Snapshot during,
        (long Skipped, long Shrunk) zoneVisits)
    {
        var rows = RulesAnswering(asked, WaysOut)
            .Select(r => (Step: r.Hook == "reclaim.skip_compaction_ready_zone" ? r.Step + ZoneVisits(zoneVisits) : r.Step, r.Rule, r.Where))
            .ToList();
        // Compaction that a rule allowed can still fail: then the mechanism closed that way out, not a rule.
        if (!rows.Any(r => r.Step == WaysOut[0].Step)
            && during.Vmstat.GetValueOrDefault("compact_stall") is > 0 and long stalls
            && during.Vmstat.GetValueOrDefault("compact_success") is var successes && successes < stalls)
            rows.Insert(0, ("direct compaction finds no page", $"{Calls(stalls - successes)} of {Calls(stalls)} attempts (compact_fail; no rule decides it)", ""));
        // kswapd, the other way out: it reclaims with GFP_KERNEL and would take the deferred work.
        var kswapd = during.Kswapd;
        string? note = null;
        if (kswapd.SlabObjectsFreed == 0)
        {
            const string step = "kswapd takes none of the deferred slab work";
            var balanced = trace.Tallies.FirstOrDefault(t => t.Hook == "kswapd.zone_balanced");
            string? balancedRule = balanced is null ? null : Closing(balanced, balanced.Between(from, to, a => a.IsKswapd), "true");
            // Whichever kept it away most of the window: a shrinker's wait, its balance rule, or sleep.
            if (kswapd.DStatePercent >= 50 || (balancedRule is null && kswapd.DStatePercent > kswapd.AsleepPercent))
            {
                var dState = DStateCause(kswapd, trace, from, to);
                rows.Add((step, dState.Rule, dState.Where));
                note = dState.Note;
            }
            else if (balancedRule is not null)
                rows.Add((step, balancedRule, ExplainView.Where(balanced!.Origin)));
            else
                rows.Add((step, $"asleep {Percent(kswapd.AsleepPercent)} of the window", ""));
        }
        if (rows.Count > 0)
            AddSteps(lines, "Why it loops: each way out of the slow path, and what closed it:", rows);
        if (note is not null)
            lines.Add(new Text(note + "\n"));
    }

    /// <summary>
    /// Where kswapd's D state was spent, and the rule behind it when there is one. Asleep on XFS's log
    /// force, kswapd waits for the CIL push, and the push for the commits that hold xc_ctx_lock while
    /// they allocate their log vectors: <c>xfs.lv_alloc_outside_cil_lock = false</c>, answered in the
    /// window or, for commits that have looped since before it, last before it. The note says so in
    /// words, under the steps.
    /// </summary>
    static (string Rule, string Where, string? Note) DStateCause(KswapdReport kswapd, DecisionTrace trace, double from, double to)
    {
        string dState = $"in D state {Percent(kswapd.DStatePercent)} of the window";
        if (kswapd.DStateWaitChannels is not [var longest, ..])
            return (dState + ", waiting in a shrinker (no rule decides it)", "", null);
        dState += $" in {longest.WaitChannel}";
        if (longest.WaitChannel is XfsWaitChannels.LogForceLsn or XfsWaitChannels.LogForce
            && trace.Tallies.FirstOrDefault(t => t.Hook == "xfs.lv_alloc_outside_cil_lock") is { } cilLock
            && (cilLock.Between(from, to) is { Count: > 0 } inWindow ? inWindow : cilLock.LastBefore(from, 0)?.Answers) is { } answers
            && Closing(cilLock, answers, "false") is { } rule)
            return (rule, ExplainView.Where(cilLock.Origin),
                $"  kswapd is {dState}: its inode reclaim forces the log, the CIL push waits for xc_ctx_lock, and the looping\n" +
                "  commits hold that lock while they allocate their log vectors, as the rule above has them do.");
        return (dState + " (no rule decides it)", "", null);
    }

    /// <summary>A heading, then one indented line a step: what happened, the rule (or mechanism) behind it, and where the rule is written.</summary>
    static void AddSteps(List<IRenderable> lines, string heading, List<(string Step, string Rule, string Where)> rows)
    {
        lines.Add(new Text(heading + "\n", Style.Parse(PlainTable.ReferenceStyle)));
        int stepWidth = rows.Max(r => r.Step.Length) + 2, ruleWidth = rows.Where(r => r.Where != "").Select(r => r.Rule.Length + 2).DefaultIfEmpty(0).Max();
        foreach (var (step, rule, where) in rows)
            lines.Add(new Text(("  " + step.PadRight(stepWidth) + (where == "" ? rule : rule.PadRight(ruleWidth) + where)).TrimEnd()));
        lines.Add(new Text(""));
    }

    /// <summary>The swap rules that make scan_swap_map expensive, each with the answer that does it.</summary>
    static readonly (Func<string, bool> Hook, string Answer, string Step)[] SwapScanCosts =
    [
        (h => h == "swap.skip_lowest_bit", "true", "the wrap-around scan skips the slot at lowest_bit"),
        (h => h == "swap.scan_full_device", "true", "a device with no free slot is scanned anyway"),
    ];

    /// <summary>
    /// The report's burn, when the window has it: scan_swap_map's share of the CPU, how its calls
    /// fared, and the swap rules answered for the stuck request that make a call walk the whole map.
    /// </summary>
    static void AddWhereTheCpuGoes(List<IRenderable> lines,
        List<(DecisionTrace.Tally Tally, IReadOnlyList<(long Answer, long Calls)> Answers)> asked, Snapshot during)
    {
        double share = during.Profile.FirstOrDefault(p => p.Symbol == "scan_swap_map")?.Percent ?? 0;
        if (share < 1 || during.Swap is not { ScanCalls: > 0 } swap)
            return;
        var rows = RulesAnswering(asked, SwapScanCosts).Select(r => (r.Step, r.Rule, r.Where)).ToList();
        if (rows.Count == 0)
            rows.Add(("no swap rule makes the scan longer", "", ""));
        AddSteps(lines, $"Where the CPU goes: scan_swap_map takes {Percent(share)} of it; {Calls(swap.ScanFailures)} of its " +
            $"{Calls(swap.ScanCalls)} calls find no slot, {Calls(swap.EntriesWalked / swap.ScanCalls)} swap_map entries a call:", rows);
    }

    /// <summary>
    /// How many of direct reclaim's zone visits it skipped: the rule is asked only for a zone ready for
    /// compaction, so its share alone does not say whether other zones were shrunk meanwhile.
    /// </summary>
    static string ZoneVisits((long Skipped, long Shrunk) visits) =>
        $" ({Calls(visits.Skipped)} of {Calls(visits.Skipped + visits.Shrunk)} zone visits)";

    /// <summary>
    /// For each entry of a table of (rule, answer, step), in the table's order, the rules asked for the
    /// stuck request that gave that answer: the step, "hook = answer share", and where the rule is written.
    /// </summary>
    static IEnumerable<(string Hook, string Step, string Rule, string Where)> RulesAnswering(
        List<(DecisionTrace.Tally Tally, IReadOnlyList<(long Answer, long Calls)> Answers)> asked,
        (Func<string, bool> Hook, string Answer, string Step)[] table)
    {
        foreach (var (hook, answer, step) in table)
            foreach (var (tally, answers) in asked.Where(r => hook(r.Tally.Hook)))
                if (Closing(tally, answers, answer) is { } rule)
                    yield return (tally.Hook, step, rule, ExplainView.Where(tally.Origin));
    }

    /// <summary>"hook = answer share" for the calls a rule answered <paramref name="closed"/>, or null if it never did.</summary>
    static string? Closing(DecisionTrace.Tally tally, IReadOnlyList<(long Answer, long Calls)> answers, string closed)
    {
        long closing = answers.Where(a => DecisionsView.Answer(tally.Type, a.Answer) == closed).Sum(a => a.Calls);
        return closing == 0 ? null : $"{tally.Hook} = {closed} {DecisionsView.Share(closing, answers.Sum(a => a.Calls))}";
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
        string where = kswapd.DStateWaitChannels is [var longest, ..] ? $" (in {longest.WaitChannel})" : "";
        lines.Add(new Text($"\nkswapd meanwhile: asleep {Percent(kswapd.AsleepPercent)}, in D state {Percent(kswapd.DStatePercent)} of the window{where}; " +
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

    static string Percent(double p) => p.ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
