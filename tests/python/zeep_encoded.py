#!/usr/bin/env python3
"""Calls the generated server of the rpc/encoded fixture with zeep, for tests/tests/encoded.rs.

Usage: zeep_encoded.py WSDL SOAP_ENCODING_XSD ADDRESS

zeep reads tests/wsdl/encoded.wsdl (rpc/encoded: `soapenc:Array` types, SOAP-ENC built-ins)
with the schema of the SOAP encoding namespace read from SOAP_ENCODING_XSD instead of its
published address, calls echoPerson and divide at ADDRESS, and prints one line per value it
parsed from the replies, for the Rust test to compare with what the handler returned.

Only ADDRESS (127.0.0.1) is contacted: any other load fails.
"""

import sys

import zeep
from zeep.transports import Transport

from zeep_requests import NetworkForbidden

SOAP_ENC = "http://schemas.xmlsoap.org/soap/encoding/"


class LocalTransport(Transport):
    """Posts to the local server; reads the SOAP encoding schema from a file; loads nothing else."""

    def __init__(self, soap_encoding_xsd):
        super().__init__()
        self.soap_encoding_xsd = soap_encoding_xsd

    def _load_remote_data(self, url):
        if url.rstrip("/") == SOAP_ENC.rstrip("/"):
            with open(self.soap_encoding_xsd, "rb") as f:
                return f.read()
        raise NetworkForbidden("zeep tried to load %s" % url)


def items(array):
    """The values of a SOAP array as zeep parsed it: a list (of values, or of elements zeep
    kept as XML), or a value object holding that list as `_value_1`."""
    if array is None:
        return []
    values = array if isinstance(array, list) else array["_value_1"]
    return [v.text if hasattr(v, "text") else v for v in values or []]


def simple(value):
    """A SOAP-ENC built-in (a simpleContent type with the encoding's attributes) as its value."""
    return value["_value_1"] if hasattr(value, "_value_1") else value


def person_line(label, p):
    if p is None:
        return "%s nil" % label
    a = p.address
    return "%s name=%s age=%d height=%s member=%s born=%s favorite=%s street=%s city=%s zip=%s nickname=%s tags=%s" % (
        label,
        p.name,
        p.age,
        p.height,
        p.member,
        p.born.isoformat(),
        p.favorite,
        a.street,
        simple(a.city),
        a.zip,
        p.nickname,
        items(p.tags),
    )


def main():
    wsdl, soap_encoding_xsd, address = sys.argv[1:4]
    client = zeep.Client(wsdl, transport=LocalTransport(soap_encoding_xsd))
    service = client.create_service("{urn:registry}RegistryBinding", address)
    t = "{urn:registry:types}"
    Person, Address = client.get_type(t + "Person"), client.get_type(t + "Address")
    ArrayOfString = client.get_type(t + "ArrayOfString")

    def person(name, age, born, favorite, zip_code, nickname):
        return Person(
            name=name,
            age=age,
            height=1.5 + age / 100.0,
            member=age % 2 == 0,
            born=born,
            favorite=favorite,
            address=Address(street="Street <&> of " + name, city="Oslo", zip=zip_code),
            nickname=nickname,
            tags=ArrayOfString(["first", 'second "quoted"']),
        )

    dee = person("Dee", 64, "1961-02-03T04:05:06Z", "red", 4321, "D")
    eli = person("Eli", 30, "1995-06-07T08:09:10Z", "green", None, None)
    print(person_line("echoPerson", service.echoPerson(person=dee)))
    print(person_line("echoPerson", service.echoPerson(person=eli)))
    divided = service.divide(a=17, b=5)
    print("divide quotient=%d remainder=%d" % (divided.quotient, divided.remainder))
    try:
        service.divide(a=1, b=0)
        print("divide by zero: no fault")
    except zeep.exceptions.Fault as fault:
        print("divide by zero: fault %s" % fault.message)
    # Not summarize: zeep cannot write its arguments. It reads `xsd:int[][]` as an array of ints
    # (it keeps the type before the first bracket) and wraps XML given for a row in an int item,
    # and it writes no empty array (its items have minOccurs 1).


if __name__ == "__main__":
    main()
