namespace Policyc.Robustness.Tests.Support;

/// <summary>
/// A temporary directory, removed on dispose, holding a copy of linux-3.13.rpol so that policies
/// written there can extend it by name.
/// </summary>
sealed class ScratchDirectory : IDisposable
{
    public ScratchDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "policyc-robust-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
        File.Copy(Repository.Linux313, Combine("linux-3.13.rpol"));
    }

    public string Path { get; }

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        string path = Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    public string WriteBytes(string name, byte[] bytes)
    {
        string path = Combine(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
