using Policyc.Compiler.Testing;
using Policyc.Compiler.Tests.Support;

namespace Policyc.Compiler.Tests.Testing;

public class TestRunnerTests
{
    [Fact]
    public void A_failed_expectation_says_expected_got_and_the_rule_that_decided()
    {
        var result = CheckTests.Run("""
            test "nofs compaction" {
              given gfp = GFP_NOFS, order = 4;
              expect may_compact == true;
            }
            """);
        var test = Assert.Single(result.Results);
        Assert.Equal(TestOutcome.Failed, test.Outcome);
        var failure = Assert.Single(test.Failures);
        Assert.Equal(3, failure.At.Start.Line);
        Assert.Contains("expected gfp.may_compact == true, got false", failure.Message);
        Assert.Matches(@"decided by .*linux-3\.13\.rpol\(11,5\): may_compact", failure.Message);
    }

    [Fact]
    public void Passing_tests_pass_and_unset_fields_come_from_the_neutral_context()
    {
        var result = CheckTests.Run("""
            test "neutral" {
              expect wake_kswapd == true;
              expect kswapd.wake == false;
              expect scan_anon == true;
            }
            """);
        Assert.Equal(TestOutcome.Passed, Assert.Single(result.Results).Outcome);
    }

    [Fact]
    public void Shrinker_expectations_resolve_the_shrinker_by_pattern()
    {
        var result = CheckTests.Run("""
            test "sb" {
              given gfp = GFP_NOFS;
              expect shrinker "sb-xfs" defers;
              expect shrinker "sb-xfs".batch == 1024;
              expect shrinker "other".batch == 128;
              expect shrinker "other" runs;
            }
            """);
        Assert.Equal(TestOutcome.Passed, Assert.Single(result.Results).Outcome);
    }

    [Theory]
    [InlineData(10, true)]
    [InlineData(3, false)]
    public void Max_free_order_fragments_the_zone_for_watermark_ok(int maxFreeOrder, bool balanced)
    {
        var result = CheckTests.Run($$"""
            test "fragmented" {
              given zone.free = 700000 pages, zone.max_free_order = {{maxFreeOrder}}, kswapd.order = 4;
              expect zone_balanced == {{(balanced ? "true" : "false")}};
            }
            """);
        Assert.Equal(TestOutcome.Passed, Assert.Single(result.Results).Outcome);
    }

    [Fact]
    public void Derived_values_follow_the_given_ones()
    {
        var context = TestContextBuilder.Build([
            new BoundGiven("zone.free", Policyc.Compiler.Binding.ContextSymbols.Fields.Single(f => f.Group.Name == "zone" && f.Name == "free"), 1000, default),
            new BoundGiven("swap.free", Policyc.Compiler.Binding.ContextSymbols.Fields.Single(f => f.Group.Name == "swap" && f.Name == "free"), 0, default),
        ]);
        Assert.Equal(1000, context.Node.Free);
        Assert.Equal(context.Swap.Total, context.Swap.Used);
        Assert.Equal(1000, context.Zone.FreeAtOrder(0));
    }

    [Fact]
    public void Coverage_counts_rules_and_both_outcomes_of_each_branch()
    {
        var one = CheckTests.Run("""
            test "nofs" {
              given gfp = GFP_NOFS;
              expect shrinker "sb-xfs" defers;
            }
            """);
        var linux = Assert.Single(one.Coverage);
        Assert.Equal(1, linux.RulesCovered);
        Assert.Equal(1, linux.BranchesCovered);
        Assert.Contains(linux.Uncovered, u => u.Contains("condition of '?:' never true in rule shrinker \"sb-*\".action"));

        var both = CheckTests.Run("""
            test "nofs" {
              given gfp = GFP_NOFS;
              expect shrinker "sb-xfs" defers;
            }
            test "kernel" {
              given gfp = GFP_KERNEL;
              expect shrinker "sb-xfs" runs;
            }
            """);
        Assert.Equal(2, Assert.Single(both.Coverage).BranchesCovered);
    }

    [Fact]
    public void Base_calls_count_for_the_base_file()
    {
        using var dir = new TempPolicies();
        dir.Write("fix.rpol", "policy fix extends linux-3.13 {\n  kswapd { wake = base || node.slab_deferred > 0; }\n}\n");
        dir.Write("fix.test.rpol", "test \"w\" { given zone.free = 9000 pages; expect kswapd.wake == true; }");
        var result = TestRunner.Run([dir.Directory]);
        Assert.Equal(1, result.Passed);
        var linux = result.Coverage.Single(c => c.File.EndsWith("linux-3.13.rpol", StringComparison.Ordinal));
        Assert.Equal(1, linux.RulesCovered);
        var fix = result.Coverage.Single(c => c.File.EndsWith("fix.rpol", StringComparison.Ordinal));
        Assert.Equal(1, fix.RulesCovered);
        Assert.Equal(1, fix.BranchesCovered);
    }

    [Fact]
    public void A_policy_fault_is_a_test_error_at_the_faulting_rule()
    {
        using var dir = new TempPolicies();
        dir.Write("div.rpol", "policy div extends linux-3.13 {\n  xfs { deadlock_warn_every = 100 / order; }\n}\n");
        dir.Write("div.test.rpol", "test \"zero\" { given order = 0; expect deadlock_warn_every == 1; }");
        var test = Assert.Single(TestRunner.Run([dir.Directory]).Results);
        Assert.Equal(TestOutcome.Error, test.Outcome);
        Assert.Contains("div.rpol(2,", Assert.Single(test.Failures).Message);
    }

    [Fact]
    public void Test_blocks_beside_the_policy_in_its_own_file_run()
    {
        using var dir = new TempPolicies();
        string path = dir.Write("inline.rpol", """
            policy inline extends linux-3.13 {
              gfp { may_oom = false; }
            }

            test "never OOM" {
              given gfp = GFP_KERNEL;
              expect may_oom == false;
            }
            """);
        var result = TestRunner.Run([path]);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(TestOutcome.Passed, Assert.Single(result.Results).Outcome);
    }

    [Fact]
    public void Every_shipped_policy_has_tests_and_they_pass()
    {
        var result = TestRunner.Run([Repository.Policies]);
        Assert.Empty(result.Diagnostics);
        Assert.All(result.Results, r => Assert.True(r.Outcome == TestOutcome.Passed,
            r.Display + "\n" + string.Join("\n", r.Failures)));
        var tested = result.Results.Select(r => Path.GetFileName(r.Test.Policy.Text.Path)).ToHashSet();
        foreach (var policy in Repository.PolicyFiles())
            Assert.Contains(Path.GetFileName(policy), tested);
        Assert.True(result.CoveragePercent >= 95, $"coverage of the shipped policies fell to {result.CoveragePercent:0.0}%");
    }

    [Fact]
    public void The_example_policies_have_tests_and_they_pass()
    {
        var result = TestRunner.Run([Repository.ExamplePolicies]);
        Assert.Empty(result.Diagnostics);
        Assert.NotEmpty(result.Results);
        Assert.All(result.Results, r => Assert.True(r.Outcome == TestOutcome.Passed,
            r.Display + "\n" + string.Join("\n", r.Failures)));
        var tested = result.Results.Select(r => Path.GetFileName(r.Test.Policy.Text.Path)).ToHashSet();
        foreach (var policy in Directory.GetFiles(Repository.ExamplePolicies, "*.rpol").Where(f => !f.EndsWith(".test.rpol", StringComparison.Ordinal)))
            Assert.Contains(Path.GetFileName(policy), tested);
    }

    [Fact]
    public void Scenario_tests_bound_a_run_metric()
    {
        var result = CheckTests.Run("""
            test "short run" {
              given scenario = small, seed = 1, duration = 5s;
              expect verdict != policy_error;
              expect files_removed > 320000;
            }
            """);
        var test = Assert.Single(result.Results);
        var failure = Assert.Single(test.Failures);
        Assert.Contains("expected files_removed > 320000, got", failure.Message);
        Assert.Contains("seed 1", failure.Message);
    }
}
