namespace Policyc.Compiler.Syntax;

/// <summary>The unqualified names an expression mentions (<c>BIG_ORDER</c>, not <c>zone.free</c>).</summary>
public static class ExpressionNames
{
    /// <summary>The names the values of the tests' <c>given</c> and <c>expect</c> statements mention.</summary>
    public static IReadOnlySet<string> InTests(IEnumerable<TestSyntax> tests)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var statement in tests.SelectMany(t => t.Statements))
        {
            if (statement is GivenSyntax given)
                foreach (var item in given.Items)
                    Add(item.Value, names);
            else if (statement is ExpectSyntax { Value: { } value })
                Add(value, names);
        }
        return names;
    }

    static void Add(ExpressionSyntax expression, HashSet<string> names)
    {
        switch (expression)
        {
            case NameExpressionSyntax { Group: null } name:
                names.Add(name.Name.Text);
                break;
            case ParenthesizedSyntax p:
                Add(p.Inner, names);
                break;
            case CallSyntax call:
                foreach (var argument in call.Arguments)
                    Add(argument, names);
                break;
            case UnitSyntax unit:
                Add(unit.Operand, names);
                break;
            case UnarySyntax unary:
                Add(unary.Operand, names);
                break;
            case BinarySyntax binary:
                Add(binary.Left, names);
                Add(binary.Right, names);
                break;
            case ConditionalSyntax conditional:
                Add(conditional.Condition, names);
                Add(conditional.WhenTrue, names);
                Add(conditional.WhenFalse, names);
                break;
        }
    }
}
