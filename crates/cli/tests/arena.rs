//! Programs that ask for more memory than a board has end in `MemoryError`, never in an
//! allocation the board's arena cannot serve (which resets the board).
//!
//! `-X arena=N` caps everything the interpreter allocates, as the pyboard's allocator arena
//! does (a Python heap of 28 KiB inside 122 KiB there; the host's 64-bit objects and its own
//! start-up take more, hence 128 KiB here). Each program must end normally, having raised
//! `MemoryError` (or another exception) inside Python: the process aborts with "memory
//! allocation of N bytes failed" when something grows outside the heap's budget.

use std::process::Command;

/// Each is run alone, inside `try`/`except` (line breaks become the block's lines).
const PROGRAMS: &[&str] = &[
    "x = list(range(10**7))",
    "x = []; x.extend(range(10**7))",
    "x = [0] * 10**7",
    "x = bytearray(10**7)",
    "x = b'a' * 10**7",
    "x = 'a' * 10**7",
    "x = {i: i for i in range(10**6)}",
    "x = [[] for i in range(10**6)]",
    "x = set(range(10**6))",
    "x = tuple(range(10**7))",
    "x = bytes(range(256)) * 100000",
    "x = sorted(range(10**6))",
    "x = str(10**5000)",
    "x = 'ab'.join(['x'] * 10**6)",
    "import re; re.match('(a|b)*' * 50, 'ab' * 10000)",
    "import re; re.compile('a' * 100000)",
    "x = ' '.join(str(i) for i in range(10**6))",
    "x = bytearray(); x.extend(range(256)) ; x *= 100000",
    "import io; x = io.BytesIO(); [x.write(b'a' * 1000) for i in range(10000)]",
    "x = '%s' % ('a' * 10**6)",
    "x = list(zip(range(10**6), range(10**6)))",
    "x = '{}'.format('a' * 10**6)",
    "import deflate, io; d = deflate.DeflateIO(io.BytesIO(b''), deflate.RAW, 15)",
    "import deflate, io; deflate.DeflateIO(io.BytesIO(b'x\\xda\\x03\\x00\\x00\\x00\\x00\\x01')).read()",
    "import deflate, io; deflate.DeflateIO(io.BytesIO(), deflate.ZLIB, 15).write(b'a' * 100)",
    "x = [i for i in range(10**7)]",
    "x = memoryview(bytearray(10**7))",
    "x = 'a' * 5000; y = x.split('a')",
    "import json; json.loads('[' * 100000)",
    "import json; x = json.dumps(list(range(10**6)))",
    "import struct; struct.pack('100000s', b'')",
    "import struct; struct.pack('10000000x')",
    "x = bytes(10**7)",
    "x = int('9' * 100000)",
    "x = float('1' * 100000)",
    "x = '9' * 100000; eval(x)",
    "exec('x = 1\\n' * 100000)",
    "exec('class C:\\n' + ''.join('  def m%d(self, a, b=2):\\n    x = [a * k for k in range(b)]\\n    return {\\'k%d\\': x}\\n' % (i, i) for i in range(400)))",
    "exec('d = {' + ''.join('\\'k%d\\': [%d, \\'v%d\\'],\\n' % (i, i, i) for i in range(2000)) + '}')",
    "exec('x = [' + '(1, 2.5, \\'a\\'), ' * 5000 + ']')",
    "exec('def f():\\n    x = 0\\n    while x < 10:\\n' + '        x += 1\\n' * 3000 + '    return x')",
    "import binascii; binascii.hexlify(bytes(10**6))",
    "import framebuf; framebuf.FrameBuffer(bytearray(10), 10**5, 10**5, framebuf.MONO_HLSB)",
    "x = range(10**9); y = list(x)",
    "x = bytearray(100); x[0:0] = bytes(10**6)",
    "x = [1,2,3]; x[1:1] = range(10**7)",
    "d = {}\nfor i in range(100000): d[i] = i",
    "s = set()\nfor i in range(100000): s.add(i)",
    "b = bytearray()\nfor i in range(100000): b.append(1)",
    "s = ''\nfor i in range(100000): s += 'ab'",
    "x = [str(i) for i in range(100000)]",
    "x = sorted(range(10000), key=lambda v: -v)",
    "x = list(reversed(range(10**6)))",
    "x = dict.fromkeys(range(10**6))",
    "x = [i for i in range(10**6) if i % 2]",
    "x = {i for i in range(10**6)}",
    "x = list(map(str, range(10**5)))",
    "x = list(filter(None, range(10**6)))",
    "x = list(enumerate(range(10**6)))",
    "x = b''.join([b'ab'] * 10**6)",
    "x = '-'.join(map(str, range(10**5)))",
    "x = 'a' * 1000; y = x.replace('a', 'bbbbbbbbbb' * 10)",
    "x = ('a' * 5000).center(10**7)",
    "x = 'abc' * 3000; y = x.upper() * 10",
    "x = [0] * 1000; y = x * 1000",
    "x = bytes(1000).hex() * 100",
    "x = list(range(1000)); x.sort(); x *= 1000",
    "import collections; d = collections.deque((), 10**7)\nfor i in range(10**6): d.append(i)",
    "import array; a = array.array('i', range(10**6))",
    "import array; a = array.array('b'); a.extend(range(100)) ; a *= 100000",
    "x = str(list(range(10**5)))",
    "x = repr({i: str(i) for i in range(10**4)})",
    "import json; json.dumps({str(i): i for i in range(10**4)})",
    "x = '%d ' * 10**5 % tuple(range(10**5))",
    "x = f'{\"a\" * 10**6}'",
    "x = [[0] * 100 for i in range(10**4)]",
    "def f(*a): return a\nf(*range(10**6))",
    "def f(**k): return k\nf(**{str(i): i for i in range(10**4)})",
    "x = max(range(10**6)); y = list(zip(*[range(100)] * 1000))",
    "x = int('1' * 5000) ** 50",
    "x = 7 ** 100000",
    "x = bytes(range(256)).decode('latin1') if False else str(bytes(10**5))",
    "import io; s = io.StringIO(); [s.write('abc') for i in range(10**5)]",
    "import hashlib; h = hashlib.sha256(bytes(10**5)).digest()",
    "import re; re.sub('a', 'bb', 'a' * 20000)",
    "import re; re.split(',', ',' * 50000)",
    "import re; re.findall('a', 'a' * 50000) if hasattr(re, 'findall') else [m for m in []]",
];

#[test]
fn big_requests_are_memory_errors_within_a_boards_arena() {
    let mut failures = Vec::new();
    for program in PROGRAMS {
        let body = program.replace('\n', "\n    ");
        let code = format!(
            "try:\n    {body}\nexcept MemoryError:\n    print('MemoryError')\n\
             except Exception as e:\n    print(type(e).__name__, e)\nprint('end')"
        );
        let out = Command::new(env!("CARGO_BIN_EXE_pyrite"))
            .args(["-X", "heapsize=28k", "-X", "arena=128k", "-c", &code])
            .output()
            .expect("run pyrite");
        let text = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() || !text.ends_with("end\n") {
            failures.push(format!(
                "{program}: {text}{}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
