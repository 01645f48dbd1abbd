using System.CommandLine;
using System.Globalization;

namespace Policyc.Cli.Commands;

/// <summary>
/// Numeric flags with messages a person can read: "--jobs many: expected a whole number from 1"
/// rather than the parser's "as expected type 'System.Nullable`1[System.Int32]'". Still a usage
/// error (exit 2).
/// </summary>
static class NumberOptions
{
    public static Option<int?> Count(string name, string[] aliases, string description, string helpName, int minimum) =>
        Parsed(new Option<int?>(name, aliases) { Description = description, HelpName = helpName },
            $"a whole number from {minimum}",
            text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= minimum ? n : null);

    public static Option<ulong?> Seed(string description) =>
        Parsed(new Option<ulong?>("--seed") { Description = description, HelpName = "N" },
            "a whole number from 0",
            text => ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n) ? n : null);

    public static Option<double?> Percentage(string name, string description) =>
        Parsed(new Option<double?>(name) { Description = description, HelpName = "PERCENT" },
            "a percentage from 0 to 100",
            text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d is >= 0 and <= 100 ? d : null);

    /// <summary>Gives <paramref name="option"/> a parser that returns null for text it does not take.</summary>
    static Option<T?> Parsed<T>(Option<T?> option, string expected, Func<string, T?> parse) where T : struct
    {
        option.CustomParser = result =>
        {
            string text = string.Join(" ", result.Tokens.Select(t => t.Value));
            if (parse(text) is { } value)
                return value;
            result.AddError($"{option.Name} {text}: expected {expected}");
            return null;
        };
        return option;
    }
}
