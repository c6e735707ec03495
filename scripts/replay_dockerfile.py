"""Replay the Dockerfile's own steps in a clean folder, as its non-root user, where no container can be started.

    python scripts/replay_dockerfile.py [--dockerfile Dockerfile] [--work DIR [--cache DIR]]
                                        [--discord-api-base URL --discord-token T]

The Dockerfile is parsed with `dockerfile` (BuildKit's own parser) and each instruction is carried out under a
root folder R standing for the image's `/`: every absolute path the file names (ENV values, WORKDIR, COPY
destinations, VOLUME, words of RUN commands) is read as R + path. So the file set is what the COPY lines copy
(from the build context: the repository's files as `git ls-files` lists them, less .dockerignore), and a
missing COPY, a missing `chown`, a folder its user cannot read fails the replay the way it fails the image.

What stands in for what the image has:
- FROM python:3.11-slim: a venv at R/usr/local made by a system Python 3.11; it reaches the packages already
  installed in this project's .venv through a .pth file, so no wheel is downloaded (the cost stays ~30-60 s).
- RUN: run by /bin/sh in the mapped WORKDIR with the mapped ENV, as the current USER. `pip` runs with
  `--no-index --no-build-isolation`: pip itself resolves each requirement (the torch pin, the extras) against
  the packages reused, and builds the project from the copied files; afterwards no CUDA package may be present.
  `useradd` records the user (name -> uid) instead of changing this machine; `chown` maps that name to its id.
- USER: later RUNs and the start run with that uid/gid (setuid: needs root; otherwise as the current user, said so).
- START: ENTRYPOINT with `ingest` (the corpus copied in as a bind mount would bring it: owned by root, read-only
  to the user), `ask`, `feeds list`, `doctor` when a Discord is given; then the default CMD with the HEALTHCHECK
  command polled until healthy (with a Discord given) and STOPSIGNAL sent, which must end it with exit 0.
  The models folder must not change while the user runs (a re-export there is a failure).

Not covered: the base image's own contents (Debian slim's libraries), the network (PyTorch's index is not
contacted: the pin is checked against the torch installed), the layer cache, ARG/ONBUILD/multi-stage builds
(refused), COPY --chown/--chmod and ADD (refused until the Dockerfile uses them).
Exit 0 when every step and check passed; 1 with the failing step otherwise.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import dockerfile

REPO = Path(__file__).resolve().parent.parent
QUESTION = "which ships left Tartus?"
SAMPLE = REPO / "corpus"


class ReplayFailed(Exception):
    pass


@dataclass
class Image:
    """The state of the image being replayed: its root folder, environment, working folder and user."""

    root: Path
    shims: Path
    env: dict[str, str] = field(default_factory=dict)
    workdir: str = "/"
    user: tuple[int, int] | None = None  # None: root
    entrypoint: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)
    healthcheck: list[str] = field(default_factory=list)
    stopsignal: str = "SIGTERM"
    volumes: list[str] = field(default_factory=list)

    def path(self, image_path: str) -> Path:
        """Where an absolute path of the image lies here."""
        return self.root / image_path.lstrip("/")

    def mapped(self, text: str) -> str:
        """`text` (a value, a shell command) with each absolute path that starts a word moved under the root."""
        return re.sub(r"(^|[\s'\"=])(/[^\s'\"\\]*)", lambda m: m.group(1) + str(self.path(m.group(2))), text)

    def process_env(self) -> dict[str, str]:
        keep = {k: os.environ[k] for k in ("LANG", "LC_ALL", "TZ") if k in os.environ}
        bin_dir = self.path("/usr/local/bin")
        return {**keep, "HOME": str(self.path("/root" if self.user is None else "/data")),
                "PATH": f"{self.shims}:{bin_dir}:/usr/sbin:/usr/bin:/sbin:/bin", **self.env}

    def run(self, argv: list[str], *, cwd: str | None = None, env: dict[str, str] | None = None, timeout: float = 600,
            check: bool = True, what: str = "") -> subprocess.CompletedProcess:
        user = {} if self.user is None or os.geteuid() != 0 else {"user": self.user[0], "group": self.user[1],
                                                                   "extra_groups": []}
        done = subprocess.run(argv, cwd=self.path(cwd or self.workdir), env={**self.process_env(), **(env or {})},
                              capture_output=True, text=True, timeout=timeout, **user)
        if check and done.returncode != 0:
            raise ReplayFailed(f"{what or shlex.join(argv)} exited {done.returncode}:\n{done.stdout[-3000:]}"
                               f"{done.stderr[-3000:]}")
        return done


def context_files(context: Path) -> list[str]:
    """The build context as `docker build` would send it from a clean clone: the repository's files (tracked, and
    untracked ones git does not ignore), less what .dockerignore excludes (a pattern excludes a folder's contents)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=context,
                            capture_output=True, check=True).stdout.decode().split("\0")
    ignore = context / ".dockerignore"
    patterns = [p.strip().rstrip("/") for p in ignore.read_text().splitlines()
                if p.strip() and not p.startswith("#")] if ignore.is_file() else []

    def ignored(path: str) -> bool:
        parts = path.split("/")
        prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
        return any(fnmatch.fnmatchcase(prefix, pattern) or fnmatch.fnmatchcase(parts[i - 1], pattern)
                   for pattern in patterns for i, prefix in enumerate(prefixes, 1))

    return sorted(p for p in listed if p and (context / p).is_file() and not ignored(p))


def copy(image: Image, context: Path, files: list[str], sources: list[str], dest: str) -> list[str]:
    """COPY sources... dest: a folder's contents into dest, files into dest (a folder when it ends in / or when
    several are copied); modes kept, owned by root, as COPY without --chown. Returns the files copied."""
    copied = []
    target = dest if dest.startswith("/") else f"{image.workdir.rstrip('/')}/{dest}"
    into_folder = dest.endswith("/") or len(sources) > 1
    for source in sources:
        source = source.rstrip("/").removeprefix("./")
        matched = [f for f in files if f == source or f.startswith(source + "/") or source in (".", "")]
        if not matched:
            raise ReplayFailed(f"COPY {source}: not in the build context (or excluded by .dockerignore)")
        for f in matched:
            if f == source:
                out = image.path(target) / Path(f).name if into_folder else image.path(target)
            else:
                out = image.path(target) / (f if source in (".", "") else f[len(source) + 1:])
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(context / f, out)
            copied.append(f)
    return copied


def write_shims(image: Image, venv_python: Path) -> None:
    """pip without the network, useradd that records, chown that knows the recorded users."""
    image.shims.mkdir(parents=True, exist_ok=True)
    users = image.shims / "users.json"
    users.write_text("{}")
    shims = {
        "pip": f'#!/bin/sh\nif [ "$1" = install ]; then shift; exec "{venv_python}" -m pip install --no-index '
               f'--no-build-isolation "$@"; fi\nexec "{venv_python}" -m pip "$@"\n',
        "useradd": f'#!{sys.executable}\nimport json, sys\nargs = sys.argv[1:]\nuid = int(args[args.index("--uid") + 1])'
                   f'\nusers = json.load(open("{users}"))\nusers[args[-1]] = uid\njson.dump(users, open("{users}", "w"))\n',
        "chown": f'#!{sys.executable}\nimport json, os, sys\nusers = json.load(open("{users}"))\nargs = sys.argv[1:]\n'
                 'spec = next(a for a in args if not a.startswith("-"))\n'
                 'ids = [str(users.get(p, p)) for p in spec.split(":")]\n'
                 'args[args.index(spec)] = ":".join(ids)\nos.execv("/bin/chown", ["chown", *args])\n',
    }
    for name, text in shims.items():
        (image.shims / name).write_text(text)
        (image.shims / name).chmod(0o755)


def base_python(version: str) -> str:
    """A system Python of the base image's version (python:3.11-slim: 3.11), readable by any user."""
    for candidate in (f"/usr/bin/python{version}", f"/usr/local/bin/python{version}", shutil.which(f"python{version}")):
        if candidate and Path(candidate).is_file():
            return candidate
    raise ReplayFailed(f"FROM python:{version}: no python{version} on this machine to stand in for it")


def _state(root: Path) -> dict[str, tuple[int, int, int]]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            st = os.lstat(os.path.join(dirpath, name))
            out[os.path.relpath(os.path.join(dirpath, name), root)] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return out


def cached_run(image: Image, cache: Path | None, key: str, run) -> bool:
    """Docker's layer cache for a RUN: its key chains every instruction before it (COPY by the files' contents);
    a hit restores the files the step made or changed (and removes those it removed). True on a hit. Replays
    sharing a cache must use the same work folder (the venv's scripts name it)."""
    if cache is None:
        run()
        return False
    layer, gone = cache / f"{key}.tar", cache / f"{key}.removed.json"
    if layer.is_file():
        import tarfile

        with tarfile.open(layer) as tar:
            tar.extractall(image.root, filter="fully_trusted")
        for name in json.loads(gone.read_text()):
            target = image.root / name
            shutil.rmtree(target) if target.is_dir() and not target.is_symlink() else target.unlink(missing_ok=True)
        return True
    before = _state(image.root)
    run()
    after = _state(image.root)
    import tarfile

    cache.mkdir(parents=True, exist_ok=True)
    with tarfile.open(cache / f".{key}.tar", "w") as tar:
        for name in sorted(after):
            if before.get(name) != after[name]:
                tar.add(image.root / name, arcname=name, recursive=False)
    gone.write_text(json.dumps(sorted(set(before) - set(after))))
    os.replace(cache / f".{key}.tar", layer)
    return False


def installed_packages(image: Image, context: Path) -> None:
    """After a `pip install` of the project: every package pyproject.toml declares imports from the image's
    Python outside the source folder (a package whose COPY is missing was silently left out of the wheel)."""
    import tomllib

    found = tomllib.loads((context / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    names = [pattern.rstrip("*") for pattern in found["include"]]
    probe = image.run(["python", "-c", "import importlib, sys\nfor n in sys.argv[1:]:\n"
                       "    try: importlib.import_module(n)\n    except ImportError as e: print(f'{n}: {e}')", *names],
                      cwd="/")
    if probe.stdout.strip():
        raise ReplayFailed(f"packages pyproject.toml declares are missing from the image: {probe.stdout.strip()}")


def replay(dockerfile_path: Path, work: Path, *, context: Path = REPO, discord: dict[str, str] | None = None,
           cache: Path | None = None, log=print) -> Image:
    """Carry out every instruction of `dockerfile_path`, then start the image as its user. Raises ReplayFailed.
    `cache`: a folder of RUN layers kept between replays in the same `work` folder (Docker's layer cache)."""
    import hashlib

    commands = dockerfile.parse_file(str(dockerfile_path))
    chain = hashlib.sha256()
    froms = [c for c in commands if c.cmd == "FROM"]
    if len(froms) != 1:
        raise ReplayFailed("one FROM expected (multi-stage builds are not replayed)")
    work.chmod(0o755)  # the image's user must reach its files
    closed = [p for p in work.parents if not p.stat().st_mode & stat.S_IXOTH]
    if closed:
        raise ReplayFailed(f"{closed[0]} is closed to other users: replay in a folder the image's user can reach")
    image = Image(root=work / "root", shims=work / "shims")
    files = context_files(context)
    if image.root.exists():
        shutil.rmtree(image.root)
    for c in commands:
        chain.update(c.original.encode())
        log(f"step {c.start_line}: {c.original[:110]}")
        if c.cmd == "FROM":
            m = re.fullmatch(r"python:(\d+\.\d+)(-slim.*)?", c.value[0])
            if not m:
                raise ReplayFailed(f"FROM {c.value[0]}: only python:X.Y images are replayed")
            venv = image.path("/usr/local")
            subprocess.run([base_python(m.group(1)), "-m", "venv", "--without-pip", str(venv)], check=True)
            site = next((venv / "lib").glob("python*/site-packages"))
            reused = [Path(p) for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
            shut = [d for r in reused for d in r.parents if not d.stat().st_mode & stat.S_IXOTH]
            if shut:  # the image's user would find none of the reused packages (e.g. a clone inside `mktemp -d`)
                raise ReplayFailed(f"{shut[0]} is closed to other users: the image's user cannot read the packages "
                                   "this Python reuses; run from a folder others can reach")
            (site / "reused-packages.pth").write_text("".join(f"{r}\n" for r in reused))
            write_shims(image, venv / "bin" / "python")
        elif c.cmd == "ENV":
            pairs = list(c.value)
            for key, value in zip(pairs[::2], pairs[1::2]):
                image.env[key] = image.mapped(value)
        elif c.cmd == "WORKDIR":
            target = c.value[0] if c.value[0].startswith("/") else f"{image.workdir.rstrip('/')}/{c.value[0]}"
            image.path(target).mkdir(parents=True, exist_ok=True)
            image.workdir = target
        elif c.cmd == "COPY":
            if c.flags:
                raise ReplayFailed(f"COPY {' '.join(c.flags)}: flags are not replayed")
            for f in copy(image, context, files, list(c.value[:-1]), c.value[-1]):
                chain.update(f.encode() + hashlib.sha256((context / f).read_bytes()).digest())
        elif c.cmd == "RUN":
            if c.json or c.flags:
                raise ReplayFailed("RUN in JSON form or with flags is not replayed")
            command = image.mapped(c.value[0])
            if cached_run(image, cache, chain.hexdigest(), lambda: image.run(["/bin/sh", "-c", command],
                                                                             what=f"RUN at line {c.start_line}")):
                log("  (cached)")
            if re.match(r"pip install\s+['\"]?\.", c.value[0]):
                installed_packages(image, context)
        elif c.cmd == "USER":
            name, _, group = c.value[0].partition(":")
            uid = int(name) if name.isdigit() else json.loads((image.shims / "users.json").read_text())[name]
            image.user = (uid, int(group) if group.isdigit() else uid)
        elif c.cmd == "VOLUME":
            image.volumes = list(c.value)
            for v in c.value:
                image.path(v).mkdir(parents=True, exist_ok=True)
        elif c.cmd == "HEALTHCHECK":
            if c.value[0] != "CMD" or not c.json:
                raise ReplayFailed("HEALTHCHECK CMD [\"...\"] expected")
            image.healthcheck = list(c.value[1:])
        elif c.cmd == "ENTRYPOINT":
            image.entrypoint = list(c.value) if c.json else ["/bin/sh", "-c", c.value[0]]
        elif c.cmd == "CMD":
            image.cmd = list(c.value) if c.json else ["/bin/sh", "-c", c.value[0]]
        elif c.cmd == "STOPSIGNAL":
            image.stopsignal = c.value[0]
        elif c.cmd in ("LABEL", "EXPOSE"):
            pass
        else:
            raise ReplayFailed(f"{c.cmd}: not replayed")
    start(image, discord, log)
    return image


def checked_packages(image: Image) -> None:
    """No CUDA package reached the image (PyTorch's CPU build is what the pin must bring)."""
    code = ("import importlib.metadata as m; print(json.dumps(sorted({d.metadata['Name'] for d in m.distributions()})))")
    names = json.loads(image.run(["python", "-c", "import json; " + code]).stdout)
    cuda = [n for n in names if n and n.lower().startswith(("nvidia-", "triton"))]
    if cuda:
        raise ReplayFailed(f"CUDA packages in the image: {', '.join(cuda)} (install torch from the CPU index first)")


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, int(p.stat().st_mtime_ns)) for p in folder.rglob("*")
            if p.is_file()}


def start(image: Image, discord: dict[str, str] | None, log) -> None:
    """Run the image as `docker run` would: ENTRYPOINT with commands, then its CMD watched by its HEALTHCHECK."""
    if image.user is not None and os.geteuid() != 0:
        log(f"not root: the image's user {image.user[0]} cannot be taken; starting as uid {os.geteuid()}")
    checked_packages(image)
    corpus = image.env.get("CORPUS_DIR")
    if not corpus:
        raise ReplayFailed("the image sets no CORPUS_DIR")
    for f in SAMPLE.iterdir():  # a bind mount of the host's corpus folder: root's files, readable by all
        if f.is_file():
            shutil.copy(f, Path(corpus) / f.name)
    models = Path(image.env.get("MODELS_DIR", image.path("/nonexistent")))
    before = snapshot(models)
    entry = image.entrypoint

    def run(*argv: str, **kwargs) -> subprocess.CompletedProcess:
        log(f"  as uid {image.user[0] if image.user else 0}: {shlex.join([*entry, *argv])}")
        return image.run([*entry, *argv], what=f"docker run IMAGE {shlex.join(argv)}", **kwargs)

    run("ingest")
    answer = json.loads(run("ask", QUESTION, "--json").stdout)
    if not answer.get("quotes"):
        raise ReplayFailed(f"ask {QUESTION!r} quoted nothing: {answer}")
    run("feeds", "list")  # sources/ is in the image
    if snapshot(models) != before:
        raise ReplayFailed(f"the baked models folder {models} changed when the image's user ran: an export at start")
    if discord is None:
        return
    env = {"DISCORD_TOKEN": discord["token"], "DISCORD_API_BASE": discord["api_base"]}
    run("doctor", env=env)
    unhealthy = image.run(image.healthcheck, env=env, check=False)
    if unhealthy.returncode != 1:
        raise ReplayFailed(f"HEALTHCHECK before the bot started exited {unhealthy.returncode}, not 1")
    user = {} if image.user is None or os.geteuid() != 0 else {"user": image.user[0], "group": image.user[1],
                                                               "extra_groups": []}
    log(f"  as uid {image.user[0] if image.user else 0}: {shlex.join([*entry, *image.cmd])} (watched by HEALTHCHECK)")
    bot = subprocess.Popen([*entry, *image.cmd], cwd=image.path(image.workdir), env={**image.process_env(), **env},
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **user)
    try:
        deadline = time.monotonic() + 90
        while True:
            probe = image.run(image.healthcheck, env=env, check=False)
            if probe.returncode == 0:
                log(f"  HEALTHCHECK: {probe.stdout.strip()}")
                break
            if bot.poll() is not None or time.monotonic() > deadline:
                raise ReplayFailed(f"never healthy: {probe.stdout}{probe.stderr}")
            time.sleep(1)
    finally:
        bot.send_signal(getattr(signal, image.stopsignal))
        try:
            _, err = bot.communicate(timeout=45)
        except subprocess.TimeoutExpired:
            bot.kill()
            _, err = bot.communicate()
    if bot.returncode != 0 or "Traceback" in err:
        raise ReplayFailed(f"{image.stopsignal} ended the bot with exit {bot.returncode}:\n{err[-3000:]}")
    if snapshot(models) != before:
        raise ReplayFailed(f"the baked models folder {models} changed while the bot ran")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dockerfile", type=Path, default=REPO / "Dockerfile")
    parser.add_argument("--work", type=Path, help="the folder to replay in (default: a new temporary one, removed)")
    parser.add_argument("--discord-api-base", help="a Discord API (a test's fake) for doctor and the bot itself")
    parser.add_argument("--discord-token")
    parser.add_argument("--cache", type=Path, help="keep RUN layers here for the next replay in the same --work")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="newsdesk-image-"))
    work.mkdir(parents=True, exist_ok=True)
    discord = {"api_base": args.discord_api_base, "token": args.discord_token} if args.discord_api_base else None
    return replayed(args.dockerfile, work, args.work is None,
                    lambda log: replay(args.dockerfile, work, discord=discord, cache=args.cache, log=log))


def replayed(what: Path, work: Path, remove: bool, run) -> int:
    """Run a replay (`run(log)`), print how it ended and return the exit code; the work folder is removed after
    when it was made for the replay. Both replay scripts end this way."""
    started = time.monotonic()
    try:
        run(lambda line: print(line, flush=True))
    except ReplayFailed as exc:
        print(f"replay failed: {exc}", flush=True)
        return 1
    finally:
        if remove:
            shutil.rmtree(work, ignore_errors=True)
    print(f"replayed {what} in {time.monotonic() - started:.0f} s: every step and check passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
