"""The in-tree plugins the simulator runs, one module each, named as upstream names them."""
