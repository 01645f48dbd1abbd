using System.Text;
using Policyc.Runtime.Scenarios;

namespace Policyc.Runtime.Tests;

/// <summary>Scenario and sweep files are read as strictly as policies: UTF-8 only, and within a bound.</summary>
public sealed class InputTextTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("policyc-input-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Text_is_read_with_its_byte_order_mark_dropped()
    {
        string path = Write("s.toml", [.. Encoding.UTF8.Preamble, .. "base = \"small\"\n"u8]);
        Assert.Equal("base = \"small\"\n", InputText.Read(path, "the scenario file", out string? error));
        Assert.Null(error);
    }

    [Fact]
    public void A_byte_that_is_not_UTF8_is_refused_at_its_line_and_column()
    {
        string path = Write("s.toml", [.. "base = \"small\"\nmem = \"1G\" # "u8, 0xFF, (byte)'\n']);
        Assert.Null(InputText.Read(path, "the scenario file", out string? error));
        Assert.Equal($"{path}(2,14): cannot read the scenario file: the file is not UTF-8 text: byte 0xFF at offset 28 does not belong to a UTF-8 sequence", error);
    }

    [Fact]
    public void A_file_past_the_bound_and_a_directory_are_refused_by_name()
    {
        string big = Write("big.toml", Encoding.ASCII.GetBytes(new string('#', InputText.MaxBytes + 1)));
        Assert.Null(InputText.Read(big, "the sweep file", out string? tooLarge));
        Assert.Equal($"{big}: cannot read the sweep file: the file has more than {InputText.MaxBytes} bytes", tooLarge);

        Assert.Null(InputText.Read(directory, "the sweep file", out string? isDirectory));
        Assert.EndsWith("cannot read the sweep file: it is a directory", isDirectory);
    }
}
