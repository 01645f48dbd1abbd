using Policyc.Runtime.Policy;

namespace Policyc.Runtime.Tests;

/// <summary>The glob a shrinker section's pattern is matched with.</summary>
public class ShrinkerGlobTests
{
    [Theory]
    [InlineData("*", "sb-xfs", true)]
    [InlineData("*", "", true)]
    [InlineData("sb-*", "sb-xfs", true)]
    [InlineData("sb-*", "xfs_buf", false)]
    [InlineData("??????", "abcdef", true)]
    [InlineData("??????", "abcde", false)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXcYYb", false)]
    [InlineData("*xfs", "sb-xfs", true)]
    [InlineData("*xfs*", "sb-xfs-1", true)]
    [InlineData("x?s*", "xfs", true)]
    [InlineData("xfs", "xfs_buf", false)]
    [InlineData("**", "anything", true)]
    public void Star_is_any_run_and_question_mark_one_character(string pattern, string name, bool matches) =>
        Assert.Equal(matches, ShrinkerRuleSet.Glob(pattern, name));

    [Fact]
    public void A_pattern_of_many_stars_against_a_long_name_is_answered_without_backtracking_into_each()
    {
        // Recursion on every '*' took exponential time here: `policyc test` and `diff` hung on it.
        string pattern = string.Concat(Enumerable.Repeat("*a", 12)) + "*c";
        string name = new('a', 100);
        Assert.False(ShrinkerRuleSet.Glob(pattern, name));
        Assert.True(ShrinkerRuleSet.Glob(pattern, name + "c"));
    }
}
