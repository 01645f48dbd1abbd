using Policyc.Compiler.Binding;
using Policyc.Compiler.Syntax;
using Policyc.Compiler.Tests.Support;

namespace Policyc.Compiler.Tests.Syntax;

public class ParserTests
{
    [Fact]
    public void Parses_the_shipped_policy_with_every_section()
    {
        var tree = SyntaxTree.Parse(File.ReadAllText(Repository.Linux313), "linux-3.13.rpol");
        Assert.Empty(tree.Diagnostics);
        var policy = Assert.IsType<PolicySyntax>(tree.Policy);
        Assert.Equal("linux-3.13", policy.Name.Text);
        Assert.Equal(["gfp", "reclaim", "shrinker", "shrinker", "kswapd", "swap", "xfs"],
            policy.Members.OfType<SectionSyntax>().Select(s => s.Kind.Text));
        Assert.Contains(tree.Comments, c => c.Text.Contains("PAGE_ALLOC_COSTLY_ORDER"));
    }

    [Fact]
    public void Policy_names_may_hold_dashes_and_dots()
    {
        var tree = SyntaxTree.Parse("policy linux-3.14-swapfix extends linux-3.13 { }");
        Assert.Empty(tree.Diagnostics);
        Assert.Equal("linux-3.14-swapfix", tree.Policy!.Name.Text);
        Assert.Equal("linux-3.13", tree.Policy.Base!.Text);
        Assert.False(tree.Policy.Base.IsPath);
    }

    [Fact]
    public void Base_may_be_a_quoted_relative_path()
    {
        var tree = SyntaxTree.Parse("policy fix extends \"../base/linux-3.13.rpol\" { }");
        Assert.Empty(tree.Diagnostics);
        Assert.True(tree.Policy!.Base!.IsPath);
        Assert.Equal("../base/linux-3.13.rpol", tree.Policy.Base.Text);
    }

    [Fact]
    public void Operators_bind_as_in_C()
    {
        var tree = SyntaxTree.Parse("policy p extends b { gfp { may_oom = a || b && c == 1 + 2 * 3; } }");
        var rule = ((SectionSyntax)tree.Policy!.Members[0]).Rules[0];
        var or = Assert.IsType<BinarySyntax>(rule.Value);
        Assert.Equal("||", or.Operator);
        var and = Assert.IsType<BinarySyntax>(or.Right);
        Assert.Equal("&&", and.Operator);
        var eq = Assert.IsType<BinarySyntax>(and.Right);
        var plus = Assert.IsType<BinarySyntax>(eq.Right);
        Assert.Equal("+", plus.Operator);
        Assert.Equal("*", Assert.IsType<BinarySyntax>(plus.Right).Operator);
    }

    [Fact]
    public void A_unit_word_applies_to_the_operand_before_it()
    {
        var tree = SyntaxTree.Parse("policy p extends b { gfp { should_retry = total_reclaimed < (1 << order) pages; } }");
        var rule = ((SectionSyntax)tree.Policy!.Members[0]).Rules[0];
        var less = Assert.IsType<BinarySyntax>(rule.Value);
        var unit = Assert.IsType<UnitSyntax>(less.Right);
        Assert.Equal("pages", unit.Unit.Text);
        Assert.IsType<ParenthesizedSyntax>(unit.Operand);
    }

    [Fact]
    public void Three_independent_errors_are_all_reported_with_their_positions()
    {
        using var dir = new TempPolicies();
        string path = dir.Write("three.rpol", """
            policy three extends linux-3.13 {
              gfp {
                may_oom = has(FSS);
                retry_wait = 20;
              }
              swap { skip_lowest_bit = zone.free > 0; }
            }
            """);
        var diagnostics = PolicyCompilation.Load(path).Diagnostics;
        Assert.Equal(
            ["three.rpol(3,19): error RP0100", "three.rpol(4,18): error RP0112", "three.rpol(6,28): error RP0115"],
            diagnostics.Select(d => $"{Path.GetFileName(d.Path)}({d.Start.Line},{d.Start.Column}): error {d.Code}"));
    }

    [Fact]
    public void Syntax_errors_recover_so_later_rules_are_still_checked()
    {
        var tree = SyntaxTree.Parse("""
            policy p extends linux-3.13 {
              gfp { may_oom = ; may_io = (true; }
              kswapd { wake = true }
              swap { skip_lowest_bit = false; }
            }
            """);
        var errors = tree.Diagnostics.Where(d => d.Code == "RP0001").ToArray();
        Assert.True(errors.Length >= 3, string.Join("\n", tree.Diagnostics));
        Assert.Equal([2, 2, 3], errors.Take(3).Select(d => d.Start.Line));
        Assert.Contains(tree.Policy!.Members.OfType<SectionSyntax>(), s => s.Kind.Text == "swap");
    }

    [Fact]
    public void A_missing_semicolon_is_reported_where_it_belongs()
    {
        var tree = SyntaxTree.Parse("policy p extends b {\n  swap { skip_lowest_bit = false }\n}");
        var error = Assert.Single(tree.Diagnostics);
        Assert.Equal("missing ';' before '}'", error.Message);
        Assert.Equal((2, 33), (error.Start.Line, error.Start.Column));
    }

    [Fact]
    public void Comments_of_both_kinds_are_kept()
    {
        var tree = SyntaxTree.Parse("// head\npolicy p extends b { /* block\n comment */ }");
        Assert.Equal(["// head", "/* block\n comment */"], tree.Comments.Select(c => c.Text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("policy")]
    [InlineData("policy {")]
    [InlineData("}}}}")]
    [InlineData("policy p extends { gfp { a = (((; } }")]
    [InlineData("policy p { shrinker \"unterminated { } }")]
    [InlineData("\u2028policy\u0000 p {}")]
    public void Broken_input_gives_diagnostics_with_valid_positions(string source)
    {
        var tree = SyntaxTree.Parse(source, "broken.rpol");
        Assert.NotEmpty(tree.Diagnostics);
        foreach (var d in tree.Diagnostics)
        {
            Assert.InRange(d.Span.Start, 0, source.Length);
            Assert.InRange(d.Span.End, d.Span.Start, source.Length);
            Assert.True(d.Start.Line >= 1 && d.Start.Column >= 1, d.ToString());
        }
    }
}
