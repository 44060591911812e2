#!/usr/bin/env python3
"""Every `pictor COMMAND --help` says what the command accepts, checked against the program.

The help texts are read, not copied: each claim found in them is tried on the real program,
the mock gateway (tests/mock_gateway) answering, so a help text that drifts from the behaviour
fails here.

- The options a command's help lists are accepted by it; options other commands list are
  refused by it as unknown.
- "a, b or c" at the start of an option's help: each value works end to end (exit 0 against
  the mock), a value not listed is refused before sending, with a message naming the listed ones.
- A range "N-M" (value name or help): N and M are accepted, M+1 refused naming the option.
- "repeat": the option given twice works end to end.
- "needs --X ...": without --X it is refused naming --X; with it (and the value the help
  names) it works end to end.

usage: cli_help_test.py PICTOR MOCK_GATEWAY_SCRIPT WORK_DIR
"""

import os
import re
import shutil
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "host"))
from host_test_support import MockGateway, write_pattern  # noqa: E402

from PIL import Image  # noqa: E402

IMAGE_COMMANDS = ("generate", "edit", "inpaint")
failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message)


def run(pictor, args, env):
    return subprocess.run([pictor] + args, env=env, capture_output=True, text=True, timeout=120)


def options_of(help_text):
    """{long option: (value name or None, its help text)} from the option column."""
    options, current = {}, None
    for line in help_text.splitlines():
        m = re.match(r"^  (?:-([a-z]), )?(--[a-z][a-z-]*|-[a-z])(?: (\S+))?(?:\s{2,}(.*))?$", line)
        if m and not line.startswith("   "):
            name = m.group(2)
            if name == "-n":  # -n COUNT's long twin is --count
                name = "--count"
            current = name
            options[name] = [m.group(3), m.group(4) or ""]
        elif current and line.startswith(" " * 26):
            options[current][1] += " " + line.strip()
        elif not line.strip():
            current = None
    return {k: (v[0], v[1]) for k, v in options.items()}


def listed_values(text):
    """'low, medium, high or auto' / 'png (default), jpeg or webp: ...' -> the words."""
    m = re.match(r"^([a-z]+(?: \(default\))?(?:, [a-z]+(?: \(default\))?)* or [a-z]+)\b", text)
    if not m:
        return []
    return re.split(r", | or ", m.group(1).replace(" (default)", ""))


def main():
    pictor, mock_script, work = sys.argv[1], sys.argv[2], sys.argv[3]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    home = os.path.join(work, "home")
    os.makedirs(home)
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "XDG_CONFIG_HOME": os.path.join(home, ".config"),
           "XDG_DATA_HOME": os.path.join(home, ".local/share"), "LANG": "C.UTF-8",
           "PICTOR_HISTORY_DIR": os.path.join(work, "history")}

    top = run(pictor, ["--help"], env)
    commands = re.findall(r"^  ([a-z][a-z-]*) ", top.stdout.split("commands:", 1)[-1], re.M)
    if top.returncode != 0 or not set(IMAGE_COMMANDS) <= set(commands):
        fail(f"pictor --help (exit {top.returncode}) lists {commands}, not {IMAGE_COMMANDS}")
        return
    helps = {}
    for command in commands:
        done = run(pictor, [command, "--help"], env)
        if done.returncode != 0 or not done.stdout.startswith("usage: pictor " + command):
            fail(f"pictor {command} --help: exit {done.returncode}, {done.stdout[:80]!r}")
        helps[command] = done.stdout
    options = {c: options_of(helps[c]) for c in IMAGE_COMMANDS}
    universe = set().union(*options.values())

    # 1. listed <=> accepted (parsing only: no prompt, so nothing is ever sent)
    for command in IMAGE_COMMANDS:
        for option in sorted(universe):
            value_name = (options[command].get(option) or next(
                o[option] for o in options.values() if option in o))[0]
            args = [command, option] + (["1"] if value_name else [])
            done = run(pictor, args, env)
            refused = f"unknown option {option}" in done.stderr
            if option in options[command] and refused:
                fail(f"{command} --help lists {option}, but {command} refuses it: {done.stderr.strip()}")
            if option not in options[command] and not refused:
                fail(f"{command} accepts {option} ({done.stderr.strip()!r}), but its --help does not list it")

    mock = MockGateway(mock_script, work)
    mock.start()
    try:
        env.update({"PICTOR_API_KEY": "sk-help-test", "PICTOR_BASE_URL": mock.base_url("openai"),
                    "PICTOR_PROFILE": "openai"})
        image, _ = write_pattern(work, "picture.png", 256, 256, 7)
        selection = os.path.join(work, "selection.png")
        sel = Image.new("L", (256, 256), 0)
        sel.paste(255, (64, 64, 160, 160))
        sel.save(selection)
        out = os.path.join(work, "out.png")
        base = {"generate": ["generate", "a lighthouse", "-o", out],
                "edit": ["edit", "a lighthouse", "--image", image, "-o", out],
                "inpaint": ["inpaint", "a lighthouse", "--image", image, "--selection", selection, "-o", out]}

        def works(command, extra, claim):
            done = run(pictor, base[command] + extra, env)
            if done.returncode != 0:
                fail(f"{command} --help says {claim}, but `{' '.join([command] + extra)}` exits "
                     f"{done.returncode}: {done.stderr.strip()}")
            return done.returncode == 0

        for command in IMAGE_COMMANDS:
            for option, (value_name, text) in options[command].items():
                values = listed_values(text)
                for value in values:
                    works(command, [option, value], f"{option} takes {value}")
                if values:
                    done = run(pictor, base[command] + [option, "bogus"], env)
                    if done.returncode != 2 or not all(v in done.stderr for v in values):
                        fail(f"{command} {option} bogus: exit {done.returncode}, {done.stderr.strip()!r} "
                             f"(the help lists {values})")

                rng = re.search(r"\b(\d+)-(\d+)\b", (value_name or "") + " " + text)
                if rng and value_name:
                    low, high = int(rng.group(1)), int(rng.group(2))
                    for good in (low, high):
                        done = run(pictor, [command, option, str(good)], env)
                        if option in done.stderr:
                            fail(f"{command} --help says {option} {low}-{high}, but {good} is refused: "
                                 f"{done.stderr.strip()}")
                    done = run(pictor, [command, option, str(high + 1)], env)
                    named = option in done.stderr or (option == "--count" and "-n " in done.stderr)
                    if done.returncode != 2 or not named:
                        fail(f"{command} --help says {option} {low}-{high}, but {high + 1} gives exit "
                             f"{done.returncode}: {done.stderr.strip()!r}")

                if "repeat" in text:
                    again = [option, image] if value_name == "FILE" else [option, "1"]
                    # edit and inpaint name one --image already: this is the second
                    works(command, again if option in base[command] else again + again,
                          f"{option} can be repeated")

                needs = re.search(r"needs (--[a-z-]+)(?: ([a-z]+))?", text)
                if needs and value_name:
                    other, other_value = needs.group(1), needs.group(2)
                    value = "1" if value_name != "DIR" else os.path.join(work, "partials")
                    done = run(pictor, base[command] + [option, value], env)
                    if done.returncode != 2 or other not in done.stderr:
                        fail(f"{command} --help says {option} needs {other}, but without it: exit "
                             f"{done.returncode}, {done.stderr.strip()!r}")
                    other_value = other_value or (values[0] if values else "1")
                    works(command, [option, value, other, other_value], f"{option} works with {other}")
    finally:
        mock.stop()

    if failures:
        print(f"{len(failures)} help claims do not hold")
        sys.exit(1)
    print("every --help claim checked holds")


if __name__ == "__main__":
    main()
