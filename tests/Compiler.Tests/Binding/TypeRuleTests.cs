using Policyc.Compiler.Binding;
using Policyc.Compiler.Tests.Support;
using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Tests.Binding;

/// <summary>
/// The operators' type and unit rules, each from both sides: what binds, and what is refused with
/// which code at which span (in [brackets]). docs/language.md states the same rules.
/// </summary>
public class TypeRuleTests
{
    [Fact] public void Complement_applies_to_counts_as_to_masks() =>
        Check.Derived("gfp { may_oom = (order & ~1) == 4 && has(gfp & ~FS, IO); }");

    [Fact] public void Complement_of_pages_is_refused() =>
        Check.Derived("reclaim { scan_anon = [~]swap.free > 0; }", "RP0111");

    [Fact] public void A_shift_count_must_be_a_plain_count() =>
        Check.Derived("reclaim { scan_anon = (swap.free [>>] swap.used) > 0; }", "RP0111");

    [Fact] public void Pages_shift_by_a_count_stay_pages() =>
        Check.Derived("reclaim { scan_anon = (swap.free >> 2) > swap.used; }");

    [Fact] public void Pages_times_pages_is_a_unit_mismatch() =>
        Check.Derived("reclaim { scan_anon = [swap.free * swap.used] > 0; }", "RP0112");

    [Fact] public void The_remainder_of_pages_by_a_count_is_pages() =>
        Check.Derived("reclaim { scan_anon = swap.free % 2 < swap.used; }");

    [Fact] public void A_plain_zero_takes_the_unit_a_rule_expects() =>
        Check.Derived("gfp { retry_wait = 0; }");

    [Fact] public void A_plain_zero_takes_the_unit_of_the_other_branch() =>
        Check.Derived("reclaim { scan_anon = (swap.used > 0 ? swap.free : 0) > swap.used; }");

    [Fact]
    public void Xor_of_bools_is_refused_with_not_equal_suggested()
    {
        var diagnostics = Check.Derived("gfp { may_oom = true [^] false; }", "RP0111");
        Assert.EndsWith("bool and bool; use '!='", diagnostics[0].Message);
    }

    [Fact]
    public void The_complement_of_a_mask_keeps_to_gfp_ts_32_bits() =>
        Assert.Equal(0xFFFF_FF7FL, Arithmetic.Unary(UnaryOperator.Complement, BoundType.Gfp, (long)Gfp.FS));
}
