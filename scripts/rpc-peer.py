"""Python peer of the RPC interop tests: a real oslo.messaging RPC server and RPCClient on RabbitMQ.

Run it with the test venv's python (scripts/python-test-venv DIR prints the export of BILEAN_TEST_PYTHON):

    "$BILEAN_TEST_PYTHON" scripts/rpc-peer.py SUBCOMMAND --url amqp://guest:guest@127.0.0.1:PORT/ [options]

oslo.messaging is given the amqp://… URL as rabbit://… (same user, password, host, port and vhost; a query string
is dropped), and its own ConfigOpts defaults (the global cfg.CONF, which its tracing and dispatcher options need).
Nothing but the documented JSON goes to stdout (fd 1 is pointed at stderr while working); logs go to stderr (`-v`
for oslo's info logs, `-vv` for debug). On a failure, or when `--timeout` seconds (default 60) have passed, it
prints `rpc-peer: SUBCOMMAND: reason` on stderr and exits 1 (2 for a usage error).

Both subcommands install a module `bilean.common.exception` (in sys.modules, nothing on disk) with the exception
classes of Bilean's remote errors: NotFound, InvalidInput, Conflict, InternalError, UnsupportedVersion and
NoSuchMethod, each `Cls(message, **kwargs)` with `.message` and `.kwargs` (InvalidInput's `field`). The transport
allows that module (`allowed_remote_exmods`), so a failure with `module` "bilean.common.exception" comes back as
that class, as it would in a Python Bilean.

serve --exchange E --topic T --server H [--namespace NS] [--version V]
    Runs oslo_messaging.get_rpc_server(transport, Target(exchange=E, topic=T, server=H), [endpoint],
    executor="threading"): oslo declares topic exchange E, queues T and T.H bound to it, and fanout exchange
    T_fanout with a queue of its own. The endpoint's target is Target(namespace=NS, version=V) (defaults
    "bilean-test" and "1.3"; NS "" means no namespace). When the server is started it prints one line on stdout:
    {"ready": true, "server": H}. It runs until SIGTERM or SIGINT (or --timeout), then stops the server
    (server.stop(), server.wait()), cleans the transport up and prints {"stopped": true, "remembered": [...]}.
    Methods (ctxt is the request context dict, `client_timeout` left out):
      echo(**kwargs)            -> {"args": kwargs, "context": ctxt}
      add(a, b)                 -> a + b (Python integers: exact, however large)
      fail(kind, message, field=None)
                                -> raises bilean.common.exception.<kind>(message[, field=field]); any other kind
                                   raises ValueError(message) (module builtins)
      sleep(seconds)            -> sleeps, then returns seconds
      whoami()                  -> H
      remember(value)           -> appends value to the list printed at the end (for casts); returns null
      recall()                  -> that list so far

call --exchange E --topic T --method M [--namespace NS] [--version V] [--args JSON] [--context JSON]
     [--server H] [--rpc-timeout S] [--call-monitor-timeout S] [--cast] [--fanout]
    One oslo_messaging.get_rpc_client(transport, Target(exchange=E, topic=T, namespace=NS, version=V)) call
    (prepare(server=H, timeout=S, call_monitor_timeout=C) when given; NS "" or absent: no namespace; V default
    "1.0"), with the keyword arguments of the JSON object --args (default {}) and the context dict --context
    (default {}, sent as given: `_context_<key>` for each key). With --cast it casts instead (prepare(fanout=True)
    with --fanout). Output: {"result": value} (null for a cast), or {"error": {"class": C, "module": M,
    "message": text, "kwargs": {...}}} for a remote failure: C and M without oslo's "_Remote" suffixes, the message
    as the server sent it (without the traceback oslo appends); a RemoteError (module not allowed) gives its
    exc_type and value; MessagingTimeout gives class "MessagingTimeout".

calls --exchange E --topic T --calls JSON
    Several calls in one process (one transport), in order: JSON is an array of objects with the members
    "method" (required), "namespace", "version", "args", "context", "server", "rpc_timeout",
    "call_monitor_timeout", "cast" and "fanout", each meaning what the `call` option of that name means.
    Output: {"results": [one `call` output per call, in order]}.
"""

import argparse
import json
import logging
import os
import signal
import sys
import threading
import types
import urllib.parse
import warnings

PROG = "rpc-peer"
EXCEPTION_MODULE = "bilean.common.exception"
KINDS = ("NotFound", "InvalidInput", "Conflict", "InternalError", "UnsupportedVersion", "NoSuchMethod")


class PeerError(Exception):
    """A failure whose message is the reason printed on stderr."""


def rabbit_url(url):
    """The oslo.messaging (kombu) spelling of an amqp://user:pass@host:port/vhost URL."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "amqp":
        raise PeerError(f"oslo.messaging needs an amqp:// URL, not {parts.scheme}://")
    return urllib.parse.urlunsplit(("rabbit", parts.netloc, parts.path or "/", "", ""))


def install_bilean_exceptions():
    """Registers the module bilean.common.exception with Bilean's remote error classes."""
    package = types.ModuleType("bilean")
    common = types.ModuleType("bilean.common")
    module = types.ModuleType(EXCEPTION_MODULE)

    class BileanException(Exception):
        def __init__(self, message="", **kwargs):
            super().__init__(message)
            self.message = message
            self.kwargs = kwargs

    BileanException.__module__ = EXCEPTION_MODULE
    module.BileanException = BileanException
    for kind in KINDS:
        setattr(module, kind, type(kind, (BileanException,), {"__module__": EXCEPTION_MODULE}))
    package.common = common
    common.exception = module
    sys.modules.update({"bilean": package, "bilean.common": common, EXCEPTION_MODULE: module})
    return module


def oslo_transport(url):
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")  # oslo.messaging imports eventlet
    from oslo_config import cfg
    import oslo_messaging

    cfg.CONF([], project="rpc-peer")
    transport = oslo_messaging.get_rpc_transport(
        cfg.CONF, url=rabbit_url(url), allowed_remote_exmods=[EXCEPTION_MODULE]
    )
    return oslo_messaging, transport


def namespace_of(text):
    return text or None


# serve


class Endpoint:
    def __init__(self, oslo_messaging, exceptions, namespace, version, server):
        self.target = oslo_messaging.Target(namespace=namespace, version=version)
        self._exceptions = exceptions
        self._server = server
        self._remembered = []
        self._lock = threading.Lock()

    def echo(self, ctxt, **kwargs):
        context = {key: value for key, value in dict(ctxt).items() if key != "client_timeout"}
        return {"args": kwargs, "context": context}

    def add(self, ctxt, a, b):
        return a + b

    def fail(self, ctxt, kind, message, field=None):
        cls = getattr(self._exceptions, kind, None) if kind in KINDS else None
        if cls is None:
            raise ValueError(message)
        if field is not None:
            raise cls(message, field=field)
        raise cls(message)

    def sleep(self, ctxt, seconds):
        threading.Event().wait(float(seconds))
        return seconds

    def whoami(self, ctxt):
        return self._server

    def remember(self, ctxt, value):
        with self._lock:
            self._remembered.append(value)

    def recall(self, ctxt):
        with self._lock:
            return list(self._remembered)


def serve(args, out):
    exceptions = install_bilean_exceptions()
    oslo_messaging, transport = oslo_transport(args.url)
    endpoint = Endpoint(oslo_messaging, exceptions, namespace_of(args.namespace), args.version, args.server)
    target = oslo_messaging.Target(exchange=args.exchange, topic=args.topic, server=args.server)
    server = oslo_messaging.get_rpc_server(transport, target, [endpoint], executor="threading")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    # A parent that spawns from a thread with signals blocked (Swift's test runner) passes its mask on.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    server.start()
    out.write(json.dumps({"ready": True, "server": args.server}) + "\n")
    out.flush()
    stop.wait(args.timeout)
    server.stop()
    server.wait()
    transport.cleanup()
    return {"stopped": True, "remembered": endpoint.recall(None)}


# call


def describe_failure(oslo_messaging, error):
    if isinstance(error, oslo_messaging.MessagingTimeout):
        return {"class": "MessagingTimeout", "module": "oslo_messaging.exceptions", "message": str(error), "kwargs": {}}
    if isinstance(error, oslo_messaging.RemoteError):
        return {"class": error.exc_type, "module": None, "message": error.value, "kwargs": {}}
    cls = type(error)
    name = cls.__name__.removesuffix("_Remote")
    module = cls.__module__.removesuffix("_Remote")
    message = getattr(error, "message", None)
    if not isinstance(message, str):
        # oslo's own exceptions: str() is the message, then a newline and the (empty) traceback.
        message = str(error).split("\n")[0]
    kwargs = getattr(error, "kwargs", {}) or {}
    return {"class": name, "module": module, "message": message, "kwargs": kwargs}


def one_call(oslo_messaging, transport, exchange, topic, spec):
    """One call or cast of a `calls` spec (or of the `call` options); returns the `call` output."""
    arguments = spec.get("args") or {}
    context = spec.get("context") or {}
    if not isinstance(arguments, dict) or not isinstance(context, dict):
        raise PeerError("args and context must be JSON objects")
    target = oslo_messaging.Target(
        exchange=exchange,
        topic=topic,
        namespace=namespace_of(spec.get("namespace")),
        version=spec.get("version") or "1.0",
    )
    client = oslo_messaging.get_rpc_client(transport, target)
    prepare = {}
    if spec.get("server"):
        prepare["server"] = spec["server"]
    if spec.get("rpc_timeout") is not None:
        prepare["timeout"] = spec["rpc_timeout"]
    if spec.get("call_monitor_timeout") is not None:
        prepare["call_monitor_timeout"] = spec["call_monitor_timeout"]
    if spec.get("fanout"):
        prepare["fanout"] = True
    if prepare:
        client = client.prepare(**prepare)
    try:
        if spec.get("cast"):
            client.cast(context, spec["method"], **arguments)
            return {"result": None}
        return {"result": client.call(context, spec["method"], **arguments)}
    except Exception as error:  # noqa: BLE001 - every remote failure is reported
        return {"error": describe_failure(oslo_messaging, error)}


def call(args, out):
    install_bilean_exceptions()
    try:
        spec = {
            "method": args.method,
            "namespace": args.namespace,
            "version": args.version,
            "args": json.loads(args.args),
            "context": json.loads(args.context),
            "server": args.server,
            "rpc_timeout": args.rpc_timeout,
            "call_monitor_timeout": args.call_monitor_timeout,
            "cast": args.cast,
            "fanout": args.fanout,
        }
    except ValueError as error:
        raise PeerError(f"--args and --context must be JSON: {error}")
    oslo_messaging, transport = oslo_transport(args.url)
    try:
        return one_call(oslo_messaging, transport, args.exchange, args.topic, spec)
    finally:
        transport.cleanup()


def calls(args, out):
    install_bilean_exceptions()
    try:
        specs = json.loads(args.calls)
    except ValueError as error:
        raise PeerError(f"--calls must be JSON: {error}")
    if not isinstance(specs, list) or not all(isinstance(spec, dict) and "method" in spec for spec in specs):
        raise PeerError("--calls must be an array of objects with a method")
    oslo_messaging, transport = oslo_transport(args.url)
    try:
        return {"results": [one_call(oslo_messaging, transport, args.exchange, args.topic, spec) for spec in specs]}
    finally:
        transport.cleanup()


def main():
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="count", default=0)
    subparsers = parser.add_subparsers(dest="subcommand", required=True)

    def common(sub):
        sub.add_argument("--url", required=True)
        sub.add_argument("--timeout", type=float, default=60)
        sub.add_argument("--exchange", required=True)
        sub.add_argument("--topic", required=True)
        sub.add_argument("--namespace", default=None)

    serve_parser = subparsers.add_parser("serve")
    common(serve_parser)
    serve_parser.add_argument("--server", required=True)
    serve_parser.add_argument("--version", default="1.3")
    serve_parser.set_defaults(namespace="bilean-test")

    call_parser = subparsers.add_parser("call")
    common(call_parser)
    call_parser.add_argument("--method", required=True)
    call_parser.add_argument("--version", default="1.0")
    call_parser.add_argument("--args", default="{}")
    call_parser.add_argument("--context", default="{}")
    call_parser.add_argument("--server", default=None)
    call_parser.add_argument("--rpc-timeout", type=float, default=None)
    call_parser.add_argument("--call-monitor-timeout", type=int, default=None)
    call_parser.add_argument("--cast", action="store_true")
    call_parser.add_argument("--fanout", action="store_true")

    calls_parser = subparsers.add_parser("calls")
    common(calls_parser)
    calls_parser.add_argument("--calls", required=True)

    args = parser.parse_args()
    level = {0: logging.WARNING, 1: logging.INFO}.get(args.verbose, logging.DEBUG)
    logging.basicConfig(stream=sys.stderr, level=level, format="%(asctime)s %(name)s %(levelname)s %(message)s")

    # Only the JSON goes to stdout: libraries that print get stderr.
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)

    def expire():
        sys.stderr.write(f"{PROG}: {args.subcommand}: no result after {args.timeout:g} s\n")
        sys.stderr.flush()
        os._exit(1)

    # serve waits for its own timeout, then stops cleanly; the watchdog only catches a hang after it.
    watchdog = threading.Timer(args.timeout + (30 if args.subcommand == "serve" else 0), expire)
    watchdog.daemon = True
    watchdog.start()
    try:
        result = {"serve": serve, "call": call, "calls": calls}[args.subcommand](args, out)
    except PeerError as error:
        sys.stderr.write(f"{PROG}: {args.subcommand}: {error}\n")
        return 1
    out.write(json.dumps(result) + "\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
