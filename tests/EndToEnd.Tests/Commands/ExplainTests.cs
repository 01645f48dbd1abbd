using System.Text.RegularExpressions;
using Policyc.EndToEnd.Tests.Fixtures;

namespace Policyc.EndToEnd.Tests.Commands;

public class ExplainTests
{
    // The decisions that make the 3.13 livelock, as --explain must show them on the small scenario:
    // the NOFS caller may not compact, the superblock shrinker defers, kswapd finds the zone balanced.
    [Fact]
    public void Explain_shows_which_rule_decided_what_during_the_livelock()
    {
        var result = PolicycProcess.Run("run", "policies/linux-3.13.rpol", "--scenario", "small", "--explain");

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
        var result = PolicycProcess.Run("run", "policies/linux-3.13.rpol", "--scenario", "small", "--explain");

        Assert.True(result.ExitCode == 0, result.ToString());
        string stdout = result.Stdout;
        int heading = stdout.IndexOf("Asked before this window and not in it", StringComparison.Ordinal);
        int rules = stdout.IndexOf("── Rules of linux-3.13 ──", StringComparison.Ordinal);
        Assert.True(heading > 0 && rules > heading, stdout);
        var section = stdout[heading..rules].Split('\n');
        var shrinkSlab = section.FirstOrDefault(l => l.StartsWith("kswapd.shrink_slab ", StringComparison.Ordinal));
        Assert.True(shrinkSlab is not null, stdout[heading..rules]);
        Assert.Matches(@"true  \(last asked in the second from \d+(\.\d)? s\)  linux-3\.13\.rpol\(52,5\)", shrinkSlab);
        // A rule the stuck allocation asks all through the window is not in this list.
        Assert.DoesNotContain(section, l => l.StartsWith("gfp.may_compact ", StringComparison.Ordinal));
    }

    static void AssertDecision(string stdout, string hook, string answer, string origin)
    {
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith(hook + " ", StringComparison.Ordinal) && Regex.IsMatch(l, @"\(\d[\d,]* calls\)"));
        Assert.True(line is not null, $"no decision line for {hook} in:\n{stdout}");
        Assert.Contains(answer, line);
        Assert.Contains(origin, line);
    }
}
