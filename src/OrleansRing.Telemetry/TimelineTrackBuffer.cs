namespace OrleansRing.Telemetry;

/// <summary>The spans recorded for one track, up to a capacity; spans past it are counted, not kept.</summary>
internal sealed class TimelineTrackBuffer(int capacity)
{
    private readonly Lock _lock = new();
    private List<TimelineEvent> _events = [];
    private long _dropped;

    public void Add(TimelineEvent e)
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

    public (List<TimelineEvent> Events, long Dropped) Take()
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
