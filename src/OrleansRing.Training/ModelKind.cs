namespace OrleansRing.Training;

/// <summary>The architectures a run can train; see <see cref="ModelFactory"/>.</summary>
public enum ModelKind
{
    /// <summary><see cref="PaperCnn"/>, the CNN of Wang et al. 2021 (878,538 parameters).</summary>
    PaperCnn = 0,

    /// <summary><see cref="AlexNetCifar"/>, AlexNet adapted to 32×32 inputs (23,272,266 parameters).</summary>
    AlexNet = 1,
}
