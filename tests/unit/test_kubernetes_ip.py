"""IP addresses and CIDRs as the Kubernetes API server reads and validates them
(clustersim.manifests.kubernetes_ip). The validation cases are the rows of ``TestIsValidIP``
and ``TestIsValidCIDR`` in k8s.io/apimachinery ``pkg/util/validation/ip_test.go`` (their
``legacyStrictErr``: ``IsValid*ForLegacyField`` with strict validation, the
``StrictIPCIDRValidation`` default since 1.36); the readings follow the forked Go 1.16 parser
of k8s.io/utils (``internal/third_party/forked/golang/net/ip.go``) and the forms
``GetWarningsForIP`` and ``GetWarningsForCIDR`` suggest in ``ip_test.go``."""

from __future__ import annotations

import ipaddress

import pytest

from clustersim.manifests.kubernetes_ip import (
    CIDR_FORMAT,
    IP_FORMAT,
    cidr_problem,
    ip_problem,
    parse_cidr,
    parse_ip,
)

_IP_ZEROS = "must not have leading 0s"
_IP_MAPPED = "must not be an IPv4-mapped IPv6 address"
_CIDR_ZEROS = "must not have leading 0s in IP or prefix length"
_CIDR_MAPPED = "must not have an IPv4-mapped IPv6 address"
_CIDR_BITS = "must not have bits set beyond the prefix length"


@pytest.mark.parametrize(("text", "problem"), [
    ("1.2.3.4", None), ("0.0.0.0", None), ("255.255.255.255", None), ("1234::abcd", None),
    ("::", None), ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", None),
    # not canonical, which a legacy field still takes
    ("0:0:0:0:0:0:0:0", None), ("0001:002:03:4::", None), ("1234::ABCD", None),
    ("1.1.1.01", _IP_ZEROS), ("::ffff:1.1.1.1", _IP_MAPPED),
    ("", IP_FORMAT), ("aaaaaaa", IP_FORMAT), ("myhost.mydomain", IP_FORMAT),
    ("1.2.3.0/24", IP_FORMAT), ("1.2.3.400", IP_FORMAT), ("-1.0.0.0", IP_FORMAT),
    ("2001:db8::10005", IP_FORMAT), ("1.2.3.4:80", IP_FORMAT), ("[2001:db8::1]", IP_FORMAT),
    ("[2001:db8::1]:80", IP_FORMAT), ("example.com:80", IP_FORMAT),
    ("1234::abcd%eth0", IP_FORMAT), ("169.254.0.0%eth0", IP_FORMAT),
])
def test_ips_are_validated_as_the_legacy_fields_are(text, problem):
    assert ip_problem(text) == problem


@pytest.mark.parametrize(("text", "problem"), [
    ("1.0.0.0/8", None), ("0.0.0.0/0", None), ("1.1.1.1/32", None),
    ("2001:4860:4860::/48", None), ("::/0", None), ("::1/128", None),
    ("2a00:79e0:2:0::/64", None), ("2001:DB8::/64", None),
    ("1.1.01.0/24", _CIDR_ZEROS), ("::ffff:1.1.1.0/24", _CIDR_MAPPED),
    ("::ffff:1.1.1.0/120", _CIDR_MAPPED), ("1.2.3.4/24", _CIDR_BITS),
    ("2001:db8::1/64", _CIDR_BITS), ("192.168.0.0/016", _CIDR_ZEROS),
    ("", CIDR_FORMAT), ("aaaaaaa", CIDR_FORMAT), ("1.2.3.4", CIDR_FORMAT),
    ("192.168.0.1/healthz", CIDR_FORMAT), ("192.168.0.1/0/99", CIDR_FORMAT),
    ("192.168.0.0/-16", CIDR_FORMAT), ("192.168.0.0/+16", CIDR_FORMAT),
])
def test_cidrs_are_validated_as_the_legacy_fields_are(text, problem):
    assert cidr_problem(text) == problem


@pytest.mark.parametrize(("text", "problem"), [
    ("010.0.0.0/8", _CIDR_ZEROS),
    ("1.2.3.4/032", _CIDR_ZEROS),          # a prefix length with a leading zero, in range
    ("1.2.3.4/033", CIDR_FORMAT),          # 33 is past an IPv4 address's 32 bits
    ("00001::/64", _CIDR_ZEROS),           # a group of five hex digits: netip refuses it
    ("::ffff:01.2.3.0/120", _CIDR_ZEROS),
    ("fe80::1%eth0/64", CIDR_FORMAT),      # no zone: ParseCIDRSloppy stops at the "%"
    ("10.0.0.0/255.0.0.0", CIDR_FORMAT),   # no netmask, which Python's ip_network takes
    ("\uff11\uff10.0.0.0/8", CIDR_FORMAT),  # fullwidth digits are not ASCII digits
    ("10.0.0.0/\uff18", CIDR_FORMAT),
    ("10.0.0.0/ 8", CIDR_FORMAT), ("10.0.0.0/33", CIDR_FORMAT), ("::/129", CIDR_FORMAT),
    ("1.2.3.4::/64", CIDR_FORMAT),         # an IPv4 part ends the address, never starts it
    ("1:2:3:4:5:6:7:8::/64", CIDR_FORMAT),  # "::" stands for one group of zeros at least
    (None, CIDR_FORMAT), (10, CIDR_FORMAT),
    # Go's dtoi takes any run of leading zeros; a long number is refused, never a traceback
    ("0" * 5000 + "1.0.0.0/8", _CIDR_ZEROS), ("1" * 5000 + ".0.0.0/8", CIDR_FORMAT),
    ("10.0.0.0/" + "0" * 5000 + "8", _CIDR_ZEROS), ("10.0.0.0/" + "9" * 5000, CIDR_FORMAT),
])
def test_what_the_sloppy_reading_takes_the_strict_check_may_refuse(text, problem):
    assert cidr_problem(text) == problem


@pytest.mark.parametrize(("text", "network"), [
    ("010.0.0.0/8", "10.0.0.0/8"),         # leading zeros are ignored, never octal
    ("10.0.0.1/8", "10.0.0.0/8"),          # an interface address reads as its subnet
    ("192.168.0.0/016", "192.168.0.0/16"),
    ("2001:DB8:0:0::/64", "2001:db8::/64"),
    ("00001::/16", "1::/16"),
    ("::ffff:192.12.2.0/120", "192.12.2.0/24"),  # what GetWarningsForCIDR says to use
    ("::ffff:1.1.1.0/24", "::/24"),        # the mask drops the mapping
    ("fe80::1%eth0/64", None), ("10.0.0.0/255.0.0.0", None), ("1.2.3.4/033", None),
    ("\uff11\uff10.0.0.0/8", None),
])
def test_cidrs_read_as_parse_cidr_sloppy_reads_them(text, network):
    got = parse_cidr(text)
    assert (None if got is None else str(got)) == network


@pytest.mark.parametrize(("text", "address"), [
    ("010.002.003.004", "10.2.3.4"), ("192.012.2.2", "192.12.2.2"),
    ("::ffff:192.12.2.2", "192.12.2.2"),   # the same Go net.IP as 192.12.2.2
    ("2001:db8:0:0::2", "2001:db8::2"), ("::1.2.3.4", "::102:304"),
    ("fe80::1%eth0", None), ("1.2.3.4/32", None), ("", None), (None, None),
])
def test_addresses_read_as_parse_ip_sloppy_reads_them(text, address):
    got = parse_ip(text)
    assert (None if got is None else str(got)) == address


def test_a_parsed_cidr_contains_what_upstreams_does():
    """A NetworkPolicy decision and the ``except`` subset check test addresses against what
    the sloppy reader gives: Python networks, so ``in`` keeps working."""
    network = parse_cidr("010.0.0.0/8")
    assert isinstance(network, ipaddress.IPv4Network)
    assert ipaddress.ip_address("10.200.0.1") in network
    assert ipaddress.ip_address("11.0.0.1") not in network
