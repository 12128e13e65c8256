namespace OrleansRing.Grains.Tests;

/// <summary>Runs a posted work item at once, in place of a grain activation's scheduler.</summary>
internal sealed class InlineWorkItemScheduler : IWorkItemScheduler
{
    public void QueueAction(Action action) => action();

    public void QueueAction(Action<object> action, object state) => action(state);

    public void QueueTask(Task task) => task.Start(TaskScheduler.Default);
}
