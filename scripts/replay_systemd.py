"""Replay the systemd unit's install steps, then start its ExecStart the way systemd would, in a clean folder.

    python scripts/replay_systemd.py [--unit deploy/newsdesk.service] [--work DIR]
                                     [--discord-api-base URL --discord-token T]

The install steps are the unit's own comment lines that start with `$` (no second list): they run in one shell,
in order, as root, with every absolute path read under a root folder R standing for `/` (as
scripts/replay_dockerfile.py does), from a checkout in R/opt/newsdesk (the repository's files, owned by root).
Where they would change this machine, a stand-in records instead: `useradd` (the user gets a free uid),
`install -o/-g`, `chown`, `chgrp` (names mapped to those ids), `runuser -u USER --` (runs as that uid),
`systemctl daemon-reload` (runs `systemd-analyze verify --root=R` on the unit copied in), `systemctl enable`.
`python3.11 -m venv` makes a venv that reaches this project's installed packages (no download) and whose `pip`
installs with `--no-index --no-build-isolation`: pip itself checks the torch pin and the requirements.
Documents (the sample corpus) are put in the corpus folder, as root, where the comments tell the operator to.

Then ExecStart runs as User in WorkingDirectory with Environment, NOTIFY_SOCKET and WATCHDOG_USEC set: it must
say READY=1 within TimeoutStartSec and WATCHDOG=1 within WatchdogSec, and stop with exit 0 on KillSignal within
TimeoutStopSec. Not covered: the sandbox options themselves (they need systemd as PID 1: `systemd-analyze
security` rates them instead), network-online.target, Restart=.
"""

from __future__ import annotations

import argparse
import configparser
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from replay_dockerfile import REPO, SAMPLE, ReplayFailed, base_python, context_files, replayed  # noqa: E402

FIRST_UID = 10042  # a uid no account on a test machine has


def install_steps(unit: Path) -> list[str]:
    """The unit's install commands: its comment lines `#   $ command`."""
    return [m.group(1) for line in unit.read_text().splitlines() if (m := re.match(r"#\s+\$ (.+)$", line))]


def mapped(root: Path, text: str) -> str:
    return re.sub(r"(^|[\s'\"=])(/[^\s'\"\\]*)", lambda m: m.group(1) + str(root) + m.group(2), text)


def write_shims(shims: Path, root: Path) -> None:
    """The stand-ins for commands that would change this machine (see the module docstring)."""
    shims.mkdir(parents=True, exist_ok=True)
    users = shims / "users"
    users.write_text("")
    py = sys.executable
    lookup = (f"def account(name):\n    for line in open({str(users)!r}):\n        n, i, home = line.split()\n"
              "        if n == name: return i, home\n    return name, '/'\n\n"
              "def uid(name):\n    return account(name)[0]\n")
    programs = {
        "useradd": f"import sys\nargs = sys.argv[1:]\nname = args[-1]\nn = sum(1 for _ in open({str(users)!r}))\n"
                   "home = args[args.index('--home-dir') + 1] if '--home-dir' in args else '/'\n"
                   f"open({str(users)!r}, 'a').write(f'{{name}} {{{FIRST_UID} + n}} {{home}}\\n')\n",
        "install": lookup + "import os, sys\nargs = sys.argv[1:]\nfor flag in ('-o', '-g'):\n"
                   "    if flag in args: args[args.index(flag) + 1] = uid(args[args.index(flag) + 1])\n"
                   "os.execv('/usr/bin/install', ['install', *args])\n",
        "chown": lookup + "import os, sys\nargs = sys.argv[1:]\n"
                 "i = next(k for k, a in enumerate(args) if not a.startswith('-'))\n"
                 "args[i] = ':'.join(uid(p) for p in args[i].split(':'))\nos.execv('/bin/chown', ['chown', *args])\n",
        "chgrp": lookup + "import os, sys\nargs = sys.argv[1:]\n"
                 "i = next(k for k, a in enumerate(args) if not a.startswith('-'))\n"
                 "args[i] = uid(args[i])\nos.execv('/bin/chgrp', ['chgrp', *args])\n",
        "runuser": lookup + "import os, sys\nargs = sys.argv[1:]\nname = args[args.index('-u') + 1]\n"
                   "command = args[args.index('--') + 1:]\nn, home = account(name)\nn = int(n)\nos.setgroups([])\n"
                   "os.setgid(n)\nos.setuid(n)\nos.environ.update(HOME=home, USER=name, LOGNAME=name)\n"
                   "os.execvp(command[0], command)\n",
        "python3.11": f"import os, subprocess, sys\nargs = sys.argv[1:]\nbase = {base_python('3.11')!r}\n"
                      "if args[:2] != ['-m', 'venv']:\n    os.execv(base, [base, *args])\n"
                      "venv = os.path.abspath(args[-1])\n"
                      "subprocess.run([base, '-m', 'venv', '--without-pip', venv], check=True)\n"
                      "site = os.path.join(venv, 'lib', 'python3.11', 'site-packages')\n"
                      f"reused = [p for p in {sys.path!r} if p.endswith('site-packages') and os.path.isdir(p)]\n"
                      "open(os.path.join(site, 'reused-packages.pth'), 'w').write(''.join(p + '\\n' for p in reused))\n"
                      "pip = os.path.join(venv, 'bin', 'pip')\n"
                      "open(pip, 'w').write(f'#!/bin/sh\\nif [ \"$1\" = install ]; then shift; exec \"{venv}/bin/python\" '\n"
                      "                     f'-m pip install --no-index --no-build-isolation \"$@\"; fi\\n'\n"
                      "                     f'exec \"{venv}/bin/python\" -m pip \"$@\"\\n')\nos.chmod(pip, 0o755)\n",
        "systemctl": "import os, subprocess, sys\nargs = sys.argv[1:]\n"
                     "if args[0] == 'daemon-reload':\n"
                     f"    units = os.listdir({str(root / 'etc/systemd/system')!r})\n"
                     f"    sys.exit(subprocess.run(['systemd-analyze', 'verify', '--root={root}', *units]).returncode)\n"
                     f"open({str(shims / 'systemctl.log')!r}, 'a').write(' '.join(args) + '\\n')\n",
    }
    for name, body in programs.items():
        (shims / name).write_text(f"#!{py}\n{body}")
        (shims / name).chmod(0o755)


def run_steps(root: Path, shims: Path, steps: list[str], cwd: Path, env: dict, log) -> Path:
    """Run `steps` in one shell (as an operator types them); returns the folder the shell ended in."""
    for step in steps:
        log(f"$ {step}")
    script = "set -e\n" + "".join(f"{mapped(root, s)}\n" for s in steps) + "pwd > \"$REPLAY_PWD\"\n"
    where = shims / "pwd"
    done = subprocess.run(["/bin/bash", "-c", script], cwd=cwd, env={**env, "REPLAY_PWD": str(where)},
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise ReplayFailed(f"an install step exited {done.returncode}:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    for line in done.stdout.splitlines():
        log(f"  | {line}")
    return Path(where.read_text().strip())


def service(unit: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # keys keep their case
    parser.read_string(unit.read_text())
    return dict(parser["Service"])


def seconds(value: str) -> float:
    m = re.fullmatch(r"(\d+)(s|min)?", value.strip())
    if not m:
        raise ReplayFailed(f"a time span the replay does not read: {value!r}")
    return float(m.group(1)) * (60 if m.group(2) == "min" else 1)


def start(root: Path, shims: Path, unit: Path, discord: dict[str, str], log) -> None:
    """ExecStart as systemd runs it (Type=notify): READY=1, WATCHDOG=1, then a clean stop on KillSignal."""
    s = service(unit)
    if s.get("Type") != "notify":
        raise ReplayFailed(f"Type={s.get('Type')}: the replay expects notify")
    uid = next(int(i) for n, i, _ in (line.split() for line in (shims / "users").read_text().splitlines())
               if n == s["User"])
    words = shlex.split(s["ExecStart"])
    env_file = Path(mapped(root, words[words.index("--env-file") + 1]))
    with env_file.open("a") as f:  # what the operator fills in
        f.write(f"DISCORD_TOKEN={discord['token']}\nDISCORD_API_BASE={discord['api_base']}\n")
    env = dict(kv.split("=", 1) for kv in shlex.split(s.get("Environment", "")))
    notify_path = shims / "notify"
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(str(notify_path))
    os.chmod(notify_path, 0o777)
    watchdog = seconds(s.get("WatchdogSec", "0"))
    env.update(PATH="/usr/sbin:/usr/bin:/sbin:/bin", NOTIFY_SOCKET=str(notify_path), LANG="C.UTF-8",
               WATCHDOG_USEC=str(int(watchdog * 1e6)), HOME=mapped(root, s["WorkingDirectory"]))
    argv = [mapped(root, w) for w in shlex.split(s["ExecStart"])]
    log(f"ExecStart as uid {uid}: {shlex.join(argv)}")
    proc = subprocess.Popen(argv, cwd=mapped(root, s["WorkingDirectory"]), env=env, user=uid, group=uid,
                            extra_groups=[], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    told: list[str] = []

    def wait_for(what: str, within: float) -> None:
        notify.settimeout(0.5)
        deadline = time.monotonic() + within
        while not any(what in m for m in told):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise ReplayFailed(f"no {what} within {within:.0f} s (told {told}); exit {proc.poll()}")
            try:
                told.append(notify.recv(4096).decode())
            except socket.timeout:
                pass

    try:
        wait_for("READY=1", seconds(s.get("TimeoutStartSec", "90")))
        log(f"  READY=1 ({[m for m in told if 'READY' in m][0].splitlines()[-1]})")
        wait_for("WATCHDOG=1", watchdog)
        log("  WATCHDOG=1")
    finally:
        proc.send_signal(getattr(signal, s.get("KillSignal", "SIGTERM")))
        try:
            _, err = proc.communicate(timeout=seconds(s.get("TimeoutStopSec", "90")))
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        notify.close()
    if proc.returncode != 0 or "Traceback" in err:
        raise ReplayFailed(f"{s.get('KillSignal')} ended the bot with exit {proc.returncode}:\n{err[-3000:]}")
    log(f"  stopped by {s.get('KillSignal', 'SIGTERM')}: exit 0")


def replay(unit: Path, work: Path, *, discord: dict[str, str] | None = None, context: Path = REPO, log=print) -> Path:
    """Install as the unit's comments say, under work/root; start the unit when a Discord is given."""
    work.mkdir(parents=True, exist_ok=True)
    work.chmod(0o755)
    closed = [p for p in work.parents if not p.stat().st_mode & 0o001]
    if closed:
        raise ReplayFailed(f"{closed[0]} is closed to other users: replay in a folder the unit's user can reach")
    root, shims = work / "root", work / "shims"
    for folder in (root, shims):
        shutil.rmtree(folder, ignore_errors=True)
    checkout = root / "opt" / "newsdesk"
    for f in context_files(context):
        (checkout / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(context / f, checkout / f)
    shutil.copy2(unit, checkout / "deploy" / "newsdesk.service")  # the unit under test, maybe not the repository's
    (root / "etc" / "systemd" / "system").mkdir(parents=True)
    (root / "usr" / "lib" / "systemd").mkdir(parents=True)
    shutil.copytree("/usr/lib/systemd/system", root / "usr" / "lib" / "systemd" / "system", symlinks=True)
    write_shims(shims, root)
    env = {"PATH": f"{shims}:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": str(root / "root"), "LANG": "C.UTF-8",
           "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_CACHE_DIR": "1"}
    steps = install_steps(unit)
    first_as_user = next((i for i, s in enumerate(steps) if s.startswith("runuser ")), len(steps))
    cwd = run_steps(root, shims, steps[:first_as_user], root, env, log)
    corpus = root / "var" / "lib" / "newsdesk" / "corpus"
    log(f"(documents copied into {corpus.relative_to(root)}/ as the comments ask)")
    if not corpus.is_dir():
        raise ReplayFailed("the install steps made no /var/lib/newsdesk/corpus for the documents")
    for f in SAMPLE.iterdir():
        if f.is_file():
            shutil.copy(f, corpus / f.name)
    run_steps(root, shims, steps[first_as_user:], cwd, env, log)
    venv = root / "opt" / "newsdesk" / ".venv"
    names = subprocess.run([str(venv / "bin" / "python"), "-c", "import importlib.metadata as m; "
                            "print('\\n'.join(d.metadata['Name'] or '' for d in m.distributions()))"],
                           capture_output=True, text=True, check=True).stdout.split()
    cuda = [n for n in names if n.lower().startswith("nvidia-")]
    if cuda:
        raise ReplayFailed(f"CUDA packages installed: {', '.join(cuda)}")
    if discord:
        start(root, shims, root / "etc" / "systemd" / "system" / "newsdesk.service", discord, log)
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unit", type=Path, default=REPO / "deploy" / "newsdesk.service")
    parser.add_argument("--work", type=Path)
    parser.add_argument("--discord-api-base")
    parser.add_argument("--discord-token")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("replay failed: the install steps run as root (and the unit as its user): run as root")
        return 1
    work = args.work or Path(tempfile.mkdtemp(prefix="newsdesk-systemd-"))
    discord = {"api_base": args.discord_api_base, "token": args.discord_token} if args.discord_api_base else None
    return replayed(args.unit, work, args.work is None, lambda log: replay(args.unit, work, discord=discord, log=log))


if __name__ == "__main__":
    sys.exit(main())
