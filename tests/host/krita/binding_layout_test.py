#!/usr/bin/python3
"""The ctypes mirror of pictor.h in pictor_krita/binding.py against the header itself: every
field the binding declares has the C compiler's offset and size, and each struct is a prefix of
the C struct (the header appends fields; struct_size tells the library which ones we know).

    binding_layout_test.py --source-dir DIR [--cc CC]
"""

import argparse
import ctypes
import os
import subprocess
import sys
import tempfile

STRUCTS = {  # binding class -> C type
    "Error": "pictor_error", "ClientConfig": "pictor_client_config", "Progress": "pictor_progress",
    "InputImage": "pictor_input_image", "Request": "pictor_request", "LayerDesc": "pictor_layer_desc",
    "SelectionDesc": "pictor_selection_desc", "NewLayer": "pictor_new_layer", "Host": "pictor_host",
    "CommandOptions": "pictor_command_options",
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--cc", default="cc")
    args = parser.parse_args()
    sys.path.insert(0, os.path.join(args.source_dir, "host-adapters", "krita"))
    from pictor_krita import binding  # loads no library

    lines, expected = [], []
    for py_name, c_name in STRUCTS.items():
        cls = getattr(binding, py_name)
        lines.append(f'printf("%zu\\n", sizeof({c_name}));')
        expected.append((f"sizeof {c_name} >= binding", ctypes.sizeof(cls), ">="))
        for field, ctype in cls._fields_:
            lines.append(f'printf("%zu %zu\\n", offsetof({c_name}, {field}), sizeof((({c_name} *)0)->{field}));')
            expected.append((f"{c_name}.{field}", (getattr(cls, field).offset, ctypes.sizeof(ctype)), "=="))
    lines.append('printf("%d\\n", PICTOR_ABI_VERSION >> 8);')
    expected.append(("PICTOR_ABI_VERSION high byte", binding.ABI_VERSION >> 8, "=="))
    lines.append('printf("%d\\n", PICTOR_VERSION_NUMBER / 100);')
    expected.append(("PICTOR_VERSION_NUMBER major.minor", binding.VERSION_NUMBER // 100, "=="))
    source = ("#include <stdio.h>\n#include <stddef.h>\n#include <pictor/pictor.h>\nint main(void) {\n"
              + "\n".join(lines) + "\nreturn 0;\n}\n")
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "layout.c"), "w") as f:
            f.write(source)
        exe = os.path.join(tmp, "layout")
        subprocess.run([args.cc, "-I", os.path.join(args.source_dir, "abi", "include"),
                        os.path.join(tmp, "layout.c"), "-o", exe], check=True)
        got = subprocess.run([exe], check=True, stdout=subprocess.PIPE, text=True).stdout.splitlines()
    problems = []
    for (what, want, how), line in zip(expected, got):
        value = tuple(int(v) for v in line.split()) if " " in line else int(line)
        if how == ">=" and not value >= want:
            problems.append(f"{what}: C {value} bytes, the binding {want}")
        if how == "==" and value != want:
            problems.append(f"{what}: C {value}, the binding {want} (offset, size)")
    if problems or len(got) != len(expected):
        print("FAILED: pictor_krita/binding.py does not match abi/include/pictor/pictor.h:")
        for p in problems:
            print("  - " + p)
        return 1
    print(f"passed: {len(expected)} fields and sizes match")
    return 0


if __name__ == "__main__":
    sys.exit(main())
