namespace OrleansRing.Plugins.FaultyPlugins;

/// <summary>Which hook a faulty plugin misbehaves in.</summary>
internal enum FaultyHook
{
    Labels = 0,
    Contribution = 1,
    Transmitted = 2,
}
