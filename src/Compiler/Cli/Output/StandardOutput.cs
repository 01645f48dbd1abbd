namespace Policyc.Cli.Output;

/// <summary>
/// Standard output that could not be written: a full disk or device (<c>&gt; /dev/full</c>) or a
/// closed descriptor (<c>&gt;&amp;-</c>). A user's setup, not a bug in policyc: one line, exit 1.
/// (A closed pipe, as in <c>| head</c>, is no error: .NET drops what the reader no longer wants.)
/// </summary>
public sealed class StandardOutputException(Exception inner)
    : Exception("cannot write to standard output: " + Reason(inner), inner)
{
    static string Reason(Exception e) => e is UnauthorizedAccessException ? "it is closed or not writable" : e.Message;
}

/// <summary>
/// The console's two writers with their write failures handled, so that the command's top level
/// can tell them from its own bugs. Console.Out's become a <see cref="StandardOutputException"/>.
/// Console.Error's are dropped: there is nowhere left to say so, and an exception there, raised while
/// an error is being reported, aborted the process (<c>2&gt; /dev/full</c>); the exit code still tells.
/// </summary>
public sealed class GuardedStandardOutput(TextWriter inner, Action<Exception> failed) : TextWriter
{
    static int installed;

    /// <summary>Puts the guards around Console.Out and Console.Error, once (synchronized, as the consoles are: compare's runs share them).</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) != 0)
            return;
        Console.SetOut(TextWriter.Synchronized(new GuardedStandardOutput(Console.Out, e => throw new StandardOutputException(e))));
        Console.SetError(TextWriter.Synchronized(new GuardedStandardOutput(Console.Error, _ => { })));
    }

    public override System.Text.Encoding Encoding => inner.Encoding;

    public override void Write(char value) => Guard(() => inner.Write(value));

    public override void Write(char[] buffer, int index, int count) => Guard(() => inner.Write(buffer, index, count));

    public override void Write(string? value) => Guard(() => inner.Write(value));

    public override void WriteLine(string? value) => Guard(() => inner.WriteLine(value));

    public override void Flush() => Guard(inner.Flush);

    void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failed(e);
        }
    }
}
