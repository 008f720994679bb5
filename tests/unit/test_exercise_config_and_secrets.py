"""Typical answers to the config-and-secrets exercises get the right verdict and hint."""

from __future__ import annotations

import pytest

from clustersim.exercises.config_and_secrets import (
    DEPLOYMENT,
    SECRET_V1,
    check_edit_reaches,
    check_rotation,
    check_swarm_rotation,
)

SECRET_V2 = SECRET_V1.replace("db-pass-v1", "db-pass-v2").replace("b2xk", "bmV3")
DEPLOYMENT_V2 = DEPLOYMENT.replace("db-pass-v1", "db-pass-v2")
RM = "docker service update --secret-rm db_pass_2026_06 "


@pytest.mark.parametrize("answer, passed, words", [
    (["/etc/web"], True, "Right"),
    ([], False, "directory"),
    (["/etc/web", "LOG_LEVEL"], False, "created"),
    (["/etc/web", "/etc/nginx/nginx.conf"], False, "subPath"),
    (["/etc/nginx"], False, "They are"),
    ("LOG_LEVEL", False, "list of strings"),
    # a directory's path with a trailing slash names it; other words of the field are taught
    (["/etc/web/"], True, "Right"),
    ([" /etc/web// "], True, "Right"),
    (["/etc/web", "/etc/nginx/nginx.conf/"], False, "one file (subPath)"),
    (["etc/web"], False, "leading /"),
    (["log-level"], False, "variable's name"),
    (["$LOG_LEVEL"], False, "without a $"),
    (["nginx.conf"], False, "key of the ConfigMap"),
    (["/etc/web/nginx.conf"], False, "inside the mount at /etc/web"),
    (["/etc/nginx/"], False, "holds the mount at /etc/nginx/nginx.conf"),
    (["web-config"], False, "volume or the ConfigMap"),
    (["subPath"], False, "how a use is made"),
])
def test_edit_reaches(answer, passed, words) -> None:
    feedback = check_edit_reaches(answer)
    assert feedback.passed is passed
    assert words in feedback.message + feedback.hint


@pytest.mark.parametrize("text, passed, words", [
    (SECRET_V2 + "---\n" + DEPLOYMENT_V2, True, "Right"),
    (SECRET_V1 + "---\n" + DEPLOYMENT, False, "no new Secret"),
    # the task names no Secret: the chapter's content-hash name, or any other, passes
    (SECRET_V2.replace("db-pass-v2", "db-pass-5f7c2d") + "---\n"
     + DEPLOYMENT.replace("db-pass-v1", "db-pass-5f7c2d"), True, "Right"),
    (SECRET_V2.replace("db-pass-v2", "db-pass-2026"), False, "secretKeyRef at db-pass-2026"),
    # plain text under data: the loader's error names the answer, the hint says base64
    (SECRET_V2.replace("bmV3LXBhc3N3b3Jk", "new-password") + "---\n" + DEPLOYMENT_V2, False,
     "your manifests, line 8"),
    (SECRET_V2.replace("bmV3LXBhc3N3b3Jk", "new-password") + "---\n" + DEPLOYMENT_V2, False,
     "plain text goes under stringData"),
    (SECRET_V1.replace("b2xk", "bmV3"), False, "immutable"),
    (DEPLOYMENT_V2, False, "CreateContainerConfigError"),
    (SECRET_V2, False, "still reads db-pass-v1"),
    # the password itself: a copy of v1 under the new name, `echo new-password | base64`
    # (a trailing newline), another value, no key; stringData is read as the API server does
    (SECRET_V1.replace("db-pass-v1", "db-pass-v2") + "---\n" + DEPLOYMENT_V2, False,
     "old password"),
    (SECRET_V2.replace("bmV3LXBhc3N3b3Jk", "bmV3LXBhc3N3b3JkCg==") + "---\n" + DEPLOYMENT_V2,
     False, "printf new-password | base64"),
    (SECRET_V2.replace("bmV3LXBhc3N3b3Jk", "bmV3") + "---\n" + DEPLOYMENT_V2, False,
     "not 'new-password'"),
    (SECRET_V2.replace("password:", "pass:") + "---\n" + DEPLOYMENT_V2, False,
     "no key password"),
    (SECRET_V2.replace("data:\n  password: bmV3LXBhc3N3b3Jk", "stringData:\n  password: "
                       "new-password") + "---\n" + DEPLOYMENT_V2, True, "Right"),
    ("kind: [", False, "refuses"),
    (42, False, "YAML text"),
])
def test_rotation(text, passed, words) -> None:
    feedback = check_rotation(text)
    assert feedback.passed is passed, feedback.message
    assert words in feedback.message + feedback.hint


@pytest.mark.parametrize("command, passed, words", [
    (RM +
     "--secret-add source=db_pass_2026_12,target=/etc/api/db_password api", True, "Right"),
    (RM + "--secret-add src=db_pass_2026_12,target=/etc/api/db_password api",
     True, "Right"),
    (RM + "--secret-add db_pass_2026_12 api", False,
     "/run/secrets/db_pass_2026_12"),
    ("docker service update --secret-add source=db_pass_2026_12,target=/etc/api/db_password "
     "api", False,
     "keeps db_pass_2026_06"),
    ("docker secret create db_pass db_pass.txt", False, "immutable"),
    ("docker service update api", False, "keeps db_pass_2026_06"),
    ("", False, "does not update"),
    (RM + "--secret-add 'x api", False, "Check the quotes"),
    # the docker CLI's own syntax: --flag=value, flags after the service, boolean flags, and an
    # absolute target (moby getSecretTargetPath) are all the same rotation
    ("docker service update --secret-rm=db_pass_2026_06 "
     "--secret-add=source=db_pass_2026_12,target=/etc/api/db_password api", True, "Right"),
    ("docker service update api --secret-rm db_pass_2026_06 "
     "--secret-add source=db_pass_2026_12,target=/etc/api/db_password", True, "Right"),
    ("docker service update -d --secret-rm db_pass_2026_06 "
     "--secret-add source=db_pass_2026_12,target=/etc/api/db_password api", True, "Right"),
    # the chapter's own command: the file the application reads is elsewhere
    (RM +
     "--secret-add source=db_pass_2026_12,target=db_pass api", False,
     "/run/secrets/db_pass (a relative target lands under /run/secrets/)"),
    (RM +
     "--secret-add source=db_pass_2026_12,target=/etc/db_pass api", False, "/etc/db_pass"),
    (RM +
     "--secret-add source=db_pass_2026_12 target=/etc/api/db_password api", False, "commas"),
    # a newline ends a command: the second line was read as more services to update
    (RM +
     "--secret-add source=db_pass_2026_12,target=/etc/api/db_password api\n"
     "docker service ps api", False,
     "a second line"),
    (RM + "\\\n"
     "  --secret-add source=db_pass_2026_12,target=/etc/api/db_password api", True, "Right"),
    # SecretOpt.Set refuses a key it does not know (dst is --mount's), and fields without =
    (RM +
     "--secret-add source=db_pass_2026_12,dst=db_pass api", False,
     'invalid argument "source=db_pass_2026_12,dst=db_pass" for "--secret-add" flag: invalid field '
     "in secret request: dst"),
    (RM +
     "--secret-add source=db_pass_2026_12,destination=db_pass api", False, "the key target"),
    (RM +
     "--secret-add source=db_pass_2026_12,db_pass api", False,
     "invalid field 'db_pass' must be a key=value pair"),
    (RM + "--secret-add target=/etc/api/db_password api", False,
     "source is required"),
    # the key is lowercased to compare only; an empty value is the CSV reader's io.EOF
    (RM +
     "--secret-add source=db_pass_2026_12,DST=db_pass api", False,
     "flag: invalid field in secret request: DST"),
    (RM + "--secret-add '' api", False,
     'invalid argument "" for "--secret-add" flag: EOF'),
    # keys in any case, and quoted fields, as docker reads them
    (RM +
     "--secret-add 'Source=db_pass_2026_12,\"TARGET=/etc/api/db_password\"' api", True, "Right"),
    # mode as strconv.ParseUint(value, 0, 32) reads it; uid and gid as the daemon's Atoi
    (RM +
     "--secret-add source=db_pass_2026_12,target=/etc/api/db_password,"
     "mode=0400,uid=1000,gid=0 api", True,
     "Right"),
    (RM +
     "--secret-add source=db_pass_2026_12,target=/etc/api/db_password,mode=0x124 api",
     True, "Right"),
    (RM +
     "--secret-add source=db_pass_2026_12,target=/etc/api/db_password,mode=r--r----- api", False,
     'invalid argument "source=db_pass_2026_12,target=/etc/api/db_password,mode=r--r-----" '
     'for "--secret-add" '
     'flag: invalid mode specified: strconv.ParseUint: parsing "r--r-----": invalid syntax'),
    (RM +
     "--secret-add source=db_pass_2026_12,target=/etc/api/db_password,mode=0999 api", False,
     'invalid mode specified: strconv.ParseUint: parsing "0999": invalid syntax'),
    (RM +
     "--secret-add source=db_pass_2026_12,target=/etc/api/db_password,mode=4294967296 api", False,
     'strconv.ParseUint: parsing "4294967296": value out of range'),
    (RM +
     "--secret-add source=db_pass_2026_12,mode=x,dst=db_pass api", False, "invalid mode specified"),
    (RM +
     "--secret-add source=db_pass_2026_12,target=/etc/api/db_password,uid=app api", False,
     'the daemon reads the uid as a number (strconv.Atoi: parsing "app": invalid syntax)'),
    (RM +
     "--secret-add source=db_pass_2026_12,target=/etc/api/db_password,gid=staff api", False,
     "gid=1000"),
    (RM +
     "--secret-add source=db_pass_2026_12,uid=app,dst=db_pass api", False,
     "invalid field in secret request: dst"),
])
def test_swarm_rotation(command, passed, words) -> None:
    feedback = check_swarm_rotation(command)
    assert feedback.passed is passed
    assert words in feedback.message + feedback.hint
