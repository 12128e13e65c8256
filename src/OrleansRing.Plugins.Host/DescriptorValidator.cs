using System.Text.RegularExpressions;
using OrleansRing.Plugins.Abstractions;

namespace OrleansRing.Plugins.Host;

/// <summary>Checks a descriptor when its plugin loads, so a broken plugin fails at start-up, not mid-run.</summary>
internal static partial class DescriptorValidator
{
    public static void Validate(PluginDescriptor? descriptor, IPluginFactory factory, string source)
    {
        var type = factory.GetType().FullName;
        if (descriptor is null)
        {
            throw new PluginLoadException($"Plugin factory {type} in {source} returned a null Descriptor.");
        }

        if (string.IsNullOrEmpty(descriptor.Name) || !KebabCase().IsMatch(descriptor.Name))
        {
            throw new PluginLoadException(
                $"Plugin factory {type} in {source} is named '{descriptor.Name}'; names are kebab-case (lower-case words joined by '-', e.g. gradient-flipping).");
        }

        if (string.IsNullOrWhiteSpace(descriptor.Description))
        {
            throw new PluginLoadException($"Plugin '{descriptor.Name}' ({source}) has no description.");
        }

        switch (descriptor.Kind)
        {
            case PluginKind.Attack when factory is not IAttackFactory:
                throw new PluginLoadException($"Plugin '{descriptor.Name}' ({source}) is an attack but {type} does not implement {nameof(IAttackFactory)}.");
            case PluginKind.Defence when factory is not IDefenceFactory:
                throw new PluginLoadException($"Plugin '{descriptor.Name}' ({source}) is a defence but {type} does not implement {nameof(IDefenceFactory)}.");
            case PluginKind.Attack:
            case PluginKind.Defence:
                break;
            default:
                throw new PluginLoadException($"Plugin '{descriptor.Name}' ({source}) has unknown kind {descriptor.Kind}.");
        }

        if (descriptor.Parameters is null)
        {
            throw new PluginLoadException($"Plugin '{descriptor.Name}' ({source}) has null Parameters; use an empty list.");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in descriptor.Parameters)
        {
            if (parameter is null)
            {
                throw new PluginLoadException($"Plugin '{descriptor.Name}' ({source}) lists a null parameter.");
            }

            if (!KebabCase().IsMatch(parameter.Name))
            {
                throw new PluginLoadException($"Plugin '{descriptor.Name}' ({source}): parameter '{parameter.Name}' is not kebab-case.");
            }

            if (!seen.Add(parameter.Name))
            {
                throw new PluginLoadException($"Plugin '{descriptor.Name}' ({source}) declares parameter '{parameter.Name}' twice.");
            }
        }
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex KebabCase();
}
