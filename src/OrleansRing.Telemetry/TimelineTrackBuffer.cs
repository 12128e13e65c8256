using System.Diagnostics;

namespace OrleansRing.Telemetry;

/// <summary>
/// The spans recorded for one track, up to a capacity; spans past it are counted, not kept. It keeps the stopped
/// activities themselves, so that turning them into timeline events happens when they are taken, off the ring's path.
/// </summary>
internal sealed class TimelineTrackBuffer(int capacity)
{
    private readonly Lock _lock = new();
    private List<Activity> _events = [];
    private long _dropped;

    public void Add(Activity e)
    {
        lock (_lock)
        {
            if (_events.Count < capacity)
            {
                _events.Add(e);
            }
            else
            {
                _dropped++;
            }
        }
    }

    public (List<Activity> Spans, long Dropped) Take()
    {
        lock (_lock)
        {
            var taken = (_events, _dropped);
            _events = [];
            _dropped = 0;
            return taken;
        }
    }
}
