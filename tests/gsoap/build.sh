#!/usr/bin/env bash
# Builds gSOAP (Debian's `gsoap` and `libgsoap-dev`: wsdl2h, soapcpp2, libgsoap++) programs
# against the User WSDL, in a directory of the caller's choosing (nothing of it is kept in the
# repository):
#
#   tests/gsoap/build.sh OUT_DIR OPT PROGRAM...
#
# OUT_DIR receives wsdl2h's header (user.h), soapcpp2's generated C++ (soapC.cpp, the proxy and
# the service class), their objects and one executable per PROGRAM, built from
# tests/gsoap/PROGRAM.cpp with g++ OPT (e.g. -O0, -O2): `server` links the service class,
# anything else the client proxy. The generated sources are compiled once per OUT_DIR and OPT.
# OUT_DIR/timings.txt records how long each stage took (seconds) and the generated code's size;
# GSOAP_JOBS=1 compiles one file at a time (default: two at once).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
wsdl=$here/../../wsdl/Services87-User.wsdl
out=$1
opt=$2
shift 2
for tool in wsdl2h soapcpp2 g++; do
    command -v "$tool" >/dev/null || { echo "build.sh: $tool not found (apt-get install gsoap libgsoap-dev g++)" >&2; exit 1; }
done
[ -f /usr/include/stdsoap2.h ] || { echo "build.sh: stdsoap2.h not found (apt-get install libgsoap-dev)" >&2; exit 1; }
# The library's compile flags (WITH_DOM, WITH_IPV6 in Debian's build) must match ours: they
# change the layout of `struct soap`.
cflags=$(pkg-config --cflags gsoap++ 2>/dev/null || echo "-DWITH_IPV6 -DWITH_DOM")
libs=$(pkg-config --libs gsoap++ 2>/dev/null || echo "-lgsoap++")
share=/usr/share/gsoap
mkdir -p "$out"
cd "$out"
now() { date +%s.%N; }
elapsed() { awk "BEGIN { printf \"%.2f\", $(now) - $1 }"; }

if [ ! -f soapC.cpp ] || [ "$wsdl" -nt soapC.cpp ] || [ "$here/build.sh" -nt soapC.cpp ]; then
    s=$(now)
    wsdl2h -o user.h -t "$share/WS/typemap.dat" "$wsdl" >wsdl2h.log 2>&1 || { cat wsdl2h.log >&2; exit 1; }
    echo "wsdl2h $(elapsed "$s")" >>timings.txt
    s=$(now)
    # -1: SOAP 1.1, the binding the WSDL declares (wsdl2h imports soap12.h because the WSDL
    # declares the soap12 namespace); -j: C++ proxy and service classes; -x: no sample messages.
    soapcpp2 -1 -j -x -I"$share/import" user.h >soapcpp2.log 2>&1 || { cat soapcpp2.log >&2; exit 1; }
    echo "soapcpp2 $(elapsed "$s")" >>timings.txt
    echo "generated lines $(cat soapC.cpp soapH.h soapStub.h soap*Proxy.* soap*Service.* | wc -l) bytes $(cat soapC.cpp soapH.h soapStub.h soap*Proxy.* soap*Service.* | wc -c)" >>timings.txt
fi

tag=${opt//[^A-Za-z0-9]/}
object() { # SOURCE: compiles SOURCE.cpp with OPT once
    local o=$1-$tag.o s
    if [ ! -f "$o" ] || [ "$1.cpp" -nt "$o" ]; then
        s=$(now)
        # WITH_DEFAULT_VIRTUAL: operations the server does not implement answer SOAP_NO_METHOD.
        g++ "$opt" -w -pthread $cflags -DWITH_DEFAULT_VIRTUAL -I. -c "$1.cpp" -o "$o.tmp"
        mv "$o.tmp" "$o"
        echo "g++ $opt $1.cpp $(elapsed "$s")" >>timings.txt
    fi
}

need_service=0 need_proxy=0
for program in "$@"; do
    if [ "$program" = server ]; then need_service=1; else need_proxy=1; fi
done
objects=(soapC)
[ $need_proxy = 1 ] && objects+=(soapBasicHttpBinding_USCOREUserProxy)
[ $need_service = 1 ] && objects+=(soapBasicHttpBinding_USCOREUserService)
if [ "${GSOAP_JOBS:-2}" = 1 ]; then
    # One at a time: each file's compile time alone (scripts/bench.sh).
    for o in "${objects[@]}"; do object "$o"; done
else
    # The large soapC.cpp and the class files in parallel (two cores).
    pids=()
    for o in "${objects[@]}"; do object "$o" & pids+=($!); done
    for p in "${pids[@]}"; do wait "$p"; done
fi

for program in "$@"; do
    if [ "$program" = server ]; then class=soapBasicHttpBinding_USCOREUserService; else class=soapBasicHttpBinding_USCOREUserProxy; fi
    s=$(now)
    g++ "$opt" -w -pthread $cflags -DWITH_DEFAULT_VIRTUAL -I. "$here/$program.cpp" soapC-"$tag".o "$class-$tag".o $libs -o "$program.tmp"
    mv "$program.tmp" "$program"
    echo "g++ $opt $program $(elapsed "$s")" >>timings.txt
done
