#!/usr/bin/python3
# PID 1 of a dockervm guest sandbox: a small stand-in for systemd, enough for what the Docker installers ask of it.
#
# It loads unit files the way systemd does (fragment from /etc/systemd/system, /run/systemd/system or /lib/systemd/system,
# drop-ins <unit>.d/*.conf from all three, an empty assignment resets a list such as ExecStart=), holds the listening
# sockets of .socket units and hands them to their service (LISTEN_FDS/LISTEN_PID, sd_listen_fds(3)), waits for READY=1
# on NOTIFY_SOCKET for Type=notify services (sd_notify(3)), reaps every process of the sandbox, and answers the
# `systemctl` client (/usr/bin/systemctl in the sandbox) over a unix socket. Service output goes to
# /run/dockervm-init/journal/<unit>.log. Units are read at boot and on daemon-reload only, as systemd does.
#
# Not modelled: cgroups (KillMode=control-group signals the service's process group instead), Restart=, timers,
# targets beyond the symlinks `enable` writes.
import errno
import grp
import json
import os
import pwd
import select
import shlex
import signal
import socket
import stat
import sys
import threading
import time

STATE = "/run/dockervm-init"
CONTROL = STATE + "/control.sock"
JOURNAL = STATE + "/journal"
UNIT_DIRS = ["/etc/systemd/system", "/run/systemd/system", "/lib/systemd/system"]
SERVICE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin"
START_TIMEOUT = 180.0
STOP_TIMEOUT = 30.0
LIST_KEYS = {
    ("Unit", "Requires"), ("Unit", "Wants"), ("Unit", "After"), ("Unit", "Before"), ("Unit", "BindsTo"),
    ("Service", "ExecStart"), ("Service", "ExecStartPre"), ("Service", "ExecStartPost"), ("Service", "ExecStop"),
    ("Service", "Environment"), ("Service", "EnvironmentFile"), ("Service", "Sockets"),
    ("Socket", "ListenStream"), ("Install", "WantedBy"), ("Install", "RequiredBy"), ("Install", "Also"),
}

lock = threading.RLock()  # guards the state below; never held while waiting for a process
exited = threading.Condition(lock)
jobs = threading.Lock()   # one systemctl command at a time, as systemd runs one transaction at a time
exit_status = {}      # pid -> wait status, for processes init spawned and waits for
units = {}            # name -> Unit, as loaded at boot or the last daemon-reload
services = {}         # name -> dict(state, pid, result, status, since)
sockets = {}          # name -> list of socket objects
activation = []       # active units in activation order, for poweroff
shutting_down = False


def log(unit, text):
    os.makedirs(JOURNAL, exist_ok=True)
    with open(os.path.join(JOURNAL, unit + ".log"), "a") as f:
        f.write(time.strftime("%b %d %H:%M:%S ") + unit + ": " + text + "\n")


class Unit:
    def __init__(self, name, fragment, dropins, masked):
        self.name = name
        self.fragment = fragment
        self.dropins = dropins
        self.masked = masked
        self.values = {}
        for path in [fragment] + dropins:
            if path and not masked:
                self._parse(path)

    def _parse(self, path):
        section = None
        with open(path) as f:
            lines = f.read().split("\n")
        i = 0
        while i < len(lines):
            line = lines[i].strip()
            i += 1
            while line.endswith("\\") and i < len(lines):
                line = line[:-1] + " " + lines[i].strip()
                i += 1
            if not line or line[0] in "#;":
                continue
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1]
                continue
            if "=" not in line or section is None:
                continue
            key, value = line.split("=", 1)
            key, value = key.strip(), value.strip()
            if (section, key) in LIST_KEYS:
                items = self.values.setdefault((section, key), [])
                if value == "":
                    items.clear()
                elif key in ("Requires", "Wants", "After", "Before", "BindsTo", "WantedBy", "RequiredBy", "Also", "Sockets", "ListenStream"):
                    items.extend(value.split())
                else:
                    items.append(value)
            else:
                self.values[(section, key)] = value

    def get(self, section, key, default=None):
        return self.values.get((section, key), default)

    def getall(self, section, key):
        return list(self.values.get((section, key), []))

    @property
    def kind(self):
        return self.name.rsplit(".", 1)[-1]


def load_units():
    found = {}
    for directory in UNIT_DIRS:
        if not os.path.isdir(directory):
            continue
        for entry in sorted(os.listdir(directory)):
            if entry.endswith((".service", ".socket")) and entry not in found:
                path = os.path.join(directory, entry)
                if os.path.isfile(path) or os.path.islink(path):
                    found[entry] = path
    loaded = {}
    names = set(found)
    for directory in UNIT_DIRS:
        if os.path.isdir(directory):
            names.update(e[:-2] for e in os.listdir(directory) if e.endswith((".service.d", ".socket.d")))
    for name in names:
        fragment = found.get(name)
        masked = fragment is not None and os.path.realpath(fragment) == "/dev/null"
        dropins = {}
        for directory in UNIT_DIRS:
            folder = os.path.join(directory, name + ".d")
            if os.path.isdir(folder):
                for entry in os.listdir(folder):
                    if entry.endswith(".conf") and entry not in dropins:
                        dropins[entry] = os.path.join(folder, entry)
        loaded[name] = Unit(name, fragment, [dropins[k] for k in sorted(dropins)], masked)
    return loaded


def unit_name(name):
    return name if "." in name else name + ".service"


def service_state(name):
    return services.get(name, {}).get("state", "inactive")


def is_active(name):
    if name.endswith(".socket"):
        return name in sockets
    return service_state(name) in ("active", "activating", "reloading")


def reaper():
    # Every process of the sandbox ends up here (orphans are re-parented to PID 1): reap them all.
    while True:
        try:
            pid, status = os.waitpid(-1, 0)
        except ChildProcessError:
            time.sleep(0.2)
            continue
        except InterruptedError:
            continue
        with lock:
            exit_status[pid] = status
            for name, svc in services.items():
                if svc.get("pid") == pid and svc["state"] in ("active", "activating", "deactivating"):
                    code = os.waitstatus_to_exitcode(status)
                    svc["status"] = code
                    if svc["state"] == "deactivating":
                        svc["state"] = "inactive"
                    else:
                        svc["state"] = "failed"
                        svc["result"] = "exit-code" if code >= 0 else "signal"
                        log(name, "Main process exited, code=%s, status=%s" % ("exited" if code >= 0 else "killed", code if code >= 0 else signal.Signals(-code).name[3:]))
                        log(name, "Failed with result '%s'." % svc["result"])
                    if name in activation:
                        activation.remove(name)
            exited.notify_all()


def wait_exit(pid, timeout):
    deadline = time.monotonic() + timeout
    with lock:
        while pid not in exit_status:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            exited.wait(left)
        return exit_status.pop(pid)


def environment_of(unit, extra=None):
    env = {"PATH": SERVICE_PATH, "LANG": "C.UTF-8"}
    for assignment in unit.getall("Service", "Environment"):
        for word in shlex.split(assignment):
            if "=" in word:
                k, v = word.split("=", 1)
                env[k] = v
    for spec in unit.getall("Service", "EnvironmentFile"):
        optional = spec.startswith("-")
        path = spec[1:] if optional else spec
        try:
            with open(path) as f:
                for line in f:
                    line = line.strip()
                    if line and not line.startswith(("#", ";")) and "=" in line:
                        k, v = line.split("=", 1)
                        v = v.strip()
                        if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
                            v = v[1:-1]
                        env[k.strip()] = v
        except OSError:
            if not optional:
                raise
    if extra:
        env.update(extra)
    return env


def expand(command, env, unit):
    # systemd.service(5) "Command lines": $VAR as a word of its own splits into words, ${VAR} stays one word.
    words = []
    for word in shlex.split(command.replace("%%", "\x00").replace("%n", unit.name).replace("%N", unit.name.rsplit(".", 1)[0])):
        word = word.replace("\x00", "%")
        if word.startswith("$") and not word.startswith("${") and word[1:].replace("_", "a").isalnum():
            words.extend(env.get(word[1:], "").split())
            continue
        out = ""
        i = 0
        while i < len(word):
            if word.startswith("$$", i):
                out += "$"
                i += 2
            elif word.startswith("${", i) and "}" in word[i:]:
                end = word.index("}", i)
                out += env.get(word[i + 2:end], "")
                i = end + 1
            else:
                out += word[i]
                i += 1
        words.append(out)
    return words


def locate(executable):
    if executable.startswith("/"):
        return executable if os.access(executable, os.X_OK) and os.path.isfile(executable) else None
    for directory in SERVICE_PATH.split(":"):
        candidate = os.path.join(directory, executable)
        if os.access(candidate, os.X_OK) and os.path.isfile(candidate):
            return candidate
    return None


def spawn(unit, argv, env, fds):
    # A shell in front sets the limits and LISTEN_PID (the pid the service will have after exec), then execs it.
    nofile = unit.get("Service", "LimitNOFILE")
    limit = "ulimit -n %s 2>/dev/null || true; " % ("unlimited" if nofile == "infinity" else int(nofile)) if nofile else ""
    listen = 'export LISTEN_PID=$$ LISTEN_FDS=%d LISTEN_FDNAMES=%s; ' % (len(fds), ":".join([unit.name.rsplit(".", 1)[0] + ".socket"] * len(fds))) if fds else ""
    wrapper = ["/bin/sh", "-c", limit + listen + 'exec "$@"', argv[0]] + argv
    os.makedirs(JOURNAL, exist_ok=True)
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.path.join(JOURNAL, unit.name + ".log"), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600),
        (os.POSIX_SPAWN_DUP2, 1, 2),
    ]
    for index, fd in enumerate(fds):
        actions.append((os.POSIX_SPAWN_DUP2, fd, 3 + index))
    return os.posix_spawn("/bin/sh", wrapper, env, file_actions=actions, setsid=True)


def run_sync(unit, command, env):
    ignore = command.startswith("-")
    command = command.lstrip("-@+!:")
    argv = expand(command, env, unit)
    path = locate(argv[0]) if argv else None
    if path is None:
        return ignore
    with lock:
        pid = spawn(unit, [path] + argv[1:], env, [])
        exit_status.pop(pid, None)
    status = wait_exit(pid, START_TIMEOUT)
    return ignore or (status is not None and os.waitstatus_to_exitcode(status) == 0)


def start_socket(name, out):
    if name in sockets:
        return True
    unit = units[name]
    opened = []
    try:
        for address in unit.getall("Socket", "ListenStream"):
            if address.startswith("/"):
                if os.path.exists(address):
                    os.unlink(address)
                os.makedirs(os.path.dirname(address), exist_ok=True)
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.bind(address)
                os.chmod(address, int(unit.get("Socket", "SocketMode", "0666"), 8))
                user = unit.get("Socket", "SocketUser", "root")
                group = unit.get("Socket", "SocketGroup", "root")
                os.chown(address, pwd.getpwnam(user).pw_uid, grp.getgrnam(group).gr_gid)
            else:
                host, _, port = address.rpartition(":")
                s = socket.socket(socket.AF_INET6 if host.startswith("[") or not host else socket.AF_INET, socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((host.strip("[]") or "::", int(port)))
            s.listen(socket.SOMAXCONN)
            s.set_inheritable(False)
            opened.append(s)
    except (OSError, KeyError) as e:
        for s in opened:
            s.close()
        log(name, "Failed to listen on sockets: %s" % e)
        log(name, "Failed with result 'resources'.")
        out["stderr"] += "Job for %s failed.\nSee \"systemctl status %s\" and \"journalctl -xeu %s\" for details.\n" % (name, name, name)
        return False
    sockets[name] = opened
    activation.append(name)
    log(name, "Listening on %s." % unit.get("Unit", "Description", name))
    return True


def start_service(name, out, depth=0):
    if is_active(name):
        return True
    unit = units[name]
    for dependency in unit.getall("Unit", "Requires") + unit.getall("Unit", "BindsTo"):
        if dependency in units and not start_unit(dependency, out, depth + 1, quiet=True):
            out["stderr"] += "A dependency job for %s failed. See 'journalctl -xe' for details.\n" % name
            return False
    for dependency in unit.getall("Unit", "Wants"):
        if dependency in units:
            start_unit(dependency, {"stdout": "", "stderr": ""}, depth + 1, quiet=True)

    failed = "Job for %s failed because the control process exited with error code.\nSee \"systemctl status %s\" and \"journalctl -xeu %s\" for details.\n" % (name, name, name)
    services[name] = {"state": "activating", "pid": None, "result": "success", "status": None, "since": time.time()}
    fds = []
    for socket_unit in unit.getall("Service", "Sockets") or [name[:-len(".service")] + ".socket"]:
        fds.extend(s.fileno() for s in sockets.get(socket_unit, []))
    notify_path = None
    notify = None
    extra = {}
    kind = unit.get("Service", "Type", "simple")
    if kind == "notify":
        notify_path = os.path.join(STATE, "notify", name)
        os.makedirs(os.path.dirname(notify_path), exist_ok=True)
        if os.path.exists(notify_path):
            os.unlink(notify_path)
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify.bind(notify_path)
        extra["NOTIFY_SOCKET"] = notify_path
    try:
        env = environment_of(unit, extra)
        for command in unit.getall("Service", "ExecStartPre"):
            if not run_sync(unit, command, env):
                services[name].update(state="failed", result="exit-code")
                out["stderr"] += failed
                return False
        commands = unit.getall("Service", "ExecStart")
        if not commands:
            log(name, "Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing.")
            services[name].update(state="failed", result="resources")
            out["stderr"] += "Failed to start %s: Unit %s has a bad unit file setting.\n" % (name, name)
            return False
        argv = expand(commands[-1 if kind != "oneshot" else 0].lstrip("-@+!:"), env, unit)
        path = locate(argv[0])
        if path is None:
            # systemd: the spawned child fails in exec and the unit ends with status=203/EXEC.
            log(name, "Failed to locate executable %s: No such file or directory" % argv[0])
            log(name, "Failed at step EXEC spawning %s: No such file or directory" % argv[0])
            log(name, "Main process exited, code=exited, status=203/EXEC")
            log(name, "Failed with result 'exit-code'.")
            services[name].update(state="failed", result="exit-code", status=203)
            out["stderr"] += failed
            return False
        log(name, "Starting %s..." % unit.get("Unit", "Description", name))
        with lock:
            pid = spawn(unit, [path] + argv[1:], env, fds)
            exit_status.pop(pid, None)
            services[name]["pid"] = pid
        if kind == "notify":
            deadline = time.monotonic() + START_TIMEOUT
            ready = False
            while not ready and time.monotonic() < deadline:
                readable, _, _ = select.select([notify], [], [], 0.2)
                if readable:
                    message = notify.recv(4096).decode(errors="replace")
                    for line in message.split("\n"):
                        if line == "READY=1":
                            ready = True
                        elif line.startswith("MAINPID="):
                            services[name]["pid"] = int(line[8:])
                with lock:
                    if services[name]["state"] == "failed":
                        break
            if not ready:
                with lock:
                    if services[name]["state"] != "failed":
                        os.kill(pid, signal.SIGKILL)
                        services[name].update(state="failed", result="timeout")
                out["stderr"] += failed
                return False
        with lock:
            if services[name]["state"] == "failed":
                out["stderr"] += failed
                return False
            services[name]["state"] = "active"
            activation.append(name)
        log(name, "Started %s." % unit.get("Unit", "Description", name))
        return True
    finally:
        if notify is not None:
            notify.close()
            os.unlink(notify_path)


def start_unit(name, out, depth=0, quiet=False):
    name = unit_name(name)
    unit = units.get(name)
    if unit is None or unit.fragment is None:
        out["stderr"] += "Failed to start %s: Unit %s not found.\n" % (name, name)
        out["code"] = 5
        return False
    if unit.masked:
        out["stderr"] += "Failed to start %s: Unit %s is masked.\n" % (name, name)
        out["code"] = 1
        return False
    if depth > 10:
        return False
    return start_socket(name, out) if unit.kind == "socket" else start_service(name, out, depth)


def stop_unit(name, out):
    name = unit_name(name)
    if name.endswith(".socket"):
        for s in sockets.pop(name, []):
            s.close()
        if name in activation:
            activation.remove(name)
        return True
    svc = services.get(name)
    if not svc or svc["state"] not in ("active", "activating"):
        if svc and svc["state"] == "failed":
            svc["state"] = "inactive"
        return True
    unit = units.get(name)
    pid = svc["pid"]
    with lock:
        svc["state"] = "deactivating"
    log(name, "Stopping %s..." % (unit.get("Unit", "Description", name) if unit else name))
    mode = unit.get("Service", "KillMode", "control-group") if unit else "control-group"
    try:
        if mode == "process":
            os.kill(pid, signal.SIGTERM)
        else:
            os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    if wait_exit(pid, STOP_TIMEOUT) is None:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        wait_exit(pid, 5)
    with lock:
        svc["state"] = "inactive"
        if name in activation:
            activation.remove(name)
    log(name, "Stopped %s." % (unit.get("Unit", "Description", name) if unit else name))
    return True


def enabled_state(name):
    unit = units.get(name)
    if unit is None or unit.fragment is None:
        return "not-found"
    if unit.masked:
        return "masked"
    targets = unit.getall("Install", "WantedBy") + unit.getall("Install", "RequiredBy")
    if not targets:
        return "static"
    for target in unit.getall("Install", "WantedBy"):
        if os.path.lexists(os.path.join("/etc/systemd/system", target + ".wants", name)):
            return "enabled"
    for target in unit.getall("Install", "RequiredBy"):
        if os.path.lexists(os.path.join("/etc/systemd/system", target + ".requires", name)):
            return "enabled"
    return "disabled"


def enable_unit(name, out):
    name = unit_name(name)
    unit = units.get(name)
    if unit is None or unit.fragment is None:
        out["stderr"] += "Failed to enable unit: Unit file %s does not exist.\n" % name
        out["code"] = 1
        return False
    for kind, targets in (("wants", unit.getall("Install", "WantedBy")), ("requires", unit.getall("Install", "RequiredBy"))):
        for target in targets:
            folder = os.path.join("/etc/systemd/system", target + "." + kind)
            link = os.path.join(folder, name)
            if not os.path.lexists(link):
                os.makedirs(folder, exist_ok=True)
                os.symlink(unit.fragment, link)
                out["stderr"] += "Created symlink %s \u2192 %s.\n" % (link, unit.fragment)
    return True


def active_state(name):
    name = unit_name(name)
    if name.endswith(".socket"):
        return "active" if name in sockets else "inactive"
    return service_state(name)


PROPERTIES = ["Id", "Names", "Description", "LoadState", "ActiveState", "SubState", "FragmentPath", "DropInPaths",
              "UnitFileState", "MainPID", "ExecMainStatus", "Result", "Type"]


def properties_of(name):
    name = unit_name(name)
    unit = units.get(name)
    svc = services.get(name, {})
    state = active_state(name)
    sub = {"active": "running" if name.endswith(".service") else "listening", "inactive": "dead", "failed": "failed",
           "activating": "start", "deactivating": "stop"}.get(state, "dead")
    return {
        "Id": name,
        "Names": name,
        "Description": unit.get("Unit", "Description", name) if unit and unit.fragment else name,
        "LoadState": "masked" if unit and unit.masked else "loaded" if unit and unit.fragment else "not-found",
        "ActiveState": state,
        "SubState": sub,
        "FragmentPath": unit.fragment if unit and unit.fragment else "",
        "DropInPaths": " ".join(unit.dropins) if unit else "",
        "UnitFileState": enabled_state(name) if unit and unit.fragment else "",
        "MainPID": str(svc.get("pid") or 0) if state in ("active", "activating") else "0",
        "ExecMainStatus": str(svc.get("status") or 0),
        "Result": svc.get("result", "success"),
        "Type": unit.get("Service", "Type", "simple") if unit and unit.kind == "service" else "",
    }


def poweroff():
    global shutting_down
    shutting_down = True
    for name in reversed(list(activation)):
        stop_unit(name, {"stdout": "", "stderr": ""})


def handle(argv):
    out = {"stdout": "", "stderr": "", "code": 0}
    options = {"property": [], "value": False, "quiet": False, "now": False}
    words = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a.startswith("--property="):
            options["property"].extend(a.split("=", 1)[1].split(","))
        elif a in ("-p", "--property") and i + 1 < len(argv):
            i += 1
            options["property"].extend(argv[i].split(","))
        elif a.startswith("-p") and len(a) > 2:
            options["property"].extend(a[2:].split(","))
        elif a == "--value":
            options["value"] = True
        elif a in ("-q", "--quiet"):
            options["quiet"] = True
        elif a == "--now":
            options["now"] = True
        elif a.startswith("-"):
            pass  # --no-pager, --no-block, --system, -l, --full, --no-ask-password
        else:
            words.append(a)
        i += 1
    if not words:
        words = ["list-units"]
    verb, targets = words[0], words[1:]
    global units
    with jobs:
        if verb == "daemon-reload":
            units = load_units()
        elif verb in ("start", "stop", "restart", "try-restart", "reload-or-restart", "condrestart", "force-reload"):
            if not targets:
                out["stderr"] += "Too few arguments.\n"
                out["code"] = 1
                return out
            names = [unit_name(t) for t in targets]
            if verb in ("try-restart", "condrestart"):
                names = [n for n in names if is_active(n)]
            if verb != "start":
                # A stop job for a service runs before the one for its socket (After=docker.socket).
                for name in sorted(names, key=lambda n: n.endswith(".socket")):
                    stop_unit(name, out)
            if verb != "stop":
                # And a start job for a socket before the one for its service.
                for name in sorted(names, key=lambda n: not n.endswith(".socket")):
                    if not start_unit(name, out):
                        out["code"] = out["code"] or 1
        elif verb in ("enable", "reenable"):
            for t in targets:
                if not enable_unit(t, out):
                    return out
            if options["now"]:
                for name in sorted((unit_name(t) for t in targets), key=lambda n: not n.endswith(".socket")):
                    if not start_unit(name, out):
                        out["code"] = out["code"] or 1
        elif verb == "disable":
            for t in targets:
                name = unit_name(t)
                for folder in os.listdir("/etc/systemd/system"):
                    link = os.path.join("/etc/systemd/system", folder, name)
                    if folder.endswith((".wants", ".requires")) and os.path.islink(link):
                        os.unlink(link)
                        out["stderr"] += "Removed \"%s\".\n" % link
        elif verb == "is-active":
            states = [active_state(t) for t in targets]
            if not options["quiet"]:
                out["stdout"] += "".join(s + "\n" for s in states)
            out["code"] = 0 if "active" in states else 3
        elif verb == "is-failed":
            states = [active_state(t) for t in targets]
            if not options["quiet"]:
                out["stdout"] += "".join(s + "\n" for s in states)
            out["code"] = 0 if "failed" in states else 1
        elif verb == "is-enabled":
            states = [enabled_state(unit_name(t)) for t in targets]
            if not options["quiet"]:
                out["stdout"] += "".join(s + "\n" for s in states)
            out["code"] = 0 if any(s in ("enabled", "static") for s in states) else 1
        elif verb == "show":
            for n, t in enumerate(targets or []):
                props = properties_of(t)
                wanted = options["property"] or PROPERTIES
                if n:
                    out["stdout"] += "\n"
                for key in wanted:
                    value = props.get(key, "")
                    out["stdout"] += (value if options["value"] else "%s=%s" % (key, value)) + "\n"
        elif verb == "status":
            code = 0
            for t in targets:
                p = properties_of(t)
                if p["LoadState"] == "not-found":
                    out["stderr"] += "Unit %s could not be found.\n" % p["Id"]
                    code = 4
                    continue
                since = services.get(p["Id"], {}).get("since")
                out["stdout"] += "\u25cf %s - %s\n     Loaded: %s (%s; %s)\n" % (p["Id"], p["Description"], p["LoadState"], p["FragmentPath"], p["UnitFileState"])
                if p["DropInPaths"]:
                    out["stdout"] += "    Drop-In: %s\n" % p["DropInPaths"]
                out["stdout"] += "     Active: %s (%s)%s\n" % (p["ActiveState"], p["SubState"], time.strftime(" since %a %Y-%m-%d %H:%M:%S UTC", time.gmtime(since)) if since else "")
                if p["MainPID"] != "0":
                    out["stdout"] += "   Main PID: %s\n" % p["MainPID"]
                journal = os.path.join(JOURNAL, p["Id"] + ".log")
                if os.path.exists(journal):
                    with open(journal, errors="replace") as f:
                        out["stdout"] += "\n" + "".join(f.readlines()[-10:])
                if p["ActiveState"] != "active" and code == 0:
                    code = 3
            out["code"] = code
        elif verb == "cat":
            for t in targets:
                unit = units.get(unit_name(t))
                if unit is None or unit.fragment is None:
                    out["stderr"] += "No files found for %s.\n" % unit_name(t)
                    out["code"] = 1
                    continue
                for path in [unit.fragment] + unit.dropins:
                    with open(path) as f:
                        out["stdout"] += "# %s\n%s\n" % (path, f.read())
        elif verb == "reset-failed":
            for svc in services.values():
                if svc["state"] == "failed":
                    svc["state"] = "inactive"
        elif verb == "list-units":
            for name in sorted(set(activation)):
                out["stdout"] += "%s loaded active\n" % name
        elif verb in ("poweroff", "halt", "reboot"):
            poweroff()
        else:
            out["stderr"] += "Unknown command verb '%s'.\n" % verb
            out["code"] = 1
    return out


def serve(connection):
    try:
        data = b""
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                break
            data += chunk
        request = json.loads(data.decode())
        try:
            answer = handle(request["argv"])
        except Exception as e:  # an emulator bug must not take PID 1 down
            answer = {"stdout": "", "stderr": "systemctl stand-in: %s: %s\n" % (type(e).__name__, e), "code": 1}
        connection.sendall(json.dumps(answer).encode())
        if shutting_down:
            os._exit(0)
    finally:
        connection.close()


def main():
    global units
    os.umask(0o022)  # systemd's UMask= default for services
    os.makedirs(STATE, mode=0o755, exist_ok=True)
    units = load_units()
    threading.Thread(target=reaper, daemon=True).start()

    def terminate(signum, frame):
        poweroff()
        os._exit(0)

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, terminate)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if os.path.exists(CONTROL):
        os.unlink(CONTROL)
    server.bind(CONTROL)
    os.chmod(CONTROL, 0o600)
    server.listen(16)
    print("READY", flush=True)
    while True:
        try:
            connection, _ = server.accept()
        except InterruptedError:
            continue
        threading.Thread(target=serve, args=(connection,), daemon=True).start()


if __name__ == "__main__":
    main()
