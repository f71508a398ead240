// Hangfire keeps its configuration in static state; hosts in one process are started one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
