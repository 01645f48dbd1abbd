using Policyc.Runtime.Policy;

namespace Policyc.Runtime.Tests;

public class HookCatalogTests
{
    [Fact]
    public void Every_hook_id_has_exactly_one_descriptor()
    {
        var ids = HookCatalog.All.Select(h => h.Id).ToList();
        Assert.Equal(Enum.GetValues<HookId>().Length, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Every_non_shrinker_hook_has_a_typed_field_on_the_table()
    {
        foreach (var hook in HookCatalog.All.Where(h => h.Section != PolicySection.Shrinker))
        {
            var field = typeof(PolicyTable).GetField(hook.Id.ToString());
            Assert.True(field is not null, $"PolicyTable has no field {hook.Id}");
            Assert.Equal(typeof(PolicyHook<>).MakeGenericType(PolicyTypes.ClrType(hook.Returns)), field!.FieldType);
        }
    }

    [Theory]
    [InlineData("*", "sb-xfs", true)]
    [InlineData("sb-*", "sb-xfs", true)]
    [InlineData("sb-?fs", "sb-xfs", true)]
    [InlineData("xfs-buf", "sb-xfs", false)]
    [InlineData("sb-", "sb-xfs", false)]
    public void Shrinker_patterns_are_globs(string pattern, string name, bool matches) =>
        Assert.Equal(matches, new ShrinkerRuleSet(pattern, new Dictionary<HookId, Delegate>(), new Dictionary<HookId, RuleOrigin>()).Matches(name));

    [Fact]
    public void Watermark_test_subtracts_lower_order_blocks()
    {
        // 1000 free pages, all as order-0 blocks: fine at order 0, fails at order 4.
        var blocks = new long[Watermarks.MaxOrder];
        blocks[0] = 1000;
        Assert.True(Watermarks.Ok(1000, blocks, 100, 0, 0));
        Assert.False(Watermarks.Ok(1000, blocks, 100, 4, 0));
        blocks[0] = 0;
        blocks[4] = 1000 / 16;
        Assert.True(Watermarks.Ok(1000, blocks, 100, 4, 0));
    }
}
