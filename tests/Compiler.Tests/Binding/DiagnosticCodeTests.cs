using Policyc.Compiler.Binding;
using Policyc.Compiler.Diagnostics;
using Policyc.Compiler.Emit;
using Policyc.Compiler.Tests.Support;

namespace Policyc.Compiler.Tests.Binding;

/// <summary>
/// At least one test per diagnostic code, each with the span it must point at marked in [brackets].
/// Every code in <see cref="DiagnosticCodes.All"/> must appear in a test here (checked below).
/// </summary>
public class DiagnosticCodeTests
{
    [Fact] public void RP0001_syntax_error() => Check.Derived("gfp { may_oom = [;] }", "RP0001");
    [Fact] public void RP0002_invalid_character() => Check.Derived("gfp { may_oom = true [@]; }", "RP0002");
    [Fact] public void RP0003_invalid_number() => Check.Derived("gfp { retry_wait = [20xs]; }", "RP0003");
    [Fact] public void RP0003_fraction_in_a_count() => Check.Derived("xfs { deadlock_warn_every = [1.5]; }", "RP0003");
    [Fact] public void RP0004_space_in_policy_name() => Check.Policy("policy [test - 2] extends linux-3.13 { }", "RP0004");
    [Fact]
    public void RP0004_a_percent_sign_in_a_policy_name()
    {
        // The lexer reads 50% as a number with a unit; a name may not hold it.
        var diagnostic = Assert.Single(Check.Policy("policy [test-50%] extends linux-3.13 { }", "RP0004"));
        Assert.Equal("a policy name is letters, digits, '_', '-' and '.', not '%'", diagnostic.Message);
    }
    [Fact] public void RP0005_two_policies_in_a_file() =>
        Check.Policy("policy test extends linux-3.13 { }\npolicy [other] extends linux-3.13 { }", "RP0005");
    [Fact] public void RP0006_unknown_escape() => Check.Derived("shrinker \"sb[\\q]\" { batch = 1; }", "RP0006");

    [Fact] public void RP0100_unknown_name() => Check.Derived("gfp { may_oom = has([FSS]); }", "RP0100");
    [Fact] public void RP0100_unknown_field() => Check.Derived("kswapd { wake = zone.[lowest] > 0; }", "RP0100");
    [Fact] public void RP0101_unknown_section() => Check.Derived("[gpf] { may_oom = true; }", "RP0101");

    [Theory]
    // A kernel spelling finds the policy's short name by its words.
    [InlineData("kswapd { wake = zone.[free_pages] > 0; }", "RP0100", "'zone' has no field 'free_pages'; did you mean 'free'?")]
    [InlineData("kswapd { wake = zone.free < zone.[high_wmark]; }", "RP0100", "'zone' has no field 'high_wmark'; did you mean 'high'?")]
    [InlineData("[swapp] { skip_lowest_bit = false; }", "RP0101",
        "unknown section 'swapp'; did you mean 'swap'? (sections are gfp, reclaim, shrinker, kswapd, swap, xfs)")]
    [InlineData("[vmscan] { shrink_slab = true; }", "RP0101", "unknown section 'vmscan'; sections are gfp, reclaim, shrinker, kswapd, swap, xfs")]
    public void Names_and_sections_get_the_closest_suggestion_or_none(string body, string code, string message) =>
        Assert.EndsWith(message, Check.Derived(body, code)[0].Message);
    [Fact] public void RP0102_unknown_rule() => Check.Derived("gfp { [may_om] = true; }", "RP0102");
    [Fact] public void RP0103_duplicate_rule() => Check.Derived("gfp { may_oom = true; [may_oom] = false; }", "RP0103");
    [Fact] public void RP0104_duplicate_section() => Check.Derived("gfp { may_oom = true; }\n[gfp] { may_io = true; }", "RP0104");
    [Fact] public void RP0105_constant_named_like_a_flag() => Check.Derived("const [FS] = 3;", "RP0105");
    [Fact] public void RP0106_shrinker_without_pattern() => Check.Derived("[shrinker] { batch = 1; }", "RP0106");
    [Fact] public void RP0106_pattern_on_another_section() => Check.Derived("gfp [\"x\"] { may_oom = true; }", "RP0106");
    [Fact] public void RP0107_invalid_pattern() => Check.Derived("shrinker [\"a b\"] { batch = 1; }", "RP0107");
    [Fact] public void RP0110_wrong_type() => Check.Derived("gfp { may_oom = [3]; }", "RP0110");
    [Fact] public void RP0111_operator_not_defined() => Check.Derived("gfp { may_oom = true [+] false; }", "RP0111");
    [Fact] public void RP0111_bitwise_and_on_bools() => Check.Derived("gfp { may_oom = true [&] false; }", "RP0111");
    [Fact] public void RP0112_pages_compared_with_bytes() => Check.Derived("reclaim { scan_anon = [swap.free > 4k]; }", "RP0112");
    [Fact] public void RP0112_pages_plus_a_count() => Check.Derived("reclaim { scan_anon = [swap.free + 1] > swap.used; }", "RP0112");
    [Fact] public void RP0112_time_for_a_count() => Check.Derived("xfs { deadlock_warn_every = [20ms]; }", "RP0112");
    [Fact] public void RP0113_wrong_argument_count() => Check.Derived("gfp { may_oom = [has()]; }", "RP0113");
    [Fact] public void RP0114_unknown_function() => Check.Derived("gfp { may_oom = [hsa](FS); }", "RP0114");
    [Fact] public void RP0115_group_not_available() => Check.Derived("swap { skip_lowest_bit = [zone.free] > 0; }", "RP0115");
    [Fact]
    public void RP0115_suggests_a_readable_field_of_the_same_name()
    {
        var diagnostics = Check.Derived("kswapd { compact = [order] > 0; }", "RP0115");
        Assert.EndsWith("did you mean 'kswapd.order'?", diagnostics[0].Message);
    }

    [Fact]
    public void RP0115_says_when_a_rule_reads_no_context_at_all()
    {
        var diagnostics = Check.Derived("xfs { lv_alloc_outside_cil_lock = [size] > 4k; }", "RP0115");
        Assert.EndsWith("is not available in 'xfs.lv_alloc_outside_cil_lock'; it reads no context, only constants", diagnostics[0].Message);
    }

    [Fact] public void RP0116_constant_reads_context() =>
        Check.Derived("const X = [order];\ngfp { may_oom = X > 1; }", "RP0116");
    [Fact] public void RP0117_constant_division_by_zero() => Check.Derived("xfs { deadlock_warn_every = [1 / 0]; }", "RP0117");
    [Fact] public void RP0117_constant_overflow() => Check.Derived("xfs { deadlock_warn_every = [1 << 64]; }", "RP0117");
    [Fact] public void RP0117_division_by_a_constant_zero() => Check.Derived("gfp { may_oom = [order / 0] > 1; }", "RP0117");
    [Fact] public void RP0117_remainder_by_a_constant_zero() => Check.Derived("gfp { may_oom = [order % (2 - 2)] > 1; }", "RP0117");
    [Fact] public void RP0117_shift_by_a_constant_count_out_of_range() => Check.Derived("gfp { may_oom = [order >> 64] > 1; }", "RP0117");

    [Fact]
    public void A_constant_divisor_or_shift_count_that_can_succeed_is_no_fault()
    {
        Check.Derived("gfp { may_oom = order / 2 > 1 && order % 3 == 0 && (order << 63) >= 0 && (order >> 0) > 1; }");
    }
    [Fact] public void RP0118_base_without_base_rule() => Check.Derived("shrinker \"new-*\" { batch = [base]; }", "RP0118");
    [Fact]
    public void RP0118_base_in_a_constant_of_a_derived_policy()
    {
        var diagnostic = Assert.Single(Check.Derived("const X = [base];\nxfs { deadlock_warn_every = X; }", "RP0118"));
        Assert.Equal("'base' stands for the rule that a rule replaces, so it belongs in a rule, not in a constant or a test", diagnostic.Message);
    }
    [Fact] public void RP0118_base_in_a_test_value() =>
        CheckTests.Diagnostics("test \"t\" { expect retry_wait == [base]; }", "RP0118");
    [Fact] public void RP0118_base_in_a_root_policy() =>
        Check.Policy(RootPolicy().Replace("may_swap     = true;", "may_swap     = [base];"), "RP0118");
    [Fact] public void RP0119_group_used_as_a_value() => Check.Derived("gfp { may_oom = [zone]; }", "RP0119");

    [Fact] public void RP0200_base_not_found() => Check.Policy("policy test extends [nosuch] { }", "RP0200");

    [Fact]
    public void RP0201_extends_cycle()
    {
        using var dir = new TempPolicies();
        dir.Write("a.rpol", "policy a extends b { }");
        string b = dir.Write("b.rpol", "policy b extends a { }");
        var diagnostics = PolicyCompilation.Load(b).Diagnostics;
        var cycle = Assert.Single(diagnostics);
        Assert.Equal("RP0201", cycle.Code);
        Assert.Contains("b.rpol → a.rpol → b.rpol", cycle.Message);
    }

    [Fact] public void RP0202_override_of_a_rule_the_base_lacks() => Check.Derived("shrinker \"sb-*\" { [seeks] = 4; }", "RP0202");

    [Fact] public void RP0203_root_policy_missing_rules() => Check.Policy("policy [test] { gfp { may_oom = true; } }", "RP0203");

    [Fact]
    public void RP0204_base_with_errors()
    {
        using var dir = new TempPolicies();
        dir.Write("broken.rpol", "policy broken extends linux-3.13 { gfp { may_oom = 3; } }");
        string derived = dir.Write("derived.rpol", "policy derived extends broken { }");
        var diagnostics = PolicyCompilation.Load(derived).Diagnostics;
        Assert.Equal(["RP0110", "RP0204"], diagnostics.Select(d => d.Code).Order());
        Assert.Equal((1, 24), (diagnostics.Single(d => d.Code == "RP0204").Start.Line, diagnostics.Single(d => d.Code == "RP0204").Start.Column));
    }

    [Fact]
    public void RP0205_base_file_holds_another_policy()
    {
        using var dir = new TempPolicies();
        dir.Write("other.rpol", "policy different extends linux-3.13 { }");
        string derived = dir.Write("derived.rpol", "policy derived extends other { }");
        var diagnostic = Assert.Single(PolicyCompilation.Load(derived).Diagnostics);
        Assert.Equal("RP0205", diagnostic.Code);
    }

    [Fact]
    public void RP0300_constant_rule_is_a_warning()
    {
        var diagnostics = Check.Derived("gfp { may_oom = [true || has(FS)]; }", "RP0300");
        Assert.Equal(DiagnosticSeverity.Warning, diagnostics[0].Severity);
    }

    [Fact] public void RP0300_not_reported_for_a_plain_value() => Check.Derived("gfp { may_oom = true; retry_wait = 2 * 10ms; }");
    [Fact] public void RP0301_unused_constant() => Check.Derived("const [X] = 3;", "RP0301");
    [Fact] public void RP0301_not_for_a_constant_the_files_own_tests_use() =>
        Check.Policy("policy test extends linux-3.13 { const BIG_ORDER = 5; }\ntest \"t\" { given order = BIG_ORDER; expect may_oom == false; }\n");

    [Fact]
    public void RP0400_file_too_large() =>
        Check.Policy("[]policy test extends linux-3.13 { }\n" + new string(' ', Compiler.Syntax.Limits.MaxFileLength), "RP0400");

    [Fact]
    public void RP0401_nesting_too_deep()
    {
        string deep = new string('(', 200) + "1" + new string(')', 200);
        var diagnostics = Check.Derived($"xfs {{ deadlock_warn_every = {deep}; }}", "RP0401");
        Assert.Equal(3, diagnostics[0].Start.Line - 0 + 1);
    }

    [Fact]
    public void RP0402_name_too_long() =>
        Check.Derived($"gfp {{ may_oom = [[{new string('x', Compiler.Syntax.Limits.MaxNameLength + 1)}]]; }}", "RP0100", "RP0402");

    [Fact]
    public void RP0403_too_many_members()
    {
        using var dir = new TempPolicies();
        var body = string.Concat(Enumerable.Range(0, Compiler.Syntax.Limits.MaxMembers + 1).Select(i => $"const C{i} = {i};\n"));
        string path = dir.Write("many.rpol", "policy many extends linux-3.13 {\n" + body + "}\n");
        Assert.Contains(PolicyCompilation.Load(path).Diagnostics, d => d.Code == "RP0403");
    }

    [Fact]
    public void RP0500_file_not_readable()
    {
        var diagnostic = Assert.Single(PolicyCompilation.Load("no/such/policy.rpol").Diagnostics);
        Assert.Equal("RP0500", diagnostic.Code);
        Assert.Equal((1, 1), (diagnostic.Start.Line, diagnostic.Start.Column));
    }

    /// <summary>The build command reports it (AuthoringCommandTests.Build_refuses_to_write_two_policies_of_one_name_over_each_other); here its form.</summary>
    [Fact]
    public void RP0501_output_collision_is_reported_at_the_second_policys_name()
    {
        var text = Text.SourceText.From("policy x extends linux-3.13 { }", "b/x.rpol");
        var bag = new DiagnosticBag();
        bag.ReportOutputCollision(new Text.TextLocation(text, new Text.TextSpan(7, 1)), "x", "a/x.rpol", "out/x.dll");
        var diagnostic = Assert.Single(bag);
        Assert.Equal("b/x.rpol(1,8): error RP0501: policy 'x' is also built from 'a/x.rpol', and both would write 'out/x.dll'; build them into separate directories", diagnostic.ToString());
    }

    [Fact]
    public void RP0600_generated_code_that_does_not_compile_is_reported_not_thrown()
    {
        var result = RoslynCompiler.Compile("Broken", "class C { int x = ; }", "broken.g.cs");
        Assert.Null(result.Assembly);
        Assert.NotEmpty(result.Errors);
        var bag = new DiagnosticBag();
        var text = Text.SourceText.From("policy p { }", "p.rpol");
        bag.ReportEmitFailed(new Text.TextLocation(text, new Text.TextSpan(7, 1)), result.Errors[0]);
        Assert.Equal("RP0600", Assert.Single(bag).Code);
    }

    [Fact]
    public void RP0601_snapshot_mismatch()
    {
        using var dir = new TempPolicies();
        Snapshot.Check(dir.Directory, "p", "line 1\nline 2\n", accept: true);
        var changed = Snapshot.Check(dir.Directory, "p", "line 1\nline two\n", accept: false);
        Assert.Equal(Snapshot.Outcome.Changed, changed.Outcome);
        var bag = new DiagnosticBag();
        bag.ReportSnapshotMismatch("p.rpol", changed.ApprovedPath, changed.Diff);
        var diagnostic = Assert.Single(bag);
        Assert.Equal("RP0601", diagnostic.Code);
        Assert.Contains("-line 2", diagnostic.Message);
        Assert.Contains("+line two", diagnostic.Message);
    }

    [Fact] public void RP0700_unknown_rule_in_an_expectation() =>
        CheckTests.Diagnostics("test \"t\" { expect [may_compakt] == true; }", "RP0700");
    [Fact] public void RP0700_unknown_metric_in_a_scenario_test() =>
        CheckTests.Diagnostics("test \"t\" { given scenario = small; expect [throughput] > 1; }", "RP0700");
    [Fact] public void RP0701_rule_name_in_several_sections() =>
        CheckTests.Diagnostics("test \"t\" { expect [shrink_slab] == true; }", "RP0701");
    [Fact] public void RP0702_unknown_given_field() =>
        CheckTests.Diagnostics("test \"t\" { given [zone.fre] = 3 pages; expect may_oom == true; }", "RP0702");
    [Fact] public void RP0703_field_given_twice() =>
        CheckTests.Diagnostics("test \"t\" { given order = 1, [order = 2]; expect may_oom == true; }", "RP0703");
    [Fact] public void RP0703_field_given_once_unqualified_and_once_qualified() =>
        CheckTests.Diagnostics("test \"t\" { given order = 4, [request.order = 0]; expect may_compact == true; }", "RP0703");

    [Fact]
    public void RP0704_test_file_without_its_policy()
    {
        using var dir = new TempPolicies();
        string path = dir.Write("missing.test.rpol", "test \"t\" { expect may_oom == true; }");
        var diagnostic = Assert.Single(Policyc.Compiler.Testing.TestRunner.Run([path]).Diagnostics);
        Assert.Equal("RP0704", diagnostic.Code);
        Assert.Contains("missing.rpol", diagnostic.Message);
    }

    [Fact] public void RP0705_unknown_verb() =>
        CheckTests.Diagnostics("test \"t\" { expect shrinker \"sb-xfs\" [jumps]; }", "RP0705");
    [Fact] public void RP0705_an_order_the_kernel_has_not() =>
        CheckTests.Diagnostics("test \"t\" { given order = [11]; expect may_compact == true; }", "RP0705");
    [Fact] public void RP0705_negative_free_pages() =>
        CheckTests.Diagnostics("test \"t\" { given zone.free = [-1 pages]; expect may_compact == true; }", "RP0705");
    [Fact] public void RP0705_ordering_a_bool() =>
        CheckTests.Diagnostics("test \"t\" { [expect may_oom < true;] }", "RP0705");
    [Fact] public void RP0706_context_field_in_a_scenario_test() =>
        CheckTests.Diagnostics("test \"t\" { given scenario = small, [order = 4]; expect verdict == completed; }", "RP0706");
    [Fact]
    public void RP0706_a_scenario_setting_in_a_scenario_test_points_to_run_not_to_a_decision_test()
    {
        var diagnostic = Assert.Single(CheckTests.Diagnostics("test \"t\" { given scenario = small, [swap_write_latency = 10ms]; expect verdict == completed; }", "RP0706"));
        Assert.Equal("a scenario test gives only scenario, seed, duration and nodes; 'swap_write_latency' is a scenario setting, for `run`, `compare` and `sweep` (--set, or a scenario file)", diagnostic.Message);
    }
    [Fact]
    public void RP0706_more_nodes_than_the_scenario_has_cpus()
    {
        var diagnostic = Assert.Single(CheckTests.Diagnostics("test \"t\" { given scenario = small, nodes = [8]; expect verdict == completed; }", "RP0706"));
        Assert.Equal("nodes: 8 nodes for 4 CPUs: every node needs a CPU (CPUs are dealt to nodes round robin)", diagnostic.Message);
    }
    [Fact]
    public void RP0706_a_negative_seed_is_refused_not_replaced_by_the_scenarios()
    {
        var diagnostic = Assert.Single(CheckTests.Diagnostics("test \"t\" { given scenario = small, seed = [-5]; expect verdict == completed; }", "RP0706"));
        Assert.Equal("the seed must not be negative", diagnostic.Message);
    }
    [Fact] public void RP0707_test_without_expectations() =>
        CheckTests.Diagnostics("test [\"t\"] { given order = 4; }", "RP0707");

    [Fact] public void RP0708_two_tests_with_one_name() =>
        CheckTests.Diagnostics("test \"t\" { expect may_oom == true; }\ntest [\"t\"] { given order = 4; expect may_oom == false; }", "RP0708");
    [Fact] public void RP0110_expected_value_of_the_wrong_unit() =>
        CheckTests.Diagnostics("test \"t\" { expect retry_wait == [20]; }", "RP0110");

    [Fact]
    public void Every_code_has_a_test_here()
    {
        var names = typeof(DiagnosticCodeTests).GetMethods().Select(m => m.Name).ToArray();
        var untested = DiagnosticCodes.All.Where(d => !names.Any(n => n.StartsWith(d.Code + "_", StringComparison.Ordinal)));
        Assert.Empty(untested.Select(d => d.Code));
    }

    [Fact]
    public void Codes_are_unique()
    {
        var codes = DiagnosticCodes.All.Select(d => d.Code).ToArray();
        Assert.Equal(codes.Length, codes.Distinct().Count());
    }

    static string RootPolicy() => File.ReadAllText(Repository.Linux313).Replace("policy linux-3.13", "policy test");
}
