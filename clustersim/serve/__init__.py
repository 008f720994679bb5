"""The simulators behind their systems' real HTTP APIs, for the real clients.

```python
from clustersim.serve import serve
with serve("kubernetes", nodes=3, speed=0) as server:     # 127.0.0.1, a free port
    server.kubeconfig("kubeconfig")                       # then: KUBECONFIG=kubeconfig kubectl ...
    server.step(30)                                       # 30 simulated seconds pass
```

``python -m clustersim serve kubernetes|swarm|marathon [--nodes N] [--port P] [--speed X]``
does the same from a shell. Modules: :mod:`.core` (the shared server),
:mod:`.kubernetes` (with :mod:`.kuberesources`, :mod:`.kuberender`, :mod:`.kubetables`,
:mod:`.kubeproto`, :mod:`.patch`, :mod:`.selectors`), :mod:`.marathon` (with
:mod:`.marathongroups`, :mod:`.marathontasks`, :mod:`.marathonquery`,
:mod:`.marathonmonitor`), :mod:`.docker`.
"""

from clustersim.serve.core import HttpError, Request, Response, SimServer
from clustersim.serve.launch import SYSTEMS, Server, find_program, serve

__all__ = ["SYSTEMS", "HttpError", "Request", "Response", "Server", "SimServer", "find_program",
           "serve"]
