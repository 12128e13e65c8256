using System.Text;
using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.Host;

/// <summary>Plugin lists for help text and error messages.</summary>
public static class PluginHelp
{
    /// <summary>One line: <c>name: description Parameters: ...</c></summary>
    public static string Describe(PluginDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var line = new StringBuilder();
        line.Append(descriptor.Name).Append(": ").Append(descriptor.Description);
        if (descriptor.RequiresHonestGradients)
        {
            line.Append(" (omniscient: sees the honest gradients)");
        }

        line.Append(' ').Append(ParameterBinder.DescribeParameters(descriptor));
        return line.ToString();
    }

    /// <summary>Every plugin of <paramref name="kind"/>, one <see cref="Describe"/> line each, sorted by name.</summary>
    public static string List(PluginCatalog catalog, PluginKind kind)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return string.Join(
            Environment.NewLine,
            catalog.Plugins.Where(p => p.Descriptor.Kind == kind).Select(p => Describe(p.Descriptor)));
    }
}
