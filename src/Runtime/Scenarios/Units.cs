using System.Globalization;

namespace Policyc.Runtime.Scenarios;

/// <summary>
/// Parses the quantities scenarios are written in: sizes (4G, 128M, 64k, 497976K; binary multiples),
/// durations (3600s, 2h, 20ms, 90m = minutes, 1500us, 10ns) and counts (2M, 500k: decimal multiples).
/// </summary>
public static class Units
{
    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        var (number, suffix) = Split(text);
        if (number is null)
            return false;
        long multiplier = suffix.ToLowerInvariant() switch
        {
            "" or "b" => 1,
            "k" or "kb" or "kib" => 1L << 10,
            "m" or "mb" or "mib" => 1L << 20,
            "g" or "gb" or "gib" => 1L << 30,
            "t" or "tb" or "tib" => 1L << 40,
            _ => 0,
        };
        return multiplier != 0 && TryScale(number, multiplier, out bytes);
    }

    public static bool TryParseDuration(string text, out long nanoseconds)
    {
        nanoseconds = 0;
        var (number, suffix) = Split(text);
        if (number is null)
            return false;
        long multiplier = suffix.ToLowerInvariant() switch
        {
            "ns" => 1,
            "us" or "µs" => 1_000,
            "ms" => 1_000_000,
            "" or "s" => 1_000_000_000,
            "m" or "min" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => 0,
        };
        return multiplier != 0 && TryScale(number, multiplier, out nanoseconds);
    }

    public static bool TryParseCount(string text, out long count)
    {
        count = 0;
        var (number, suffix) = Split(text);
        if (number is null)
            return false;
        long multiplier = suffix switch
        {
            "" => 1,
            "k" or "K" => 1_000,
            "M" or "m" => 1_000_000,
            "G" or "g" => 1_000_000_000,
            _ => 0,
        };
        return multiplier != 0 && TryScale(number, multiplier, out count);
    }

    public static string FormatSize(long bytes)
    {
        foreach (var (unit, shift) in new[] { ("T", 40), ("G", 30), ("M", 20), ("K", 10) })
            if (bytes >= 1L << shift && bytes % (1L << shift) == 0)
                return $"{bytes >> shift}{unit}";
        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    public static string FormatDuration(long ns) =>
        ns % 3_600_000_000_000 == 0 && ns > 0 ? $"{ns / 3_600_000_000_000}h"
        : ns % 1_000_000_000 == 0 ? $"{ns / 1_000_000_000}s"
        : ns % 1_000_000 == 0 ? $"{ns / 1_000_000}ms"
        : $"{ns}ns";

    static (string? Number, string Suffix) Split(string text)
    {
        text = text.Trim().Replace("_", "", StringComparison.Ordinal);
        int i = 0;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            i++;
        if (i == 0)
            return (null, "");
        return (text[..i], text[i..].Trim());
    }

    static bool TryScale(string number, long multiplier, out long value)
    {
        value = 0;
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d))
            return false;
        decimal scaled = d * multiplier;
        if (scaled > long.MaxValue || scaled != decimal.Truncate(scaled))
            return false;
        value = (long)scaled;
        return true;
    }
}
