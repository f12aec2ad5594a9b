// The box has two cores and torch already uses both per op; parallel test classes would only thrash.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
