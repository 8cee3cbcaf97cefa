#!/usr/bin/env python3
"""Splits a callgrind profile of decodes into cost categories (instructions) by source.

Needs a build with line tables (`CARGO_PROFILE_RELEASE_DEBUG=line-tables-only cargo build
--release ...`) and profiles taken with `valgrind --tool=callgrind --dump-instr=yes`. Every
instruction is charged through its inline chain (`addr2line -i`) to the innermost frame that is
the runtime's, quick-xml's or generated code, so that the tokenizer inlined into the reader
still counts as the tokenizer, and library code (iterators, slices) as the code that used it.
Calls to shared helpers (memchr, memcmp, memcpy, from_utf8) are charged the same way at the
call instruction; allocation (malloc, free, growth) is a category of its own.

usage:
  profile-by-source.py BINARY FILE [DIVISOR]               # FILE's costs / DIVISOR
  profile-by-source.py BINARY LONG DIVISOR --minus SHORT   # (LONG - SHORT) / DIVISOR: two runs of
                                                           # `bench_e2e profile WHAT N` with
                                                           # different N: the setup cancels out
  --detail                                                 # also the top functions per category
"""
import subprocess
import os
import re
import sys
from collections import defaultdict

CATEGORIES = [
    "tokenizer: markup, names, attribute syntax, text scanning, end-tag checks",
    "attribute parsing by quick-xml (called from the reader)",
    "UTF-8 validation per event (quick-xml)",
    "UTF-8 validation once per document",
    "document character check (XML 1.0 Char)",
    "namespace resolution (declarations, prefix lookup)",
    "text unescaping and normalization (references, line ends, attribute values)",
    "name matching and filling fields (generated decoders)",
    "value parsing (booleans, integers, flag lists, strings)",
    "allocation and freeing (malloc, free, growth)",
    "reader: next_child, enter/leave, path, slots, text assembly, attribute lookup",
    "envelope, headers, fault check",
    "other",
]

ALLOC = re.compile(r'^(malloc|free|realloc|calloc|_int_malloc|_int_free|_int_realloc|malloc_consolidate|'
                   r'unlink_chunk|tcache|__libc_malloc|__libc_free|cfree)|__rust_alloc|__rust_dealloc|'
                   r'__rust_realloc|__rustc::__rust|alloc::alloc::|raw_vec::|finish_grow|grow_one|'
                   r'grow_amortized|do_reserve_and_handle')
SHARED = re.compile(r'memchr::|^__mem|^mem(cpy|move|cmp|set)|^__strlen|core::str::converts::from_utf8|'
                    r'core::str::validations|core::slice::memchr')

# Functions of the runtime's XML files (old and new layout) and their categories.
READER_FN = {
    'lookup': 5, 'borrow': 5, 'declare': 5, 'check_attribute_names': 5, 'check_expanded_names': 5,
    'namespace_of': 5, 'in_scope': 5, 'in_scope_outside': 5, 'xsi_type': 10,
    'resolve_ref': 6, 'normalized': 6,
    'check_chars': 4, 'find_non_xml_char': 4,
    'syntax': 12, 'refused': 12, 'check_encoding_prefix': 12,
}


def source_functions(path, cache={}):
    """Line number -> name of the innermost `fn` around it, for a Rust source file."""
    if path in cache:
        return cache[path]
    out = {}
    try:
        lines = open(path).read().split('\n')
    except OSError:
        cache[path] = out
        return out
    stack = []  # (indent, name)
    for i, line in enumerate(lines, 1):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if stripped and not stripped.startswith(('//', '#', ')', ']', '}')):
            while stack and indent <= stack[-1][0] and not stripped.startswith(('.', '&&', '||', '|', 'where')):
                stack.pop()
        m = re.match(r'\s*(pub(\([a-z]+\))?\s+)?(const\s+)?(unsafe\s+)?fn\s+([A-Za-z0-9_]+)', line)
        if m:
            stack.append((indent, m.group(5)))
        out[i] = stack[-1][1] if stack else None
    cache[path] = out
    return out


def own_name(path):
    """The last segment of a function path that is not a closure: `check_chars` for
    `...::XmlReader::check_chars::{closure#1}`."""
    parts = [p for p in path.split('::') if not p.startswith('{closure')]
    return parts[-1] if parts else path


def category(path, line, fn_name):
    """Category index of the instructions of `path`:`line` (in the function `fn_name`)."""
    p = path or ''
    if 'quick-xml' in p:
        if p.endswith('events/attributes.rs'):
            return 1
        if p.endswith('escape.rs'):
            return 6
        return 0
    if '/runtime/src/' in p:
        base = os.path.basename(p)
        # Inlined frames are named without their path, closures only `{closure#N}`: those are
        # placed by the function around their line in the source.
        fn = own_name(fn_name) if fn_name else None
        if not fn or fn.startswith('{closure'):
            fn = source_functions(p).get(line)
        if base == 'tokenizer.rs':
            return 0
        if base == 'chars.rs':
            return 4 if fn == 'find_non_xml_char' else 0
        if base == 'references.rs':
            return 6
        if base == 'namespaces.rs':
            return 5
        if base == 'encoding.rs':
            return 12
        if base == 'reader.rs':
            if fn in READER_FN:
                return READER_FN[fn]
            if fn in ('is', 'local', 'ns'):
                return 7
            return 10
        if base in ('codec.rs', 'nillable.rs', 'choice.rs', 'attributes.rs', 'tree.rs'):
            return 10
        if base in ('soap.rs', 'operation.rs', 'addressing.rs', 'security.rs', 'dispatch.rs', 'request.rs'):
            return 11
        if base in ('collections.rs',) or '/value/' in p:
            return 8
        return 12
    if '/out/' in p and p.endswith('.rs'):
        return 7  # generated code (OUT_DIR)
    return None  # library code: charged to the function it is inlined into


def function_category(fn):
    """Category of library code inlined into (or standing for) the function `fn`."""
    if ALLOC.search(fn) or fn.startswith(('core::ptr::drop_in_place', '<alloc::')):
        return 9
    if fn.startswith(('quick_xml', '<quick_xml')):
        return 1 if 'attributes' in fn else (6 if 'escape' in fn else 0)
    if 'services87::' in fn:
        return 7
    if re.search(r'parse_text|FromStr|from_str|core::num|SimpleType|trim_matches|value::', fn):
        return 8
    if re.search(r'xml::tokenizer|xml::chars::name_end|RawAttributes', fn):
        return 0
    if 'find_non_xml_char' in fn or 'check_chars' in fn:
        return 4
    if re.search(r'xml::references|resolve_ref|reader::normalized', fn):
        return 6
    if re.search(r'XmlReader::(lookup|borrow|declare|check_attribute_names|check_expanded_names)', fn):
        return 5
    if re.search(r'wsdlgen_runtime::(soap|operation|server)', fn):
        return 11
    if re.search(r'wsdlgen_runtime::', fn):
        return 10
    if re.search(r'drop_in_place|<alloc::|alloc::string|alloc::vec|alloc::borrow', fn):
        return 9
    return 12


def parse(path):
    """Exclusive costs by (function, object, address) and calls by (caller, object, address, callee)."""
    names = {'fn': {}, 'ob': {}}

    def named(spec, table):
        m = re.match(r'\((\d+)\)(?: (.*))?$', spec)
        if not m:
            return spec
        if m.group(2) is not None:
            table[m.group(1)] = m.group(2)
        return table.get(m.group(1), '?')

    def advance(token, last):
        if token == '*':
            return last
        if token[0] in '+-':
            return last + int(token, 0)
        return int(token, 0)

    excl = defaultdict(int)
    calls = defaultdict(int)
    fn = ob = callee = None
    addr = line = 0
    pending = False
    with open(path) as f:
        for raw in f:
            raw = raw.rstrip('\n')
            if not raw:
                continue
            c = raw[0]
            if raw.startswith('ob='):
                ob = named(raw[3:], names['ob'])
            elif raw.startswith('fn='):
                fn = named(raw[3:], names['fn'])
            elif raw.startswith('cob='):
                named(raw[4:], names['ob'])
            elif raw.startswith('cfn='):
                callee = named(raw[4:], names['fn'])
            elif raw.startswith('calls='):
                pending = True
            elif c.isdigit() or c in '+-*':
                parts = raw.split()
                addr = advance(parts[0], addr)
                line = advance(parts[1], line) if len(parts) > 2 else line
                cost = int(parts[-1])
                if pending:
                    calls[(fn, ob, addr, callee)] += cost
                    pending = False
                else:
                    excl[(fn, ob, addr)] += cost
    return excl, calls


def inline_chains(binary, addresses, cache={}):
    """Address -> [(function, file, line)], innermost first, from `addr2line -i`."""
    todo = sorted(a for a in addresses if a not in cache)
    if todo:
        out = subprocess.run(['addr2line', '-a', '-i', '-f', '-C', '-e', binary], input='\n'.join(hex(a) for a in todo),
                             capture_output=True, text=True, check=True).stdout.split('\n')
        cur = None
        i = 0
        while i < len(out):
            l = out[i]
            if l.startswith('0x'):
                cur = int(l, 16)
                cache[cur] = []
                i += 1
                continue
            if cur is not None and i + 1 < len(out):
                where = out[i + 1]
                file, _, ln = where.rpartition(':')
                ln = ln.split(' ')[0]
                cache[cur].append((l, file, int(ln) if ln.isdigit() else 0))
            i += 2
    return cache


def interesting(file):
    return bool(file) and ('quick-xml' in file or '/runtime/src/' in file or '/out/' in file)


def classify(binary_name, fn, ob, addr, chains):
    """Category and label of instructions at `addr` of `fn`."""
    if ob and os.path.basename(ob) == binary_name and addr in chains and chains[addr]:
        chain = chains[addr]
        for frame_fn, file, line in chain:
            if interesting(file):
                cat = category(file, line, frame_fn)
                name = own_name(frame_fn)
                if name.startswith('{closure') and '/runtime/src/' in file:
                    name = f"{source_functions(file).get(line)}::{name}"
                return cat, f"{os.path.basename(file)}:{name[:40]}"
        outer = chain[-1][0]
        return function_category(outer), outer[:60]
    return function_category(fn), fn[:60]


def split(binary, path):
    excl, calls = parse(path)
    binary_name = os.path.basename(binary)
    wanted = {a for (fn, ob, a) in excl if ob and os.path.basename(ob) == binary_name}
    wanted |= {a for (fn, ob, a, _) in calls if ob and os.path.basename(ob) == binary_name}
    chains = inline_chains(binary, wanted)
    result = defaultdict(float)
    detail = defaultdict(lambda: defaultdict(float))
    for (fn, ob, addr), cost in excl.items():
        if SHARED.search(fn) or ALLOC.search(fn):
            continue  # charged at the call sites
        cat, label = classify(binary_name, fn, ob, addr, chains)
        result[cat] += cost
        detail[cat][label] += cost
    for (fn, ob, addr, callee), cost in calls.items():
        if SHARED.search(fn) or ALLOC.search(fn):
            continue  # inside a shared helper: already in its caller's inclusive cost
        if ALLOC.search(callee):
            result[9] += cost
            detail[9][callee[:60]] += cost
        elif 'from_utf8' in callee or 'str::validations' in callee:
            cat, label = classify(binary_name, fn, ob, addr, chains)
            cat = 2 if cat in (0, 1) else 3
            result[cat] += cost
            detail[cat][f"from_utf8 from {label}"] += cost
        elif SHARED.search(callee):
            cat, label = classify(binary_name, fn, ob, addr, chains)
            result[cat] += cost
            detail[cat][f"{callee.split('::')[-1][:20]} from {label}"] += cost
    return result, detail


def main():
    args = [a for a in sys.argv[1:] if a != '--detail']
    show_detail = '--detail' in sys.argv
    binary = args[0]
    div = float(args[2]) if len(args) > 2 else 1.0
    result, detail = split(binary, args[1])
    if len(args) > 4 and args[3] == '--minus':
        small, small_detail = split(binary, args[4])
        for k, v in small.items():
            result[k] -= v
        for k, d in small_detail.items():
            for label, v in d.items():
                detail[k][label] -= v
    total = sum(result.values())
    for cat in sorted(result, key=lambda k: -result[k]):
        v = result[cat]
        if abs(v) / total < 0.0005:
            continue
        print(f"{v / div:12,.0f}  {100 * v / total:5.1f}%  {CATEGORIES[cat]}")
        if show_detail:
            for label, c in sorted(detail[cat].items(), key=lambda kv: -kv[1])[:10]:
                if abs(c) / total >= 0.002:
                    print(f"{'':20}{c / div:10,.0f}  {label}")
    print(f"{total / div:12,.0f}  100.0%  total")


if __name__ == '__main__':
    main()
