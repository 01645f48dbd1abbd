using Policyc.Compiler.Binding;
using Policyc.Compiler.Diffing;
using Policyc.Compiler.Tests.Support;

namespace Policyc.Compiler.Tests.Diffing;

public class PolicyDiffTests
{
    static BoundPolicy Load(string path) => PolicyCompilation.Load(path).Policy ?? throw new InvalidOperationException(path);

    static BoundPolicy Shipped(string file) => Load(Path.Combine(Repository.Policies, file));

    [Fact]
    public void Nofs_compaction_changes_may_compact_for_nofs_masks_above_order_0_only()
    {
        var diff = PolicyDiff.Compare(Shipped("linux-3.13.rpol"), Shipped("fix-nofs-compaction.rpol"));
        var rule = Assert.Single(diff.Rules);
        Assert.Equal("gfp.may_compact", rule.Rule);
        Assert.Equal(11, rule.Before!.Line);
        var hook = Assert.Single(diff.Decisions);
        Assert.Equal("gfp.may_compact", hook.Hook);
        var change = Assert.Single(hook.Changes);
        Assert.Equal(("false", "true"), (change.Before, change.After));
        // 2 NOFS masks x orders 1-10 x 6 zone states x 2 swap states x 2 deferred states
        Assert.Equal(2 * 10 * 6 * 2 * 2, change.Count);
        Assert.Equal([("gfp", "GFP_NOFS, GFP_NOFS|__GFP_NOFAIL"), ("order", "1-10")], change.Where);
    }

    [Fact]
    public void Shrinker_sections_go_from_the_most_specific_pattern_to_star_last()
    {
        // "??????" and "*" have no literal character; the one without '*' is the more specific.
        using var dir = new TempPolicies();
        var policy = Load(dir.Write("p.rpol",
            "policy p extends linux-3.13 {\n  shrinker \"??????\" { action = skip; }\n  shrinker \"xfs_buf\" { batch = 64; }\n}\n"));
        Assert.Equal(["xfs_buf", "sb-*", "??????", "*"], policy.ShrinkerPatterns);
    }

    [Fact]
    public void A_policy_does_not_differ_from_itself()
    {
        var diff = PolicyDiff.Compare(Shipped("linux-3.13.rpol"), Shipped("linux-3.13.rpol"));
        Assert.True(diff.Identical);
    }

    [Fact]
    public void Two_copies_of_the_same_policy_do_not_differ()
    {
        using var one = new TempPolicies();
        using var two = new TempPolicies();
        string fix = File.ReadAllText(Path.Combine(Repository.Policies, "fix-kswapd-deferred.rpol"));
        var diff = PolicyDiff.Compare(Load(one.Write("fix-kswapd-deferred.rpol", fix)), Load(two.Write("fix-kswapd-deferred.rpol", fix)));
        Assert.True(diff.Identical);
    }

    [Fact]
    public void Copies_that_differ_only_in_a_constants_value_differ_in_every_rule_that_names_it()
    {
        // The rules' texts are the same ("kmem_retry_wait = HZ_50;"); HZ_50 is 20ms in one and 40ms in the other.
        using var one = new TempPolicies();
        using var two = new TempPolicies();
        string text = File.ReadAllText(Repository.Linux313);
        Assert.Contains("const HZ_50        = 20ms;", text);
        var a = Load(Path.Combine(one.Directory, "linux-3.13.rpol"));
        var b = Load(two.Write("linux-3.13.rpol", text.Replace("const HZ_50        = 20ms;", "const HZ_50        = 40ms;")));
        var diff = PolicyDiff.Compare(a, b);
        Assert.False(diff.Identical);
        Assert.Contains(diff.Decisions, d => d.Hook == "xfs.kmem_retry_wait");
        // gfp.retry_wait is a literal (wait_iff_congested does not sleep here), so it decides alike.
        Assert.DoesNotContain(diff.Decisions, d => d.Hook == "gfp.retry_wait");
    }

    [Fact]
    public void A_rule_written_differently_that_decides_alike_is_listed_with_no_decision_difference()
    {
        using var dir = new TempPolicies();
        string same = dir.Write("same.rpol", "policy same extends linux-3.13 {\n  gfp { may_io = has(IO) || false; }\n}\n");
        var diff = PolicyDiff.Compare(Load(Path.Combine(dir.Directory, "linux-3.13.rpol")), Load(same));
        Assert.Equal("gfp.may_io", Assert.Single(diff.Rules).Rule);
        Assert.Empty(diff.Decisions);
    }

    [Fact]
    public void Kswapd_deferred_fix_differs_only_where_slab_work_is_deferred_or_a_high_order_request_fails()
    {
        var diff = PolicyDiff.Compare(Shipped("linux-3.13.rpol"), Shipped("fix-kswapd-deferred.rpol"));
        Assert.NotEmpty(diff.Decisions);
        foreach (var change in diff.Decisions.SelectMany(d => d.Changes))
            Assert.True(change.Where.Contains(("deferred slab work", "present"))
                        || change.Where.Any(w => w.Item1 == "zone" && w.Item2.StartsWith("fragmented", StringComparison.Ordinal)),
                string.Join(", ", change.Where));
    }

    [Fact]
    public void A_shrinker_pattern_decided_by_the_same_rules_is_folded_into_the_first()
    {
        var diff = PolicyDiff.Compare(Shipped("linux-3.13.rpol"), Shipped("fix-shrink-below-batch.rpol"));
        Assert.Equal("shrinker \"*\".scan_below_batch", Assert.Single(diff.Rules).Rule);
        var hook = Assert.Single(diff.Decisions);
        Assert.Equal("shrinker \"sb-xfs\".scan_below_batch", hook.Hook);
        Assert.Equal(["sb-*", "*"], hook.AlsoFor);
    }

    [Theory]
    [MemberData(nameof(Repository.ShippedPolicies), MemberType = typeof(Repository))]
    public void Every_shipped_fix_decides_differently_from_linux_3_13(string file)
    {
        if (file == "linux-3.13.rpol")
            return;
        var diff = PolicyDiff.Compare(Shipped("linux-3.13.rpol"), Shipped(file));
        Assert.NotEmpty(diff.Rules);
        Assert.NotEmpty(diff.Decisions);
    }

    [Fact]
    public void Grid_points_are_states_the_kernel_could_be_in()
    {
        foreach (var point in DecisionGrid.Points.Where(p => p.Order == 4))
        {
            var context = DecisionGrid.Context(point);
            bool lowOk = context.Zone.WatermarkOk(context.Zone.Low, 4);
            Assert.Equal(lowOk ? -1 : 4, context.Node.FailingOrder);
            Assert.Equal(point.Watermark is WatermarkState.AboveHigh or WatermarkState.BetweenLowAndHigh, lowOk);
        }
    }
}
