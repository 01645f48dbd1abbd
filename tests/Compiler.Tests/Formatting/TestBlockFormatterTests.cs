using Policyc.Compiler.Formatting;

namespace Policyc.Compiler.Tests.Formatting;

public class TestBlockFormatterTests
{
    [Fact]
    public void Test_blocks_get_the_canonical_layout_and_keep_comments()
    {
        const string messy = "// header\ntest   \"a\"{ given gfp=GFP_NOFS,order=4; // why\n// before\nexpect may_compact==true;\n\n expect shrinker  \"sb-xfs\"  defers ; }\n// end\n";
        const string expected = """
            // header
            test "a" {
              given gfp = GFP_NOFS, order = 4; // why
              // before
              expect may_compact == true;

              expect shrinker "sb-xfs" defers;
            }
            // end

            """;
        string? once = Formatter.Format(messy, "x.test.rpol");
        Assert.Equal(expected.ReplaceLineEndings("\n"), once);
        Assert.Equal(once, Formatter.Format(once!, "x.test.rpol"));
    }

    [Fact]
    public void A_policy_and_its_tests_are_separated_by_one_blank_line()
    {
        const string source = "policy p extends linux-3.13 { gfp { may_oom = false; } }\ntest \"t\" { expect may_oom == false; }\n";
        Assert.Equal("policy p extends linux-3.13 {\n  gfp { may_oom = false; }\n}\n\ntest \"t\" {\n  expect may_oom == false;\n}\n",
            Formatter.Format(source));
    }

    [Fact]
    public void A_long_given_continues_under_its_first_item()
    {
        string source = "test \"t\" { given gfp = GFP_NOFS, order = 4, zone.free = 700000 pages, zone.max_free_order = 3, node.slab_deferred = 5000000; expect may_oom == false; }\n";
        string formatted = Formatter.Format(source)!;
        Assert.Contains("  given gfp = GFP_NOFS,\n        order = 4,\n", formatted);
        Assert.Equal(formatted, Formatter.Format(formatted));
    }

    [Theory]
    [MemberData(nameof(Support.Repository.ShippedTestFiles), MemberType = typeof(Support.Repository))]
    public void Shipped_test_files_are_formatted(string file)
    {
        string source = File.ReadAllText(Path.Combine(Support.Repository.Policies, file));
        Assert.Equal(source, Formatter.Format(source, file));
    }
}
