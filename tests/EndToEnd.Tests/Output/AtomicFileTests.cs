using Policyc.Cli;
using Policyc.Cli.Output;

namespace Policyc.EndToEnd.Tests.Output;

public sealed class AtomicFileTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("policyc-atomic-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Writes_the_new_content_and_leaves_no_temporary_file()
    {
        var path = Path.Combine(directory, "out.json");
        File.WriteAllText(path, "old");
        AtomicFile.WriteAllText(path, "new");
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(["out.json"], Directory.GetFiles(directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Devices_pipes_and_links_to_them_are_told_from_regular_files()
    {
        Assert.False(FileKind.IsSpecial(Path.Combine(directory, "missing")));
        Assert.False(FileKind.IsSpecial(directory));
        var regular = Path.Combine(directory, "regular");
        File.WriteAllText(regular, "x");
        Assert.False(FileKind.IsSpecial(regular));
        if (!OperatingSystem.IsLinux())
            return;
        Assert.True(FileKind.IsSpecial("/dev/null"));
        var link = Path.Combine(directory, "null-link");
        File.CreateSymbolicLink(link, "/dev/null");
        Assert.True(FileKind.IsSpecial(link));
        Assert.True(FileKind.IsSpecial(MakeFifo("pipe")));
    }

    [Fact]
    public async Task A_pipe_is_written_into_not_replaced_by_a_regular_file()
    {
        // The rename over a device or a pipe replaced it: `--json /dev/null` run as root put a
        // regular file where /dev/null was. A pipe shows the same without touching the machine.
        if (!OperatingSystem.IsLinux())
            return;
        var fifo = MakeFifo("report.json");
        var reader = Task.Run(() => File.ReadAllText(fifo));
        var writer = Task.Run(() => AtomicFile.WriteAllText(fifo, "{\"verdict\":\"livelock\"}"));
        var both = Task.WhenAll(reader, writer);
        Assert.True(await Task.WhenAny(both, Task.Delay(TimeSpan.FromSeconds(30))) == both, "the write into the pipe did not finish");
        Assert.Equal("{\"verdict\":\"livelock\"}", await reader);
        Assert.True(FileKind.IsSpecial(fifo), "the pipe was replaced");
        Assert.Equal(["report.json"], Directory.GetFileSystemEntries(directory).Select(Path.GetFileName));
    }

    string MakeFifo(string name)
    {
        var path = Path.Combine(directory, name);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", path))
            mkfifo.WaitForExit();
        Assert.True(File.Exists(path), "mkfifo did not create the pipe");
        return path;
    }

    [Fact]
    public void A_name_near_the_file_systems_limit_leaves_room_for_the_temporary_name()
    {
        // The temporary name added 45 bytes to the target's, so a 240-byte name could not be written.
        var path = Path.Combine(directory, new string('b', 240) + ".json");
        AtomicFile.WriteAllText(path, "{}");
        Assert.Equal("{}", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(directory));
    }

    [Fact]
    public void A_writer_that_fails_half_way_keeps_the_previous_file()
    {
        var path = Path.Combine(directory, "out.json");
        File.WriteAllText(path, "previous run");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("{\"verdict\":"u8);
            throw new InvalidOperationException("simulated crash while writing");
        }));
        Assert.Equal("previous run", File.ReadAllText(path));
        Assert.Equal(["out.json"], Directory.GetFiles(directory).Select(Path.GetFileName));
    }

    [Fact]
    public void A_replaced_file_keeps_its_permissions_and_a_link_keeps_pointing_at_it()
    {
        // The rename used to leave a fresh 0644 file, and to put a regular file where a link was
        // (fmt on a symlinked policy cut the link).
        if (OperatingSystem.IsWindows())
            return;
        var target = Path.Combine(directory, "policy.rpol");
        File.WriteAllText(target, "old");
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead);
        var link = Path.Combine(directory, "link.rpol");
        File.CreateSymbolicLink(link, "policy.rpol");

        AtomicFile.WriteAllText(link, "new");

        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal("policy.rpol", new FileInfo(link).LinkTarget);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead, File.GetUnixFileMode(target));
        Assert.Equal(["link.rpol", "policy.rpol"], Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_missing_directory_is_a_clear_error()
    {
        var path = Path.Combine(directory, "no-such-dir", "out.json");
        var error = Assert.Throws<CliException>(() => AtomicFile.WriteAllText(path, "x"));
        Assert.Contains("does not exist", error.Message);
        Assert.Equal(ExitCodes.Failure, error.ExitCode);
    }

    [Fact]
    public void A_writable_directory_has_no_reason_against_it_and_keeps_no_probe()
    {
        Assert.Null(AtomicFile.CannotCreateIn(directory));
        Assert.Empty(Directory.GetFileSystemEntries(directory));
    }

    [Fact]
    public void A_write_that_fails_names_the_file_asked_for_not_the_temporary_one()
    {
        var error = Assert.Throws<CliException>(() => AtomicFile.WriteAllText("/proc/policyc-out.json", "x"));
        Assert.Contains("/proc/policyc-out.json: cannot write", error.Message);
        Assert.DoesNotContain(".tmp", error.Message);
    }
}
