// The tests here start the real host as processes of its own (killed, restarted, two at once) and drive it with a
// browser. They run as an assembly of their own, beside the in-process suite, and one at a time within it.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
