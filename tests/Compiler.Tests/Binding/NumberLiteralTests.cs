using Policyc.Compiler.Binding;
using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Tests.Binding;

/// <summary>What a number's text means, and why a bad one is refused: the message is all the user sees.</summary>
public class NumberLiteralTests
{
    [Theory]
    [InlineData("1_000", PolicyType.Count, 1000)]
    [InlineData("0x80", PolicyType.Count, 0x80)]
    [InlineData("0X7fff_ffff_ffff_ffff", PolicyType.Count, long.MaxValue)]
    [InlineData("4k", PolicyType.Bytes, 4096)]
    [InlineData("2.8G", PolicyType.Bytes, 3006477107)]
    [InlineData("0.7k", PolicyType.Bytes, 717)] // 716.8 bytes: to the nearest byte, not down
    [InlineData("20ms", PolicyType.Duration, 20_000_000)]
    [InlineData("25%", PolicyType.Percent, 25)]
    public void Reads_a_number_with_its_unit(string text, PolicyType type, long value)
    {
        Assert.True(NumberLiteral.TryParse(text, out var parsedType, out var parsed, out var error), error);
        Assert.Equal(type, parsedType.Policy);
        Assert.Equal(value, parsed);
    }

    [Theory]
    [InlineData("0x", "'0x' must be followed by hexadecimal digits")]
    [InlineData("0x_", "'0x' must be followed by hexadecimal digits")]
    [InlineData("0X", "'0X' must be followed by hexadecimal digits")]
    [InlineData("0x8000000000000000", "too large")]
    [InlineData("0xfffffffffffffffff", "too large")]
    [InlineData("0x12g", "not a hexadecimal number")]
    [InlineData("18446744073709551615", "too large")]
    [InlineData("1.5", "a count must be a whole number")]
    [InlineData("1.5ns", "not a whole number of the smallest unit")]
    [InlineData("1__0", "a '_' may only stand between digits")]
    [InlineData("1_.5k", "a '_' may only stand between digits")]
    [InlineData("1._5k", "a '_' may only stand between digits")]
    public void Says_why_a_number_is_refused(string text, string expected)
    {
        Assert.False(NumberLiteral.TryParse(text, out _, out _, out var error));
        Assert.Equal(expected, error);
    }
}
