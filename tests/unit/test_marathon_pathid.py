"""PathId: cases from d2iq-archive/marathon
src/test/scala/mesosphere/marathon/state/PathIdTest.scala."""

import pytest

from clustersim.marathon import PathId


def test_parsed_from_string_equals_segments():
    assert PathId("/a/b/c/d") == PathId(["a", "b", "c", "d"])


def test_root_from_slash_and_empty_string():
    assert PathId("/").is_root and PathId("").is_root
    assert PathId("/") == PathId([])


def test_written_and_parsed_again():
    path = PathId("a/b/c/d")
    assert PathId(str(path)) == path and not path.absolute


def test_canonical_path_of_relative_id():
    assert PathId("./test/../e/f/g/./../").resolve("/a/b/c/d") == PathId("/a/b/c/d/e/f")


def test_canonical_path_against_root():
    assert PathId("test/../a/b/c/d/d/../e/f/g/./../").resolve() == PathId("/a/b/c/d/e/f")


def test_dotdot_at_root_stays_at_root():
    assert PathId("../../x").resolve("/a") == PathId("/x")


def test_absolute_id_ignores_base():
    assert PathId("/x/y").resolve("/a/b") == PathId("/x/y")


def test_append():
    assert PathId("/a/b/c").append("/d/e/f") == PathId("/a/b/c/d/e/f")
    assert PathId("/a") / "b" == PathId("/a/b")


@pytest.mark.parametrize(("path", "parent"), [("/a/b/c", "/a/b"), ("/a", "/"), ("/", "/")])
def test_parent(path, parent):
    assert PathId(path).parent == PathId(parent)


@pytest.mark.parametrize(("path", "host"), [("/a/b/c", "c.b.a"), ("/a", "a"), ("/", "")])
def test_to_hostname(path, host):
    assert PathId(path).to_hostname() == host


def test_includes():
    assert PathId("/a/b/c").includes("/a/b")
    assert not PathId("/a/b/c").includes("/a/b/d")


def test_all_parents():
    assert PathId("/a/b/c/d").all_parents == [
        PathId("/a/b/c"), PathId("/a/b"), PathId("/a"), PathId("/")
    ]


def test_sorted_like_marathon():
    a, b, c = PathId("/a"), PathId("/b"), PathId("/c")
    aa, ab, ac = a / "a", a / "b", a / "c"
    assert sorted({a, b, aa}) == [a, aa, b]
    assert sorted([c, b, a]) == [a, b, c]
    assert sorted([ac, ab, aa]) == [aa, ab, ac]


@pytest.mark.parametrize("good", ["/a", "/a-b/c.d", "/0/1-2", "/a/b.c.d", "relative/app"])
def test_valid_ids(good):
    assert PathId(good).is_valid


@pytest.mark.parametrize("bad", ["/A", "/a_b", "/-a", "/a-", "/a/restart", "/a/tasks",
                                 "/a/versions", "/a..b", "/a/.x"])
def test_invalid_ids(bad):
    assert not PathId(bad).is_valid
    with pytest.raises(ValueError, match="not a valid Marathon id"):
        PathId(bad).validate()


def test_non_string_is_refused_with_a_clear_error():
    with pytest.raises(ValueError, match="must be a string"):
        PathId(42)


def test_an_id_has_at_most_a_hundred_segments():
    """The simulator's bound (``clustersim.manifests.pathid.MAX_SEGMENTS``): Marathon stores a
    deeper id but cannot load its group tree again; the tree's walks recursed over it."""
    deepest = PathId(["s"] * 100, absolute=True)
    assert deepest.is_valid
    with pytest.raises(ValueError, match="at most 100 segments, not 101"):
        (deepest / "s").validate("app id")
