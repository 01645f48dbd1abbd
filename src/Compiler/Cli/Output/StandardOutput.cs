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
/// Console.Out with its write failures turned into <see cref="StandardOutputException"/>, so that the
/// command's top level can tell them from its own bugs.
/// </summary>
public sealed class GuardedStandardOutput(TextWriter inner) : TextWriter
{
    static int installed;

    /// <summary>
    /// Puts the guards around Console.Out and Console.Error, once (synchronized, as the consoles are:
    /// compare's runs share them).
    /// </summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) != 0)
            return;
        Console.SetOut(TextWriter.Synchronized(new GuardedStandardOutput(Console.Out)));
        Console.SetError(TextWriter.Synchronized(new StandardErrorThatCannotFail(Console.Error)));
    }

    public override System.Text.Encoding Encoding => inner.Encoding;

    public override void Write(char value) => Guard(() => inner.Write(value));

    public override void Write(char[] buffer, int index, int count) => Guard(() => inner.Write(buffer, index, count));

    public override void Write(string? value) => Guard(() => inner.Write(value));

    public override void WriteLine(string? value) => Guard(() => inner.WriteLine(value));

    public override void Flush() => Guard(inner.Flush);

    static void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StandardOutputException(e);
        }
    }
}

/// <summary>
/// Console.Error that drops what it cannot write (<c>2&gt; /dev/full</c>): there is nowhere left to
/// say so, and an exception here, raised while an error is being reported, aborted the process.
/// The exit code still tells what happened.
/// </summary>
sealed class StandardErrorThatCannotFail(TextWriter inner) : TextWriter
{
    public override System.Text.Encoding Encoding => inner.Encoding;

    public override void Write(char value) => Try(() => inner.Write(value));

    public override void Write(char[] buffer, int index, int count) => Try(() => inner.Write(buffer, index, count));

    public override void Write(string? value) => Try(() => inner.Write(value));

    public override void WriteLine(string? value) => Try(() => inner.WriteLine(value));

    public override void Flush() => Try(inner.Flush);

    static void Try(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
