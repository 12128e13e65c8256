using k8s.Models;

namespace OrleansRing.Deployment.Tests;

/// <summary>
/// What an ingress NetworkPolicy admits, evaluated as Kubernetes does for the parts our manifests use: pod selectors
/// by labels in the policy's namespace, ports by number or container-port name, a rule without sources or ports
/// admitting all of them. Anything else (expressions, namespace selectors, IP blocks) fails the test rather than
/// being guessed at.
/// </summary>
internal static class NetworkPolicyModel
{
    public static bool Selects(V1NetworkPolicy policy, IDictionary<string, string> podLabels) =>
        Matches(policy.Spec.PodSelector, podLabels);

    /// <summary>Whether a pod labelled <paramref name="sourceLabels"/> may open a connection to <paramref name="port"/> of <paramref name="target"/>.</summary>
    public static bool Admits(V1NetworkPolicy policy, IDictionary<string, string> sourceLabels, V1Container target, V1ContainerPort port)
    {
        Assert.Contains("Ingress", policy.Spec.PolicyTypes);
        return (policy.Spec.Ingress ?? []).Any(rule => AdmitsPort(rule, target, port) && AdmitsSource(rule, sourceLabels));
    }

    private static bool AdmitsPort(V1NetworkPolicyIngressRule rule, V1Container target, V1ContainerPort port) =>
        rule.Ports is not { Count: > 0 } ports || ports.Any(p =>
        {
            var value = p.Port.Value;
            // A named port must name one of the target's ports, or the rule admits nothing there.
            Assert.True(int.TryParse(value, out _) || target.Ports.Any(c => c.Name == value), $"The policy names port '{value}', which the silo does not declare.");
            return value == port.Name || value == port.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });

    private static bool AdmitsSource(V1NetworkPolicyIngressRule rule, IDictionary<string, string> sourceLabels) =>
        rule.FromProperty is not { Count: > 0 } peers || peers.Any(peer =>
        {
            Assert.Null(peer.NamespaceSelector);
            Assert.Null(peer.IpBlock);
            return Matches(peer.PodSelector, sourceLabels);
        });

    private static bool Matches(V1LabelSelector selector, IDictionary<string, string> labels)
    {
        Assert.True(selector.MatchExpressions is not { Count: > 0 }, "Label expressions are not modelled here.");
        return (selector.MatchLabels ?? new Dictionary<string, string>()).All(l => labels.TryGetValue(l.Key, out var value) && value == l.Value);
    }
}
