namespace OrleansRing.Plugins.Host;

/// <summary>
/// A dedicated background thread that runs one piece of work at a time for a caller that waits with a time limit.
/// The work is a delegate fixed at construction, so a call allocates nothing. After a time-out the thread is
/// abandoned: .NET cannot abort a thread, so it finishes (or hangs) on its own and is never handed work again.
/// </summary>
internal sealed class HookThread
{
    private readonly Action _work;
    private readonly ManualResetEventSlim _start = new(initialState: false);
    private readonly ManualResetEventSlim _done = new(initialState: false);
    private Exception? _exception;
    private volatile bool _exit;

    public HookThread(string name, Action work)
    {
        _work = work;
        var thread = new Thread(Loop) { IsBackground = true, Name = name };
        thread.Start();
    }

    /// <summary>
    /// Runs the work once. False when it did not finish within <paramref name="limit"/> (the thread is then abandoned);
    /// otherwise true, with the work's exception, if any.
    /// </summary>
    public bool TryRun(TimeSpan limit, out Exception? exception)
    {
        _exception = null;
        _done.Reset();
        _start.Set();
        if (!_done.Wait(limit))
        {
            _exit = true;
            exception = null;
            return false;
        }

        exception = _exception;
        return true;
    }

    /// <summary>Lets an idle thread end; a busy (hung) one ends when its work returns.</summary>
    public void Stop()
    {
        _exit = true;
        _start.Set();
    }

    private void Loop()
    {
        while (true)
        {
            _start.Wait();
            _start.Reset();
            if (_exit)
            {
                return;
            }

            try
            {
                _work();
            }
            catch (Exception e)
            {
                // Handed back to the caller; an exception escaping here would end the process.
                _exception = e;
            }

            _done.Set();
        }
    }
}
