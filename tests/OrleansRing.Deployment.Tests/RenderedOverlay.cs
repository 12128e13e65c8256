using k8s;
using k8s.Models;

namespace OrleansRing.Deployment.Tests;

/// <summary>Every object an overlay renders to, parsed into the Kubernetes client's typed models.</summary>
internal sealed class RenderedOverlay
{
    private static readonly Dictionary<string, RenderedOverlay> s_cache = [];
    private static readonly Lock s_gate = new();

    private RenderedOverlay(string name, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects)
    {
        Name = name;
        Objects = objects;
    }

    public string Name { get; }

    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects { get; }

    public V1Deployment Silo => Deployment("orleansring-silo");

    public V1Container SiloContainer => Assert.Single(Silo.Spec.Template.Spec.Containers, c => c.Name == "silo");

    public V1Job SweepJob => Single<V1Job>("orleansring-sweep");

    public V1ConfigMap Settings => Single<V1ConfigMap>("orleansring-config");

    /// <summary>Renders k8s/overlays/<paramref name="name"/> once per test run (kubectl takes about a second).</summary>
    public static RenderedOverlay Load(string name)
    {
        lock (s_gate)
        {
            if (!s_cache.TryGetValue(name, out var overlay))
            {
                var yaml = Kubectl.Kustomize(name);
                var parsed = KubernetesYaml.LoadAllFromString(yaml);
                var objects = new List<IKubernetesObject<V1ObjectMeta>>();
                foreach (var item in parsed)
                {
                    // An unknown kind would come back untyped: every kind used must be one the client models.
                    objects.Add(Assert.IsAssignableFrom<IKubernetesObject<V1ObjectMeta>>(item));
                }
                overlay = new RenderedOverlay(name, objects);
                s_cache[name] = overlay;
            }
            return overlay;
        }
    }

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T Single<T>(string name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        Assert.Single(Objects.OfType<T>(), o => o.Metadata.Name == name);

    public V1Deployment Deployment(string name) => Single<V1Deployment>(name);

    /// <summary>
    /// The environment a container sees, as far as the manifests fix it: ConfigMaps of envFrom, then env (which wins);
    /// a variable from the downward API or a Secret maps to its source, e.g. "fieldRef:status.podIP".
    /// </summary>
    public Dictionary<string, string> Environment(V1Container container)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            if (source.ConfigMapRef is { } reference)
            {
                foreach (var (key, value) in Single<V1ConfigMap>(reference.Name).Data)
                {
                    environment[key] = value;
                }
            }
        }
        foreach (var variable in container.Env ?? [])
        {
            environment[variable.Name] = variable.Value
                ?? (variable.ValueFrom?.FieldRef is { } field ? $"fieldRef:{field.FieldPath}"
                    : variable.ValueFrom?.SecretKeyRef is { } secret ? $"secretKeyRef:{secret.Name}/{secret.Key}"
                    : variable.ValueFrom?.ConfigMapKeyRef is { } map ? $"configMapKeyRef:{map.Name}/{map.Key}"
                    : "");
        }
        return environment;
    }

    /// <summary>The value of a configuration key for a container, looked up by its environment-variable name (case-insensitive, as .NET reads it).</summary>
    public string? Setting(V1Container container, string key) =>
        Environment(container).Where(e => DeploymentContract.Sets(e.Key, key)).Select(e => e.Value).LastOrDefault();
}
