using System.Text.RegularExpressions;
using Policyc.EndToEnd.Tests.Fixtures;

namespace Policyc.EndToEnd.Tests.Commands;

public class ExplainTests
{
    // One run serves every test of 3.13 on small: they read different parts of the same output.
    static readonly Lazy<PolicycResult> SmallRun = new(() =>
        PolicycProcess.Run("run", "policies/linux-3.13.rpol", "--scenario", "small", "--explain"));

    // The decisions that make the 3.13 livelock, as --explain must show them on the small scenario:
    // the NOFS caller may not compact, the superblock shrinker defers, kswapd finds the zone balanced.
    [Fact]
    public void Explain_shows_which_rule_decided_what_during_the_livelock()
    {
        var result = SmallRun.Value;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Decisions during the livelock (", result.Stdout);
        AssertDecision(result.Stdout, "gfp.may_compact", "false 100%", "linux-3.13.rpol(11,5)");
        AssertDecision(result.Stdout, "shrinker \"sb-*\".action", "defer 100%", "linux-3.13.rpol(");
        AssertDecision(result.Stdout, "kswapd.shrink_slab_when_balanced", "false 100%", "linux-3.13.rpol(");
        // The static list of every rule still follows.
        Assert.Contains("── Rules of linux-3.13 ──", result.Stdout);
    }

    // A task stuck through the window acts on what it was told before it: the rules asked during the
    // workload but not in the window are listed apart, with their last answers and when.
    [Fact]
    public void Explain_lists_the_rules_asked_before_the_livelock_and_not_in_it()
    {
        var result = SmallRun.Value;

        Assert.True(result.ExitCode == 0, result.ToString());
        var section = Section(result.Stdout, "Asked before this window and not in it", "── Rules of linux-3.13 ──");
        var shrinkSlab = section.FirstOrDefault(l => l.StartsWith("kswapd.shrink_slab ", StringComparison.Ordinal));
        Assert.True(shrinkSlab is not null, string.Join('\n', section));
        Assert.Matches(@"true  \(last asked in the second from \d+(\.\d)? s\)  linux-3\.13\.rpol\(53,5\)", shrinkSlab);
        // A rule the stuck allocation asks all through the window is not in this list.
        Assert.DoesNotContain(section, l => l.StartsWith("gfp.may_compact ", StringComparison.Ordinal));
    }

    // The stuck allocation first: the request that loops, and the rules asked for it in the order the
    // slow path asks them, apart from kswapd's own, which are listed after kswapd's state.
    [Fact]
    public void Explain_follows_the_stuck_allocation_through_the_slow_path()
    {
        var result = SmallRun.Value;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(Section(result.Stdout, "── The stuck allocation (", "Why it loops:"),
            l => Regex.IsMatch(l, @"^GFP_NOFS\|__GFP_NOWARN\|__GFP_ZERO \(0x8250\): [\d,]+ trips through __alloc_pages_slowpath"));
        var forRequest = Section(result.Stdout, "The rules the kernel asked on its behalf", "kswapd meanwhile:");
        var forKswapd = Section(result.Stdout, "kswapd meanwhile:", "── Decisions during the livelock (");

        int Row(string hook) => Array.FindIndex(forRequest, l => l.Contains(" " + hook + " = ", StringComparison.Ordinal));
        Assert.Contains("gfp.may_compact = false 100%", forRequest[Row("gfp.may_compact")]);
        Assert.Contains("shrinker \"sb-*\".action = defer 100%", forRequest[Row("shrinker \"sb-*\".action")]);
        Assert.StartsWith("try_to_compact_pages ", forRequest[Row("gfp.may_compact")]);
        // In the slow path's order: compaction, then reclaim and its shrinkers, then the retry decision, then kmem_alloc's loop.
        Assert.True(Row("gfp.wake_kswapd") < Row("gfp.may_compact"));
        Assert.True(Row("gfp.may_compact") < Row("shrinker \"sb-*\".action"));
        Assert.True(Row("shrinker \"sb-*\".action") < Row("gfp.should_retry"));
        Assert.True(Row("gfp.should_retry") < Row("xfs.kmem_retry_wait"));
        // kswapd's questions are not the request's.
        Assert.Equal(-1, Row("kswapd.sleep"));
        Assert.Equal(-1, Row("kswapd.zone_balanced"));
        Assert.Contains(forKswapd, l => l.Contains(" kswapd.zone_balanced = true 100%", StringComparison.Ordinal));
    }

    // Before the rules one by one, the answer to "why": each way out of the loop and the rule (or
    // mechanism) that closed it, in the slow path's order, kswapd last.
    [Fact]
    public void Explain_says_which_rule_closed_each_way_out_of_the_loop()
    {
        var result = SmallRun.Value;

        Assert.True(result.ExitCode == 0, result.ToString());
        var why = Section(result.Stdout, "Why it loops:", "The rules the kernel asked on its behalf");
        int Step(string step) => Array.FindIndex(why, l => l.StartsWith("  " + step + " ", StringComparison.Ordinal));
        string[] steps =
        [
            "no direct compaction", "direct reclaim skips a zone ready for compaction", "the shrinker defers its work",
            "the page allocator gives up after one pass", "kmem_alloc loops instead of falling back to order-0 pages",
            "kswapd takes none of the deferred slab work",
        ];
        Assert.All(steps, step => Assert.True(Step(step) >= 0, $"no '{step}' in:\n{string.Join('\n', why)}"));
        Assert.Equal(steps.OrderBy(Step), steps);
        Assert.Matches(@"gfp\.may_compact = false 100%\s+linux-3\.13\.rpol\(11,5\) in linux-3\.13$", why[Step("no direct compaction")]);
        Assert.Matches(@"shrinker ""sb-\*""\.action = defer 100%\s+linux-3\.13\.rpol\(43,5\)", why[Step("the shrinker defers its work")]);
        // The rule is asked only for a zone ready for compaction, so the line says how many visits that was.
        Assert.Matches(@"^  direct reclaim skips a zone ready for compaction \([\d,]+ of [\d,]+ zone visits\)\s+reclaim\.skip_compaction_ready_zone = true 100%",
            why[Step("direct reclaim skips a zone ready for compaction")]);
        // On small kswapd is awake and finds the node balanced: that rule is the reason.
        Assert.Matches(@"kswapd\.zone_balanced = true 100%\s+linux-3\.13\.rpol\(51,5\)", why[Step("kswapd takes none of the deferred slab work")]);
    }

    // A rule that opens a way out takes it off the list; if the way out still fails, the mechanism says so.
    [Fact]
    public void Explain_names_failed_compaction_instead_of_a_rule_when_the_policy_lets_the_request_compact()
    {
        var result = PolicycProcess.Run("run", "policies/fix-nofs-compaction.rpol", "--scenario", "small", "--explain");

        Assert.True(result.ExitCode == 0, result.ToString());
        var why = Section(result.Stdout, "Why it loops:", "The rules the kernel asked on its behalf");
        Assert.DoesNotContain(why, l => l.StartsWith("  no direct compaction", StringComparison.Ordinal));
        Assert.Contains(why, l => Regex.IsMatch(l, @"^  direct compaction finds no page\s+[\d,]+ of [\d,]+ attempts \(compact_fail; no rule decides it\)$"));
    }

    // The report's burn, where a run has it: the register dump's four nodes with swap readahead and
    // swap-ins (docs/reproducing-the-seed.md, "Under 3.13's wake-up test"). Explain says where the CPU
    // goes and which swap rule makes each scan walk the whole map; the lowest_bit fix takes that rule away.
    [Fact]
    public void Explain_names_the_swap_rule_behind_the_burn_and_the_fix_takes_it_away()
    {
        string[] Run(string policy)
        {
            var result = PolicycProcess.Run("run", policy, "--scenario", "examples/scenarios/seed-4nodes-readahead.toml",
                "--seed", "1", "--duration", "400s", "--explain");  // the file keeps the swap device the docs measured this draw on
            Assert.True(result.ExitCode == 0, result.ToString());
            return Section(result.Stdout, "── The stuck allocation (", "The rules the kernel asked on its behalf");
        }

        var burn = Run("policies/linux-3.13.rpol");
        Assert.Contains(burn, l => Regex.IsMatch(l, @"^Where the CPU goes: scan_swap_map takes \d+(\.\d)?% of it; [\d,]+ of its [\d,]+ calls find no slot, [\d,]+ swap_map entries a call:$"));
        Assert.Contains(burn, l => Regex.IsMatch(l, @"^  the wrap-around scan skips the slot at lowest_bit\s+swap\.skip_lowest_bit = true 100%\s+linux-3\.13\.rpol\(61,5\) in linux-3\.13$"));

        var fixedRun = Run("policies/fix-swap-lowest-bit.rpol");
        Assert.DoesNotContain(fixedRun, l => l.Contains("swap.skip_lowest_bit = true", StringComparison.Ordinal));
    }

    // With XFS's log force modelled, kswapd sleeps in D state on it: the report says where (the wait
    // channel) and explain names the rule that keeps the CIL lock held, which b1c5ebb21301 changed.
    [Fact]
    public void Explain_names_the_cil_lock_rule_behind_kswapd_asleep_on_the_log_force()
    {
        var result = PolicycProcess.Run("run", "policies/linux-3.13.rpol", "--scenario", "small", "--set", "xfs-log-force=on", "--explain");

        Assert.True(result.ExitCode == 0, result.ToString());
        var during = Section(result.Stdout, "── During the livelock", "── At the end");
        Assert.Contains(during, l => l == "kswapd in D state in xfs_log_force_lsn 100.00% of the window: waiting for the CIL push, "
            + "which waits for xc_ctx_lock in write mode while commits hold it for read");
        var why = Section(result.Stdout, "Why it loops:", "The rules the kernel asked on its behalf");
        Assert.Contains(why, l => Regex.IsMatch(l, @"^  kswapd takes none of the deferred slab work\s+xfs\.lv_alloc_outside_cil_lock = false 100%\s+linux-3\.13\.rpol\(71,5\) in linux-3\.13$"));
        Assert.Contains(why, l => l.StartsWith("  kswapd is in D state 100% of the window in xfs_log_force_lsn: ", StringComparison.Ordinal));

        // Allocated outside the lock, the log force gets through and kswapd frees the slab.
        var fixedRun = PolicycProcess.Run("run", "policies/fix-xfs-cil-lock.rpol", "--scenario", "small", "--set", "xfs-log-force=on", "--explain");
        Assert.True(fixedRun.ExitCode == 0, fixedRun.ToString());
        Assert.DoesNotContain("in D state in xfs_log_force_lsn", fixedRun.Stdout);
    }

    // A rule's answer is not the whole story: the kernel's counts say what the answer led to.
    [Fact]
    public void Explain_says_what_direct_compaction_gave_when_the_policy_lets_the_stuck_request_compact()
    {
        var result = PolicycProcess.Run("run", "policies/fix-nofs-compaction.rpol", "--scenario", "small", "--explain");

        Assert.True(result.ExitCode == 0, result.ToString());
        var forRequest = Section(result.Stdout, "── The stuck allocation (", "kswapd meanwhile:");
        Assert.Contains(forRequest, l => l.StartsWith("try_to_compact_pages ", StringComparison.Ordinal)
            && l.Contains("gfp.may_compact = true 100%", StringComparison.Ordinal) && l.EndsWith("in fix-nofs-compaction", StringComparison.Ordinal));
        Assert.Contains(forRequest, l => Regex.IsMatch(l, @"^Direct compaction in the window: [\d,]+ attempts \(compact_stall\), [\d,]+ of them got their page"));
    }

    [Fact]
    public void A_run_without_a_livelock_has_no_stuck_allocation()
    {
        var result = PolicycProcess.Run("run", "policies/fix-kswapd-deferred.rpol", "--scenario", "small", "--explain");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("The stuck allocation", result.Stdout);
        Assert.Contains("── Decisions during the workload (", result.Stdout);
    }

    /// <summary>The lines from the one starting <paramref name="from"/> up to the one that starts <paramref name="to"/>, which must follow it.</summary>
    static string[] Section(string stdout, string from, string to)
    {
        int start = stdout.IndexOf(from, StringComparison.Ordinal);
        int end = start < 0 ? -1 : stdout.IndexOf(to, start, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"no section from '{from}' to '{to}' in:\n{stdout}");
        return stdout[start..end].Split('\n');
    }

    static void AssertDecision(string stdout, string hook, string answer, string origin)
    {
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith(hook + " ", StringComparison.Ordinal) && Regex.IsMatch(l, @"\(\d[\d,]* calls\)"));
        Assert.True(line is not null, $"no decision line for {hook} in:\n{stdout}");
        Assert.Contains(answer, line);
        Assert.Contains(origin, line);
    }
}
