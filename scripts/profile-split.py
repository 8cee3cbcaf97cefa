#!/usr/bin/env python3
"""Splits a callgrind profile of decodes into cost categories (instructions), by function.

Uses callgrind's own output (no debug info needed): the exclusive cost of each function goes to
a category chosen by its name; the cost of shared helpers (memchr, memcmp, memcpy, from_utf8,
malloc, ...) is handed to their callers in proportion to the calls' inclusive costs, up to the
first caller that is not a shared helper. Code inlined into a function counts as that function's.

usage:
  profile-split.py FILE [DIVISOR]                  # FILE's costs / DIVISOR
  profile-split.py LONG DIVISOR --minus SHORT      # (LONG - SHORT) / DIVISOR: two runs of
                                                   # `bench_e2e profile WHAT N` with different N,
                                                   # so that the setup cancels out
"""
import re, sys
from collections import defaultdict

path = sys.argv[1]
div = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
names = {}
excl = defaultdict(int)
calls = defaultdict(lambda: defaultdict(int))  # callee -> caller -> inclusive
cur = None
pending_call = None
def name_of(spec, table):
    m = re.match(r'\((\d+)\)(?: (.*))?', spec)
    if not m:
        return spec
    if m.group(2):
        table[m.group(1)] = m.group(2)
    return table[m.group(1)]
fnames = {}
cfn = None
with open(path) as f:
    for line in f:
        line = line.rstrip('\n')
        if line.startswith('fn='):
            cur = name_of(line[3:], fnames)
            pending_call = None
        elif line.startswith('cfn='):
            cfn = name_of(line[4:], fnames)
        elif line.startswith('calls='):
            pending_call = cfn
        elif line and (line[0].isdigit() or line[0] in '+-*'):
            parts = line.split()
            if len(parts) < 2:
                continue
            cost = int(parts[1])
            if pending_call is not None:
                calls[pending_call][cur] += cost
                pending_call = None
            elif cur is not None:
                excl[cur] += cost
        elif line.startswith(('fl=', 'fi=', 'fe=', 'ob=', 'cob=', 'cfi=', 'cfl=')):
            if line.startswith(('fl=', 'fi=', 'fe=')):
                name_of(line[3:], {}) if False else None

SHARED = re.compile(r'(^memchr::|memchr|memcmp|__memcpy|__memmove|memmove|memcpy|core::str::converts::from_utf8|core::slice::memchr|'
                    r'malloc|_int_|free|realloc|__rust_alloc|__rust_dealloc|__rust_realloc|__rustc::|finish_grow|grow_one|'
                    r'alloc::raw_vec|unlink_chunk|alloc::alloc|do_reserve_and_handle|core::ptr::drop_in_place|'
                    r'<alloc::string::String as core::clone::Clone>|alloc::str::<impl|core::fmt|alloc::fmt)')

def category(fn, via):
    """Category of the exclusive cost of fn, reached through the chain `via` (shared helpers)."""
    chain = via + [fn]
    leaf = chain[0]
    if re.search(r'from_utf8', leaf):
        return 'UTF-8 validation, per event (quick-xml)' if fn.startswith(('quick_xml', '<quick_xml')) else 'UTF-8 validation, once per document'
    if re.search(r'malloc|_int_|free|realloc|__rust_alloc|__rust_dealloc|__rust_realloc|__rustc::|finish_grow|grow_one|raw_vec|unlink_chunk|alloc::alloc|do_reserve', leaf):
        return 'allocation (malloc, free, growth)'
    if 'drop_in_place' in leaf:
        return 'allocation (malloc, free, growth)'
    if re.search(r'__memcpy|__memmove|memmove|String as core::clone', leaf):
        return 'copies (memcpy into owned values)'
    n = fn
    if n.startswith(('quick_xml::events::attributes', '<quick_xml::events::attributes')):
        return 'attributes: quick-xml attribute parser (called by our reader)'
    if 'quick_xml::escape' in n or 'xml10_content' in n or 'normalized_value' in n:
        return 'text unescaping and normalization'
    if n.startswith(('quick_xml', '<quick_xml')):
        return 'tokenizer (quick-xml read_event: markup, text, end-name check)'
    if re.search(r'XmlReader::(lookup|borrow)|reader::contains|Binding', n):
        return 'namespace resolution (lookup, borrowing names and URIs)'
    if re.search(r'resolve_ref|reader::normalized|references::|text_value|attribute_value|line_ends', n):
        return 'text unescaping and normalization'
    if re.search(r'XmlReader::root|check_chars|find_non_xml_char', n):
        return 'document character check (root)'
    if re.search(r'parse_text|trim_matches|SimpleType|value::|FromStr|from_str|parse_tokens|core::num|::parse', n):
        return 'value parsing (integers, booleans, flag lists, strings)'
    if re.search(r'tokenizer::|Tokenizer', n):
        return 'tokenizer (ours)'
    if re.search(r'^<?services87::', n):
        return 'generated decoders (name matching, filling fields)'
    if re.search(r'wsdlgen_runtime::xml|wsdlgen_runtime::codec|wsdlgen_runtime::soap|wsdlgen_runtime::operation|XmlReader', n):
        return 'reader: events, entering/leaving elements, path, slots, attribute lookups'
    if re.search(r'^<?services87::|as wsdlgen_runtime::codec|HeaderSink', n):
        return 'generated decoders (name matching, filling fields)'
    return 'other: ' + n[:80]

result = defaultdict(float)
def attribute(fn, cost, via, depth=0):
    if cost == 0:
        return
    if SHARED.search(fn) and depth < 12 and calls[fn]:
        total = sum(calls[fn].values())
        for caller, c in calls[fn].items():
            attribute(caller, cost * c / total, via + [fn], depth + 1)
        return
    result[category(fn, via)] += cost

for fn, cost in excl.items():
    attribute(fn, cost, [])
if len(sys.argv) > 3 and sys.argv[3] == '--minus':
    # cgsplit.py B DIV --minus A : (B - A) / DIV
    base = dict(result)
    result.clear(); excl.clear(); calls.clear(); fnames.clear()
    cur = None; pending_call = None
    with open(sys.argv[4]) as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('fn='):
                cur = name_of(line[3:], fnames); pending_call = None
            elif line.startswith('cfn='):
                cfn = name_of(line[4:], fnames)
            elif line.startswith('calls='):
                pending_call = cfn
            elif line and (line[0].isdigit() or line[0] in '+-*'):
                parts = line.split()
                if len(parts) < 2: continue
                cost = int(parts[1])
                if pending_call is not None:
                    calls[pending_call][cur] += cost; pending_call = None
                elif cur is not None:
                    excl[cur] += cost
    for fn, cost in excl.items():
        attribute(fn, cost, [])
    small = dict(result)
    result.clear()
    for k in set(base) | set(small):
        result[k] = base.get(k, 0) - small.get(k, 0)
total = sum(result.values())
for k, v in sorted(result.items(), key=lambda kv: -kv[1]):
    if abs(v / total) >= 0.002:
        print(f"{v/div:12,.0f}  {100*v/total:5.1f}%  {k}")
print(f"{total/div:12,.0f}  100.0%  total")
