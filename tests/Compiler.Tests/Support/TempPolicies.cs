namespace Policyc.Compiler.Tests.Support;

/// <summary>
/// A scratch directory holding a copy of the shipped linux-3.13 policy, so tests can write derived
/// policies beside it (extends by name finds the base next to the file).
/// </summary>
sealed class TempPolicies : IDisposable
{
    public TempPolicies()
    {
        Directory = Path.Combine(Path.GetTempPath(), "policyc-tests-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
        File.Copy(Repository.Linux313, Path.Combine(Directory, "linux-3.13.rpol"));
    }

    public string Directory { get; }

    public string Write(string fileName, string text)
    {
        string path = Path.Combine(Directory, fileName);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
