#!/usr/bin/env python3
"""Builds request bodies with zeep, for tests/tests/conformance_user.rs (zeep_agrees).

Usage: zeep_requests.py WSDL CASES_DIR

CASES_DIR holds `manifest.txt` (one line per case: `<case id>\t<operation>\t<instance file>`)
and the instance files: request elements written by the Rust test's schema-driven builder.
For each case this script reads the instance with lxml, turns it into Python values by walking
zeep's own reading of the schema (zeep decides which children exist, which repeat, what
type each simple value has), builds the request with `Client.create_message` and writes the
body's element to `<case id>.zeep.xml`, or the error to `<case id>.error.txt`.

zeep never touches the network: the WSDL is read from the local file, the transport raises on
every load or post, and the socket module refuses to connect or resolve names.
"""

import socket
import sys
import traceback
from pathlib import Path

from lxml import etree

import zeep
from zeep.transports import Transport
from zeep.xsd import Nil
from zeep.xsd.types.builtins import DateTime, Date, Time, Duration
from zeep.xsd.types.simple import AnySimpleType

XSI = "http://www.w3.org/2001/XMLSchema-instance"


class NetworkForbidden(RuntimeError):
    pass


def _forbidden(*args, **kwargs):
    raise NetworkForbidden("network access attempted: %r %r" % (args, kwargs))


def forbid_network():
    """Belt and braces: no socket may connect and no name may be resolved in this process."""
    socket.socket.connect = _forbidden
    socket.socket.connect_ex = _forbidden
    socket.create_connection = _forbidden
    socket.getaddrinfo = _forbidden


class OfflineTransport(Transport):
    """A transport that reads local files only and fails on any remote access."""

    def _load_remote_data(self, url):
        raise NetworkForbidden("zeep tried to load %s" % url)

    def get(self, address, params, headers):
        raise NetworkForbidden("zeep tried to GET %s" % address)

    def post(self, address, message, headers):
        raise NetworkForbidden("zeep tried to POST to %s" % address)

    def post_xml(self, address, envelope, headers):
        raise NetworkForbidden("zeep tried to POST to %s" % address)


def local_name(node):
    return etree.QName(node).localname


def namespace(node):
    return etree.QName(node).namespace or ""


def is_nil(node):
    return node.get("{%s}nil" % XSI) in ("true", "1")


# The date, time and duration values of the case being built, as zeep read and wrote them:
# (XSD type, instance text, zeep's text). Written to `<case>.temporal.txt` for the Rust test,
# which accepts zeep's text in place of ours only for these values, and only when both name
# the same value (Python keeps microseconds, so a 7th fractional digit is zeep's loss).
TEMPORAL = []


def simple_value(xsd_type, node):
    text = node.text or ""
    if isinstance(xsd_type, (DateTime, Date, Time, Duration)):
        # zeep's own value (a datetime, date, time, timedelta or isodate Duration), which zeep
        # then writes itself: no text is passed through.
        value = xsd_type.pythonvalue(text.strip())
        TEMPORAL.append((type(xsd_type).__name__, text.strip(), xsd_type.xmlvalue(value)))
        return value
    return xsd_type.pythonvalue(text)


def element_value(element, node):
    """The Python value zeep expects for `element` (a zeep Element), read from `node`."""
    if is_nil(node):
        return Nil
    return type_value(element.type, node)


def type_value(xsd_type, node):
    if isinstance(xsd_type, AnySimpleType) or not hasattr(xsd_type, "elements"):
        return simple_value(xsd_type, node)
    values, nils = element_values(xsd_type, node)
    value = xsd_type(**values)
    # zeep turns a Nil given to a type's constructor into an object whose first field is nil
    # (`<Item><First xsi:nil="true"/></Item>` for a nil list item): set nils afterwards.
    for name, nil in nils.items():
        setattr(value, name, nil)
    return value


def element_values(xsd_type, node):
    """The child values of `node` by zeep's field name: (plain values, values holding Nil)."""
    children = [c for c in node if isinstance(c.tag, str)]
    used = set()
    values, nils = {}, {}
    for name, element in xsd_type.elements:
        qname = element.qname
        matching = [
            c
            for c in children
            if local_name(c) == qname.localname and namespace(c) == (qname.namespace or "")
        ]
        used.update(id(c) for c in matching)
        if element.accepts_multiple:
            value = [element_value(element, c) for c in matching]
            holds_nil = any(v is Nil for v in value)
        elif len(matching) == 1:
            value = element_value(element, matching[0])
            holds_nil = value is Nil
        elif len(matching) > 1:
            raise ValueError("element %s occurs %d times" % (qname, len(matching)))
        else:
            continue
        (nils if holds_nil else values)[name] = value
    unknown = [c for c in children if id(c) not in used]
    if unknown:
        raise ValueError(
            "zeep's schema has no place for %s in %s"
            % ([etree.QName(c).text for c in unknown], etree.QName(node).text)
        )
    return values, nils


def build(client, operation, instance_path):
    node = etree.parse(str(instance_path)).getroot()
    binding_operation = client.service._binding._operations[operation]
    body_element = binding_operation.input.body
    if etree.QName(node) != body_element.qname:
        raise ValueError("instance root %s is not %s" % (etree.QName(node), body_element.qname))
    values, nils = element_values(body_element.type, node)
    envelope = client.create_message(client.service, operation, **values, **nils)
    body = envelope.find("{http://schemas.xmlsoap.org/soap/envelope/}Body")
    if body is None:
        raise ValueError("zeep built no SOAP 1.1 Body")
    (element,) = [c for c in body if isinstance(c.tag, str)]
    return etree.tostring(element, encoding="unicode")


def check_offline():
    """Fails unless both guards are in place."""
    for attempt in (
        lambda: OfflineTransport().load("http://schemas.xmlsoap.org/soap/encoding/"),
        lambda: socket.create_connection(("127.0.0.1", 9)),
        lambda: socket.getaddrinfo("localhost", 80),
    ):
        try:
            attempt()
        except NetworkForbidden:
            continue
        raise SystemExit("the network guard let an access through")


def main():
    wsdl, cases_dir = sys.argv[1], Path(sys.argv[2])
    forbid_network()
    check_offline()
    settings = zeep.Settings(strict=True, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    client = zeep.Client(wsdl=str(Path(wsdl).resolve()), transport=OfflineTransport(), settings=settings)
    manifest = (cases_dir / "manifest.txt").read_text(encoding="utf-8").splitlines()
    for line in manifest:
        case, operation, instance = line.split("\t")
        TEMPORAL.clear()
        try:
            body = build(client, operation, cases_dir / instance)
            (cases_dir / (case + ".zeep.xml")).write_text(body, encoding="utf-8")
            temporal = "".join("%s\t%s\t%s\n" % t for t in TEMPORAL)
            (cases_dir / (case + ".temporal.txt")).write_text(temporal, encoding="utf-8")
        except Exception:  # reported per case to the Rust test
            (cases_dir / (case + ".error.txt")).write_text(traceback.format_exc(), encoding="utf-8")
    print("zeep %s built %d cases" % (zeep.__version__, len(manifest)))


if __name__ == "__main__":
    main()
