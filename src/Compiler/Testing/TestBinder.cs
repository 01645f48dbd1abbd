using Policyc.Compiler.Binding;
using Policyc.Compiler.Diagnostics;
using Policyc.Compiler.Syntax;
using Policyc.Compiler.Text;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Scenarios;
using Policyc.Runtime.Text;

namespace Policyc.Compiler.Testing;

/// <summary>
/// Binds test blocks against the policy they test: given fields against <see cref="ContextSymbols"/>,
/// expectation targets against <see cref="HookCatalog"/> (or <see cref="RunMetric"/> in a scenario
/// test), values as constant expressions in the policy's scope with units checked.
/// </summary>
public sealed class TestBinder
{
    /// <summary>Not a context field: how the zone's free pages are split into buddy blocks.</summary>
    public const string MaxFreeOrder = "zone.max_free_order";

    static readonly string[] ScenarioKeys = ["scenario", "seed", "duration", "nodes"];

    readonly SourceText text;
    readonly BoundPolicy policy;
    readonly DiagnosticBag diagnostics;

    TestBinder(SourceText text, BoundPolicy policy, DiagnosticBag diagnostics)
    {
        this.text = text;
        this.policy = policy;
        this.diagnostics = diagnostics;
    }

    public static IReadOnlyList<BoundTest> Bind(SyntaxTree tree, BoundPolicy policy, DiagnosticBag diagnostics)
    {
        var binder = new TestBinder(tree.Text, policy, diagnostics);
        var first = new Dictionary<string, TestSyntax>(StringComparer.Ordinal);
        foreach (var test in tree.Tests)
            if (!first.TryAdd(test.Name.Value, test))
                diagnostics.ReportDuplicateTest(binder.At(test.Name.Span), test.Name.Value, tree.Text.GetLinePosition(first[test.Name.Value].Name.Span.Start));
        return tree.Tests.Select(binder.BindTest).OfType<BoundTest>().ToArray();
    }

    TextLocation At(TextSpan span) => new(text, span);

    /// <summary>
    /// The field a given sets, by its full name: <c>order</c> and <c>request.order</c> are one field,
    /// so giving both is giving it twice.
    /// </summary>
    static string FieldGiven(GivenItemSyntax item) =>
        FieldOf(item) is { } field ? $"{field.Group.Name}.{field.Name}" : item.FullName;

    /// <summary>The context field a given sets, written with its group or (for the request) without; null if none.</summary>
    static FieldSymbol? FieldOf(GivenItemSyntax item) => item.Group is null
        ? ContextSymbols.FindUnqualifiedField(item.Name.Text)
        : ContextSymbols.FindGroup(item.Group.Text) is { } group ? ContextSymbols.FindField(group, item.Name.Text) : null;

    BoundTest? BindTest(TestSyntax test)
    {
        int errorsBefore = diagnostics.Count(d => d.IsError);
        var items = test.Statements.OfType<GivenSyntax>().SelectMany(g => g.Items).ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
            if (!seen.Add(FieldGiven(item)))
                diagnostics.ReportDuplicateGiven(At(item.Span), item.FullName);

        bool isScenario = items.Any(i => i.FullName == "scenario");
        ScenarioRun? scenario = null;
        var givens = new List<BoundGiven>();
        if (isScenario)
            scenario = BindScenario(items);
        else
            foreach (var item in items)
                if (BindGiven(item) is { } given)
                    givens.Add(given);

        var expectations = new List<BoundExpectation>();
        foreach (var expect in test.Statements.OfType<ExpectSyntax>())
            if (BindExpectation(expect, isScenario) is { } bound)
                expectations.Add(bound);
        if (!test.Statements.OfType<ExpectSyntax>().Any())
            diagnostics.ReportEmptyTest(At(test.Name.Span), test.Name.Value);

        if (diagnostics.Count(d => d.IsError) > errorsBefore)
            return null;
        return new BoundTest(test.Name.Value, test, text, policy, givens, expectations, scenario);
    }

    ScenarioRun? BindScenario(GivenItemSyntax[] items)
    {
        string? name = null;
        ulong? seed = null;
        long? duration = null;
        int? nodes = null;
        GivenItemSyntax? nodesItem = null;
        foreach (var item in items)
        {
            switch (item.FullName)
            {
                case "scenario":
                    if (item.Value is NameExpressionSyntax { Group: null } n && BuiltinScenarios.Names.Contains(n.Name.Text))
                        name = n.Name.Text;
                    else
                        diagnostics.ReportScenarioTestMix(At(item.Value.Span),
                            $"'scenario' must name a built-in scenario ({string.Join(", ", BuiltinScenarios.Names)})");
                    break;
                case "seed":
                    if (Constant(item.Value, PolicyType.Count, "the seed") is long s)
                    {
                        if (s >= 0)
                            seed = (ulong)s;
                        else
                            diagnostics.ReportScenarioTestMix(At(item.Value.Span), "the seed must not be negative");
                    }
                    break;
                case "duration":
                    if (Constant(item.Value, PolicyType.Duration, "the duration") is long d)
                    {
                        if (d > 0)
                            duration = d;
                        else
                            diagnostics.ReportScenarioTestMix(At(item.Value.Span), "the duration must be positive");
                    }
                    break;
                case "nodes":
                    if (Constant(item.Value, PolicyType.Count, "the node count") is long count)
                    {
                        nodes = (int)Math.Clamp(count, int.MinValue, int.MaxValue);
                        nodesItem = item;
                    }
                    break;
                default:
                    // A scenario field other than those four is a machine of its own: it belongs in a scenario, not a test.
                    diagnostics.ReportScenarioTestMix(At(item.Span),
                        $"a scenario test gives only scenario, seed, duration and nodes; '{item.FullName}' "
                        + (ScenarioOverrides.IsKnownKey(item.FullName)
                            ? "is a scenario setting, for `run`, `compare` and `sweep` (--set, or a scenario file)"
                            : "belongs in a decision test"));
                    break;
            }
        }
        if (name is not null && nodes is int nodeCount && nodesItem is not null)
        {
            // The machine must be possible with that many nodes (at most 8, and a CPU for each).
            var problems = (BuiltinScenarios.Get(name) with { Nodes = nodeCount }).Problems();
            if (problems.Count > 0)
            {
                diagnostics.ReportScenarioTestMix(At(nodesItem.Value.Span), string.Join("; ", problems.Select(p => $"{p.Field}: {p.Message}")));
                return null;
            }
        }
        return name is null ? null : new ScenarioRun(name, seed, duration, nodes);
    }

    BoundGiven? BindGiven(GivenItemSyntax item)
    {
        if (item.FullName == MaxFreeOrder)
        {
            if (Constant(item.Value, PolicyType.Count, $"'{MaxFreeOrder}'") is not long order)
                return null;
            if (order is < 0 or > NeutralContext.MaxOrder)
            {
                diagnostics.ReportInvalidExpectation(At(item.Value.Span), $"'{MaxFreeOrder}' must be an order from 0 to {NeutralContext.MaxOrder}");
                return null;
            }
            return new BoundGiven(MaxFreeOrder, null, order, item.Span);
        }
        if (ScenarioKeys.Contains(item.FullName))
        {
            diagnostics.ReportScenarioTestMix(At(item.Span), $"'{item.FullName}' belongs in a scenario test, which starts with 'given scenario = NAME'");
            return null;
        }
        FieldSymbol? field = FieldOf(item);
        if (field is null)
        {
            var names = ContextSymbols.Fields.Select(f => f.Group.Unqualified ? f.Name : $"{f.Group.Name}.{f.Name}").Append(MaxFreeOrder);
            diagnostics.ReportUnknownGivenField(At(item.Span.Start == item.Name.Span.Start ? item.Name.Span : TextSpan.FromBounds(item.Group!.Span.Start, item.Name.Span.End)),
                item.FullName, Spelling.Suggest(item.FullName, names));
            return null;
        }
        if (Constant(item.Value, field.Type, $"'{item.FullName}'") is not long value)
            return null;
        // A test of a state the kernel cannot be in proves nothing: an order of 11, negative free pages.
        if (field.Type is not (PolicyType.Bool or PolicyType.Gfp) && (value < field.Min || value > field.Max))
        {
            diagnostics.ReportInvalidExpectation(At(item.Value.Span), field.Max == long.MaxValue
                ? $"'{item.FullName}' is never below {field.Min}"
                : $"'{item.FullName}' is from {field.Min} to {field.Max}");
            return null;
        }
        return new BoundGiven(item.FullName, field, value, item.Span);
    }

    BoundExpectation? BindExpectation(ExpectSyntax expect, bool isScenario)
    {
        var target = isScenario ? BindMetric(expect.Target) : BindHook(expect.Target);
        if (target is null)
            return null;
        if (expect.Verb is { } verb)
            return BindVerb(expect, verb, target);

        var comparison = expect.Operator switch
        {
            "==" => Comparison.Equal,
            "!=" => Comparison.NotEqual,
            "<" => Comparison.Less,
            "<=" => Comparison.LessOrEqual,
            ">" => Comparison.Greater,
            _ => Comparison.GreaterOrEqual,
        };
        bool ordered = comparison is not (Comparison.Equal or Comparison.NotEqual);
        bool isVerdict = target is MetricTarget { Metric.Name: "verdict" };
        if (ordered && (isVerdict || target.Type is PolicyType.Bool or PolicyType.Gfp or PolicyType.ShrinkAction))
        {
            diagnostics.ReportInvalidExpectation(At(expect.Span), $"'{expect.Operator}' does not order {(isVerdict ? "verdicts" : new BoundType(target.Type).ToString())}; use == or !=");
            return null;
        }
        if (isVerdict)
        {
            int index = expect.Value is NameExpressionSyntax { Group: null } v ? RunMetric.Verdicts.ToList().IndexOf(v.Name.Text) : -1;
            if (index < 0)
            {
                diagnostics.ReportInvalidExpectation(At(expect.Value!.Span), $"a verdict is one of {string.Join(", ", RunMetric.Verdicts)}");
                return null;
            }
            return new BoundExpectation(target, comparison, index, expect.Span);
        }
        return Constant(expect.Value!, target.Type, $"the expected value of '{target.Display}'") is long expected
            ? new BoundExpectation(target, comparison, expected, expect.Span)
            : null;
    }

    /// <summary><c>expect shrinker "sb-xfs" defers;</c> is <c>action == defer</c>.</summary>
    BoundExpectation? BindVerb(ExpectSyntax expect, NameSyntax verb, ExpectationTarget target)
    {
        ShrinkAction? action = verb.Text switch { "runs" => ShrinkAction.Run, "defers" => ShrinkAction.Defer, "skips" => ShrinkAction.Skip, _ => null };
        if (action is null || target is not HookTarget { Hook.Id: HookId.ShrinkerAction } || expect.Target.Second is not null)
        {
            diagnostics.ReportInvalidExpectation(At(verb.Span),
                $"'{verb.Text}': write 'expect shrinker \"NAME\" runs|defers|skips;' or 'expect RULE == VALUE;'");
            return null;
        }
        return new BoundExpectation(target, Comparison.Equal, (long)action.Value, expect.Span);
    }

    ExpectationTarget? BindMetric(RuleRefSyntax target)
    {
        if (target.Pattern is null && target.Second is null && RunMetric.Find(target.First.Text) is { } metric)
            return new MetricTarget(metric);
        diagnostics.ReportUnknownTestTarget(At(target.Span), target.ToString(), "metric of a scenario test",
            Spelling.Suggest(target.ToString(), RunMetric.All.Select(m => m.Name)));
        return null;
    }

    ExpectationTarget? BindHook(RuleRefSyntax target)
    {
        if (target.First.Text == "shrinker")
        {
            if (target.Pattern is null)
            {
                diagnostics.ReportInvalidExpectation(At(target.Span), "name the shrinker: shrinker \"sb-xfs\"");
                return null;
            }
            string hookName = target.Second?.Text ?? "action";
            if (HookCatalog.Find(PolicySection.Shrinker, hookName) is not { } shrinkerHook)
            {
                diagnostics.ReportUnknownTestTarget(At(target.Second!.Span), hookName, "shrinker rule",
                    Spelling.Suggest(hookName, HookCatalog.All.Where(h => h.Section == PolicySection.Shrinker).Select(h => h.Name)));
                return null;
            }
            return new HookTarget(shrinkerHook, target.Pattern.Value);
        }
        if (target.Pattern is not null)
        {
            diagnostics.ReportInvalidExpectation(At(target.Pattern.Span), "only a shrinker rule names a shrinker");
            return null;
        }
        IReadOnlyList<HookDescriptor> candidates;
        if (target.Second is { } name)
        {
            candidates = HookCatalog.TryParseSection(target.First.Text, out var section) && HookCatalog.Find(section, name.Text) is { } h
                ? [h] : [];
        }
        else
            candidates = HookCatalog.All.Where(h => h.Name == target.First.Text && h.Section != PolicySection.Shrinker).ToArray();
        if (candidates.Count == 1)
            return new HookTarget(candidates[0], null);
        if (candidates.Count > 1)
        {
            diagnostics.ReportAmbiguousTestTarget(At(target.Span), target.ToString(), candidates.Select(c => c.QualifiedName));
            return null;
        }
        var names = HookCatalog.All.Where(h => h.Section != PolicySection.Shrinker).Select(h => h.QualifiedName);
        diagnostics.ReportUnknownTestTarget(At(target.Span), target.ToString(), "rule",
            Spelling.Suggest(target.ToString(), names.Concat(HookCatalog.All.Select(h => h.Name))));
        return null;
    }

    /// <summary>A value known without a context, of the given type (an error otherwise).</summary>
    long? Constant(ExpressionSyntax syntax, PolicyType type, string what)
    {
        var bound = Binder.BindValue(text, syntax, policy, diagnostics);
        if (bound.Type.IsError)
            return null;
        if (bound is not BoundLiteral literal)
        {
            diagnostics.ReportContextInConstant(At(syntax.Span), text.ToString(syntax.Span));
            return null;
        }
        if (literal.Type.Policy != type)
        {
            diagnostics.ReportWrongType(At(syntax.Span), what, new BoundType(type).ToString(), literal.Type.ToString());
            return null;
        }
        return literal.Value;
    }
}
