"""The keys of a learner's Marathon app that Marathon would ignore, and what each most likely
meant: the one rule of every check that takes an app definition.

Marathon reads an app's declared fields by name and drops any other key without a word
(:mod:`clustersim.manifests.marathon_fields`), so a misspelt ``"instaces": 3`` deploys an app
of one instance and ``"upgradeStrategy.minimumHealthCapacity"`` changes nothing. A check
therefore looks at the keys itself (:func:`check_app_fields`) before it deploys the app, and
tells the learner, of the first unknown key, in this order:

1. a key with dots in it is one key, not nested fields (:func:`~clustersim.exercises.
   carried_words.nested_key_hint`, shared with the Kubernetes and Compose checks);
2. another orchestrator's word (``replicas``, ``memory``) is told Marathon's name for it
   (:data:`~clustersim.exercises.carried_words.CARRIED_WORDS`);
3. a near miss of a field (``instaces``, ``requirePort``, ``healthcheck`` in any case) is asked
   "did you mean" that field (:func:`~clustersim.exercises.labels.nearest_label`, the
   exercises' one "did you mean");
4. any other key at the app's top level is named as one Marathon does not know. A nested
   object's other keys are left alone: the table of nested fields is not complete.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from clustersim.exercises.carried_words import hint_for, nested_key_hint
from clustersim.exercises.checker import Wrong
from clustersim.exercises.labels import nearest_label
from clustersim.manifests.marathon_fields import APP_FIELDS, NESTED_FIELDS

__all__ = ["check_app_fields", "unknown_app_keys"]

_IGNORED = ("Marathon reads an app's fields by their exact names and drops any other key "
            "without a word, so the app runs as if the key were not there.")


def _places(value: object, place: str) -> Iterator[tuple[str, Mapping[object, object]]]:
    """Each object of ``value`` whose fields :data:`NESTED_FIELDS` knows, with its place,
    ``value`` being what the app holds at ``place``."""
    if isinstance(value, Mapping):
        yield place, value
        for key, item in value.items():
            inner = f"{place}.{key}" if place else str(key)
            if inner in NESTED_FIELDS:
                yield from _places(item, inner)
            elif f"{inner}[]" in NESTED_FIELDS and isinstance(item, list):
                for element in item:
                    yield from _places(element, f"{inner}[]")


def unknown_app_keys(app: object) -> list[tuple[str, str]]:
    """Each key of ``app`` (a dict of Marathon app JSON) that Marathon would ignore and that
    :mod:`this module <clustersim.exercises.app_fields>` has something to say of, as its
    dotted place in the app and the hint for it, in the app's order."""
    found = []
    for place, fields in _places(app, ""):
        known = NESTED_FIELDS.get(place, APP_FIELDS)
        parent = place.removesuffix("[]").rsplit(".", 1)[-1]
        for key in fields:
            name = str(key)
            if name in known:
                continue
            where = f"{place}.{name}" if place else name
            carried = hint_for("marathon", name, "") if not place else None
            meant = nearest_label(name, known)
            if "." in name:
                found.append((where, nested_key_hint(name, parent, yaml=False)))
            elif carried is not None:
                found.append((where, carried))
            elif meant is not None:
                found.append((where, f"Did you mean {meant!r}? {_IGNORED}"))
            elif not place:
                found.append((where, f"An app has the fields {', '.join(APP_FIELDS[:9])} and "
                                     f"more, but none named {name!r}. {_IGNORED}"))
    return found


def check_app_fields(app: object, what: str = "the app") -> None:
    """:class:`Wrong` naming the first key of ``app`` that Marathon would ignore
    (:func:`unknown_app_keys`), with its hint; ``what`` names the app in the message ("the
    app", "the app /store/api"). Nothing for an app whose keys Marathon reads, or for what
    is no dict (the check says what it wants instead)."""
    unknown = unknown_app_keys(app)
    if unknown:
        where, hint = unknown[0]
        raise Wrong(f"Marathon would ignore the key {where!r} of {what}: there is no field of "
                    "that name in that place.", hint)
