"""Course tooling, beside the simulators and never imported by them: the machine check
(:mod:`~clustersim.course.doctor`), the notebook refresh (:mod:`~clustersim.course.refresh`),
the class editions of the exercises (:mod:`~clustersim.course.editions`) and the Sphinx
extension that makes the book work offline (:mod:`~clustersim.course.book`, named in
``_config.yml`` and in ``pyproject.toml``'s myst-nb entry points). ``python -m clustersim``
(:mod:`clustersim.__main__`) runs the first three.
"""
