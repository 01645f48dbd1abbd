using System.Text.RegularExpressions;
using Policyc.Compiler.Formatting;
using Policyc.Compiler.Syntax;
using Policyc.Compiler.Tests.Support;

namespace Policyc.Compiler.Tests.Formatting;

public class FormatterTests
{
    [Theory]
    [MemberData(nameof(Repository.ShippedPolicies), MemberType = typeof(Repository))]
    public void Shipped_policies_are_formatted(string file)
    {
        string source = File.ReadAllText(Path.Combine(Repository.Policies, file));
        Assert.Equal(source, Formatter.Format(source, file));
    }

    [Fact]
    public void Messy_input_gets_the_canonical_layout()
    {
        const string messy = """
            // header

            policy   fix   extends linux-3.13{
            const  LIMIT=1000 ;  // retries
              gfp{should_retry=base&&retries<LIMIT;may_oom  =  !has( FS )|| order>3 ;}
              swap {   skip_lowest_bit = false;}



              shrinker "sb-*" { action = has(FS) ? run : defer; }
            }
            """;
        const string expected = """
            // header

            policy fix extends linux-3.13 {
              const LIMIT = 1000;  // retries
              gfp {
                should_retry = base && retries < LIMIT;
                may_oom      = !has(FS) || order > 3;
              }
              swap { skip_lowest_bit = false; }

              shrinker "sb-*" { action = has(FS) ? run : defer; }
            }

            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), Formatter.Format(messy));
    }

    [Fact]
    public void Author_line_breaks_in_expressions_are_kept_before_the_operator()
    {
        const string source = """
            policy p extends linux-3.13 {
              gfp {
                should_retry = !has(NORETRY) &&
                  (has(NOFAIL) || order <= 3
                || retries < 10);
              }
            }
            """;
        const string expected = """
            policy p extends linux-3.13 {
              gfp {
                should_retry = !has(NORETRY)
                               && (has(NOFAIL) || order <= 3
                                   || retries < 10);
              }
            }

            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), Formatter.Format(source));
    }

    [Theory]
    [InlineData("policy p extends b { /* inside */ gfp { /* a */ may_oom = /* b */ true; // c\n } // d\n} // e")]
    [InlineData("// 1\n// 2\n\npolicy p extends b {\n  // 3\n\n  // 4\n  gfp { may_oom = true; } /* 5 */\n  // 6\n}\n// 7\n")]
    [InlineData("policy p extends b { const X = 1; // one\n const LONGER = 2; // two\n\n const Y = X + LONGER; }")]
    [InlineData("policy p extends b { gfp { may_oom = a\n // mid\n || b; } }")]
    [InlineData("policy p extends b { gfp { a = 1; /* x */ b = 2; /* y */ /* z */ } /* w */ }")]
    public void Formatting_keeps_every_comment_and_is_idempotent(string source)
    {
        string once = Formatter.Format(source)!;
        Assert.NotNull(once);
        Assert.Equal(once, Formatter.Format(once));
        Assert.Equal(Comments(source), Comments(once));
        Assert.Empty(SyntaxTree.Parse(once).Diagnostics);
    }

    [Fact]
    public void A_comment_on_a_line_trails_the_code_just_before_it_not_what_ended_earlier_on_the_line()
    {
        const string source = """
            policy p extends linux-3.13 { gfp {may_oom=false;/*inline*/ retry_wait = 40ms ; } // after
              kswapd { wake = true; sleep = base; // on sleep
              } }
            test "t" { given order = 5; // on given
              expect gfp.may_oom == false; }
            """;
        const string expected = """
            policy p extends linux-3.13 {
              gfp {
                may_oom    = false;  /*inline*/
                retry_wait = 40ms;
              } // after
              kswapd {
                wake  = true;
                sleep = base;  // on sleep
              }
            }

            test "t" {
              given order = 5; // on given
              expect gfp.may_oom == false;
            }

            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), Formatter.Format(source));
    }

    [Fact]
    public void A_file_with_syntax_errors_is_not_formatted()
    {
        Assert.Null(Formatter.Format("policy p { gfp { may_oom = ; } }"));
    }

    static string[] Comments(string source) =>
        SyntaxTree.Parse(source).Comments.Select(c => Regex.Replace(c.Text, @"\s+", " ")).Order().ToArray();
}
