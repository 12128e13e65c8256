using OrleansRing.Plugins.Abstractions;
using OrleansRing.Plugins.Host;

namespace OrleansRing.Plugins.Tests;

/// <summary>The built-in defences as raw instances (loaded from artifacts/plugins like the host does), for arithmetic tests.</summary>
internal static class Defences
{
    public static IDefence Create(string selection)
    {
        var parsed = PluginSelection.Parse(selection);
        var plugin = Catalogs.BuiltIn.Get(parsed.Name, PluginKind.Defence);
        return ((IDefenceFactory)plugin.Factory).Create(Catalogs.BuiltIn.Bind(parsed, PluginKind.Defence));
    }

    public static ChunkedReductionResult Reduce(string selection, float[][] vectors) =>
        ChunkedReduction.Run(() => Create(selection), vectors);

    public static DefenceContext Context(int rank, int worldSize, DetectionSink? sink = null, long iteration = 0) =>
        new(rank, worldSize, iteration, 7, sink ?? new DetectionSink(worldSize));

    public static double SquaredDistance(float[] a, float[] b) => a.Zip(b, (x, y) => ((double)x - y) * ((double)x - y)).Sum();

    public static float[] Mean(IEnumerable<float[]> vectors)
    {
        var list = vectors.ToList();
        return [.. Enumerable.Range(0, list[0].Length).Select(k => (float)(list.Sum(v => (double)v[k]) / list.Count))];
    }
}
