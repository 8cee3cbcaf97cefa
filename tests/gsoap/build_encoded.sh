#!/usr/bin/env bash
# Builds the gSOAP peer of the rpc/encoded fixture (tests/wsdl/encoded.wsdl) in a directory of
# the caller's choosing (nothing of it is kept in the repository):
#
#   tests/gsoap/build_encoded.sh OUT_DIR
#
# OUT_DIR receives wsdl2h's header, soapcpp2's generated C++ (serializers, proxy and service
# classes) and the executable `encoded_peer`, built from tests/gsoap/encoded_peer.cpp (a server
# and a client of the fixture in one program).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
wsdl=$here/../wsdl/encoded.wsdl
out=$1
for tool in wsdl2h soapcpp2 g++; do
    command -v "$tool" >/dev/null || { echo "build_encoded.sh: $tool not found (apt-get install gsoap libgsoap-dev g++)" >&2; exit 1; }
done
# The library's compile flags must match ours: they change the layout of `struct soap`.
cflags=$(pkg-config --cflags gsoap++ 2>/dev/null || echo "-DWITH_IPV6 -DWITH_DOM")
libs=$(pkg-config --libs gsoap++ 2>/dev/null || echo "-lgsoap++")
share=/usr/share/gsoap
mkdir -p "$out"
cd "$out"
wsdl2h -o registry.h -t "$share/WS/typemap.dat" "$wsdl" >wsdl2h.log 2>&1 || { cat wsdl2h.log >&2; exit 1; }
# -1: SOAP 1.1; -j: C++ proxy and service classes; -x: no sample messages.
soapcpp2 -1 -j -x -I"$share/import" registry.h >soapcpp2.log 2>&1 || { cat soapcpp2.log >&2; exit 1; }
g++ -O0 -w -pthread $cflags -DWITH_DEFAULT_VIRTUAL -I. "$here/encoded_peer.cpp" soapC.cpp soapRegistryBindingService.cpp \
    soapRegistryBindingProxy.cpp $libs -o encoded_peer.tmp
mv encoded_peer.tmp encoded_peer
