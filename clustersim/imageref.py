"""Container image references (``[domain/]path[:tag][@digest]``), read once for every
dialect: the Compose loader and the Swarm API check them as swarmkit does, and the
Kubernetes API server defaults a container's ``imagePullPolicy`` from the tag.

The grammar is distribution/reference's (``reference/regexp.go``; ``reference.go``'s
``Parse``, which ``ParseNormalizedNamed`` calls): a repository of lower-case path
components, optionally behind a registry domain (with a port, or an IPv6 address in
brackets), a tag of at most 128 word characters, dots and dashes, and a digest
``algorithm:hex`` that opencontainers/go-digest validates (``Digest.Validate``: a
``sha256`` digest has exactly 64 hex digits). Simplified: the lengths of the other digest
algorithms (``sha384``, ``sha512``) are not checked.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

__all__ = ["ImageReference", "familiar_tagged", "image_problem", "normalized_name",
           "normalized_problem", "parse_reference", "unresolvable"]

_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
_REFERENCE = re.compile(
    rf"(?P<name>(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*)"
    r"(?::(?P<tag>\w[\w.-]{0,127}))?"
    r"(?:@(?P<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?")
_NAME_MAX = 255
_SHA256_HEX = 64
_IDENTIFIER = re.compile(r"[a-f0-9]{64}")
"""An image ID, which ``ParseNormalizedNamed`` refuses as a name (``anchoredIdentifierRegexp``)."""
_DOCKER_HUB = ("", "docker.io", "index.docker.io")


@dataclass(frozen=True)
class ImageReference:
    """A reference that parses: its repository ``name`` (with the domain as written), and
    its ``tag`` and ``digest`` when it has them."""

    name: str
    tag: str | None
    digest: str | None


def parse_reference(text: str) -> ImageReference | None:
    """``text`` read as distribution/reference reads it, or None when it does not parse
    (:func:`image_problem` says why)."""
    return None if image_problem(text) else _parts(text)


def image_problem(text: str) -> str | None:
    """Why distribution/reference refuses ``text``, in ``Parse``'s words, or None when it
    parses: an upper-case repository (the domain may have capitals), the grammar, a name
    over 255 characters, a ``sha256`` digest that is not 64 hex digits."""
    repository = _split_domain(text)[1].split("@")[0].split(":")[0]
    found = _parts(text)
    if repository.lower() != repository:
        return "repository name must be lowercase"
    if found is None:
        return "invalid reference format"
    if len(found.name) > _NAME_MAX:
        return "repository name must not be more than 255 characters"
    algorithm, _, digits = (found.digest or "").partition(":")
    if algorithm == "sha256" and len(digits) != _SHA256_HEX:
        return "invalid checksum digest length"
    return None


@functools.lru_cache(maxsize=4096)
def normalized_problem(text: str) -> str | None:
    """The error of ``reference.ParseNormalizedNamed`` for ``text`` (``normalize.go``), as
    the kubelet quotes it, or None when it parses: an image ID (64 hex digits) is no name;
    a repository with capitals is named as normalized, behind ``library/`` for Docker Hub's
    official images (``invalid reference format: repository name (library/NGINX) must be
    lowercase``); any other refusal is ``Parse``'s (:func:`image_problem`). Remembered for
    the last few thousand images: the kubelet asks for every container it starts, and a
    cluster runs few images."""
    if _IDENTIFIER.fullmatch(text):
        return f"invalid repository name ({text}), cannot specify 64-byte hexadecimal strings"
    remote = _remote(*_split_domain(text)).partition(":")[0]
    if remote.lower() != remote:
        return f"invalid reference format: repository name ({remote}) must be lowercase"
    return image_problem(text)


def normalized_name(reference: ImageReference) -> str:
    """``reference``'s repository fully qualified, as ``ParseNormalizedNamed`` makes it
    (``normalize.go``): Docker Hub's domain ``docker.io`` written out, and ``library/`` before
    an official image's one component (``nginx`` is ``docker.io/library/nginx``)."""
    domain, remainder = _split_domain(reference.name)
    remote = _remote(domain, remainder)
    return f"docker.io/{remote}" if domain in _DOCKER_HUB else f"{domain}/{remote}"


def familiar_tagged(text: str) -> str:
    """A reference as the Docker daemon names it in "No such image" (moby ``daemon/images``,
    ``ErrImageDoesNotExist``: ``reference.TagNameOnly``, which adds ``:latest`` to a name
    without tag or digest, then ``FamiliarString``, which drops Docker Hub's ``docker.io/``
    and an official image's ``library/``): ``docker.io/library/nginx`` is ``nginx:latest``.
    A text that does not parse is returned as it is."""
    found = _parts(text)
    if found is None:
        return text
    domain, remainder = _split_domain(found.name)
    name = found.name
    if domain in _DOCKER_HUB:
        name = remainder.removeprefix("library/") if remainder.count("/") == 1 else remainder
    tag = found.tag or ("" if found.digest else "latest")
    return name + (f":{tag}" if tag else "") + (f"@{found.digest}" if found.digest else "")


def unresolvable(text: str) -> bool:
    """Whether ``text`` names a registry in the top-level domain ``invalid``
    (``nonexistent.invalid/web:1``, ``registry.invalid:5000/web``), which RFC 6761 (section
    6.4) reserves for names that never resolve: no daemon can pull such an image, on any
    network. Docker Hub's images and those of registries named elsewhere are not."""
    found = _parts(text)
    domain = _split_domain(found.name)[0] if found is not None else ""
    host = domain.rpartition(":")[0] if ":" in domain and not domain.endswith("]") else domain
    return host.lower() == "invalid" or host.lower().endswith(".invalid")


def _remote(domain: str, remainder: str) -> str:
    """The path of a repository in its registry: ``library/`` before the one component of a
    Docker Hub official image."""
    return "library/" + remainder if domain in _DOCKER_HUB and "/" not in remainder \
        else remainder


def _split_domain(text: str) -> tuple[str, str]:
    """``text``'s registry domain (empty: none) and the rest, as ``splitDockerDomain`` splits
    them: a first component is a domain if it has a dot or a port, is ``localhost``, or has
    capitals (a repository cannot)."""
    first, slash, rest = text.partition("/")
    if slash and (first == "localhost" or "." in first or ":" in first
                  or first.lower() != first):
        return first, rest
    return "", text


def _parts(text: str) -> ImageReference | None:
    found = _REFERENCE.fullmatch(text)
    if found is None:
        return None
    return ImageReference(found["name"], found["tag"], found["digest"])
