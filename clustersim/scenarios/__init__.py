"""Scenarios: the course's recorded runs, one module per story, shared by labs, widgets and
exercise checks.

A scenario builds a cluster of one system (or of each), deploys a workload from
:mod:`clustersim.manifests` dialects, drives it on the shared clock (fail a machine, roll out
a version, act as the operator) and returns a record: snapshots and events. It draws
nothing; :mod:`clustersim.widgets` and :mod:`clustersim.viz` draw the records, and
:mod:`clustersim.exercises` checks answers against them.

- :mod:`~clustersim.scenarios.healing`: one machine fails under a six-replica web app.
- :mod:`~clustersim.scenarios.storage`: a database with its volume loses its machine.
- :mod:`~clustersim.scenarios.updates`: a rolling update (and a failing one) per system.
- :mod:`~clustersim.scenarios.shop`: the example ``shop`` in three dialects.
- :mod:`~clustersim.scenarios.networking`: ports per network mode; discovery under failure.
- :mod:`~clustersim.scenarios.drf`: batch frameworks sharing a Mesos cluster.
- :mod:`~clustersim.scenarios.apptrees`: Marathon groups scaled and rewired (``scaleBy``).
"""
