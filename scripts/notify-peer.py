"""Python peer of the notification-listener tests and benchmark: publishes OpenStack notifications to RabbitMQ.

Run it with the test venv's python (scripts/python-test-venv DIR prints the export of BILEAN_TEST_PYTHON):

    "$BILEAN_TEST_PYTHON" scripts/notify-peer.py SUBCOMMAND --url amqp://guest:guest@127.0.0.1:PORT/ [options]

Every subcommand prints exactly one JSON object on stdout when it is done (nothing else goes to stdout, even
from libraries: fd 1 is pointed at stderr while working) and exits 0; on a failure, or when `--timeout` seconds
(default 60) have passed, it prints `notify-peer: SUBCOMMAND: reason` on stderr and exits 1 (2 for a usage error).
Logs go to stderr (`-v` for pika's and oslo's info logs, `-vv` for debug). oslo.messaging is given the
amqp://… URL as rabbit://… (same user, password, host, port and vhost; a query string is dropped).

The oslo 2.0 envelope (see /work/shared/fixtures/notifications/ENVELOPE.md) is the AMQP body
{"oslo.version": "2.0", "oslo.message": "<JSON text of the notification>"}; the `envelope` lines and `preload`
build it with oslo.messaging's own serializer (oslo_messaging._drivers.common.serialize_msg, the inner JSON by
oslo_serialization.jsonutils.dumps, the outer by json.dumps as kombu does: byte for byte what oslo sends) and
publish it with pika with oslo's properties: content_type application/json, content_encoding utf-8,
delivery_mode 2, priority 0, headers {}.

publish --file F.jsonl
    Reads F (UTF-8, one JSON object per line; blank lines are skipped; the whole file is checked before anything
    is sent, a bad line fails the subcommand naming F:LINE) and publishes the lines in file order, each confirmed
    by the broker before the next is sent, so they reach a queue in exactly the file order. Line kinds:

    {"kind": "oslo", "exchange": E, "topic": T, "priority": P, "event_type": X, "publisher_id": I,
     "payload": any, "timestamp": S, "context": {…}, "redact": bool}
        Sent through a real oslo.messaging Notifier(transport, driver='messagingv2', topics=[T], publisher_id=I,
        retry=3), one transport (own oslo_config ConfigOpts, control_exchange E) per exchange and one Notifier
        per (E, T, I), kept for the run. Required: exchange, event_type, payload. T defaults to "notifications",
        P to "info" (one of audit, debug, info, warn, warning, error, critical, sample: the Notifier method;
        the wire priority is its upper-case level, "warning" sends "WARN"), I to null (publisher_id null).
        S "YYYY-MM-DD HH:MM:SS[.ffffff]" (naive UTC) is made oslo's send time with
        oslo_utils.timeutils.set_time_override around the send; oslo writes it as str(datetime), so a zero
        fraction is dropped ("2026-01-01 00:00:00.000000" goes out as "2026-01-01 00:00:00"); without S the real
        time. The context dict (default {}) becomes the `_context_<key>` members: by default each key exactly as
        given (handed to oslo as a dict whose redacted copy is itself, since oslo >= 14.4 drops a plain dict);
        with "redact": true it is made an oslo_context RequestContext with RequestContext.from_dict (which reads
        the to_dict names, the same as the wire's `_context_` suffixes: "user", "project_id", "domain",
        "user_domain", "project_domain", "roles", "request_id", "is_admin", …; "user_id" is not read) and oslo
        sends its redacted copy as a current service does: the fixed key set of ENVELOPE.md, auth_token null,
        unknown keys dropped, a random request_id when none is given.
        oslo adds message_id (uuid4) and _unique_id itself. oslo declares topic exchange E and a queue named
        like the routing key "T.<priority>" bound to E with that key (both durable=False, auto_delete=False),
        so that queue keeps a copy of everything sent to E with that key from then on (as Ceilometer's queue
        would). oslo's rabbit driver publishes with confirms (kombu confirm_publish) and returns after the
        confirm; a send that oslo only logs as failed fails the subcommand. The transports are cleaned up
        (transport.cleanup()) before the output.

    {"kind": "raw", "exchange": E, "routing_key": K, "body_base64": B64, "content_type": C,
     "content_encoding": CE, "declare_exchange": bool}
        Publishes the decoded bytes of B64 exactly, with pika (BlockingConnection, confirm_delivery,
        mandatory=False, delivery_mode 2), content_type C (default "application/json"; null sends none) and
        content_encoding CE (default none). E is declared topic, durable=False, auto_delete=False (as oslo does)
        the first time a raw or envelope line names it, unless the line has "declare_exchange": false. A nack
        fails the subcommand; an unroutable message is dropped by the broker silently.

    {"kind": "envelope", "exchange": E, "routing_key": K, "notification": {…}, "declare_exchange": bool}
        The notification object (message_id, publisher_id, event_type, priority, payload, timestamp,
        _context_* …, sent as given, key order kept) wrapped in the oslo 2.0 envelope as the messagingv2 driver
        does and published with pika like `raw`. As oslo's driver does, a "_unique_id" (uuid4 hex) is added
        when the object has none (placed before the first _context_* key). For duplicates and shuffled
        deliveries with chosen message ids.

    Output {"published": N, "oslo": a, "raw": b, "envelope": c} (N = a + b + c).

preload --queue Q [--exchange E] --count N [--users U] [--start T0] [--routing-key K] [--window W] [--run R]
    The benchmark's preload. Makes sure queue Q is bound: exchange E (default "nova") is passively declared
    and, when missing, declared topic, durable=False, auto_delete=False; Q is passively declared (so a queue
    Bilean declared is used as it is, whatever its arguments) and, when missing, declared durable=True,
    exclusive=False, auto_delete=False; Q is bound to E with K (default "notifications.info"). Then publishes
    N messages (N even, else a usage error) to E with key K, oslo 2.0 envelopes of Nova legacy notifications
    with oslo's properties (see above), with a pika SelectConnection and publisher confirms, at most W
    (default 5000) unconfirmed at a time; every message must be confirmed (a nack fails the subcommand).
    Messages 0..N/2-1 are compute.instance.create.end of instance i = 0..N/2-1, then messages N/2..N-1 the
    compute.instance.delete.end of instance i in the same order. Instance i: instance_id
    "00000000-0000-4000-8000-%012d" % i, tenant_id "bench-project-<i % U>" (U default 100), user_id
    "bench-user-<i % U>", display_name and hostname "bench-<i>", reservation_id "r-%08x" % i,
    instance_type "m1.small" (instance_type_id 5, instance_flavor_id "2", memory_mb 2048, vcpus 1, root_gb 20,
    disk_gb 20, ephemeral_gb 0), launched_at = T0 + i seconds (T0 "YYYY-MM-DD HH:MM:SS[.ffffff]", naive UTC,
    default "2026-01-01 00:00:00"), created_at = launched_at - 10 s. The payload has the keys of Nova's
    legacy instance payload (fixtures nova/compute.instance.create.end.watcher.json, .designate.json), times
    written "YYYY-MM-DD HH:MM:SS.ffffff" (always 6 digits; created_at "YYYY-MM-DD HH:MM:SS"), unset ones "".
    create.end: state "active", terminated_at "" and deleted_at "", a fixed_ips list and message "Success";
    delete.end: state "deleted", deleted_at = terminated_at = launched_at + 3600 s, no fixed_ips, no
    message. Notification: message_id and _unique_id random uuid4s, publisher_id "compute.bench", priority
    "INFO", timestamp the event time (launched_at for the create, terminated_at for the delete) written as oslo
    writes it, str(datetime) ("2026-01-01 00:00:05", the fraction only when not 0), then a current redacted
    context: _context_user = user_id, _context_project_id = _context_project = tenant_id, _context_roles
    ["member", "reader"], _context_request_id "req-00000000-0000-4000-8000-%012d" % message index,
    _context_user_identity "<user> <tenant> - - -", auth_token and the rest null/false as in ENVELOPE.md.
    With --run R (ASCII letters, digits, '-'), the ids are R's own: tenant_id "benchR-project-<i % U>", user_id
    "benchR-user-<i % U>", instance_id "benchR-%012d" % i (so that runs on one database do not meet).
    A body is about 2.2 KB. For speed, the bodies are filled-in copies of two templates (create, delete) made
    by oslo's serializer: the same bytes as serialize_msg + json.dumps of the object (every varying value is
    plain ASCII that JSON does not escape), which is checked for messages 0, 1, 499, 500, 998, 999, …, the
    first 2 deletes and the last 2. S (seconds) is measured from the first publish to the last confirm.
    Output {"published": N, "seconds": S, "rate": N/S}.

load --exchange E --rate R --seconds S [--users U] [--live L] [--run R] [--publisher J] [--routing-key K]
     [--window W] [--start-at T]
    The freshness benchmark's load (scripts/bench-freshness): publishes N = round(R * S) Nova legacy
    notifications to E (which must exist: passive declare) with key K (default "notifications.info") at a fixed
    rate of R a second from its first publish (at --start-at T, a time.monotonic() value, or as soon as it is
    connected), paced on a 5 ms tick (each tick sends what the schedule says is due by then, so a late tick
    catches up in a burst), with a pika SelectConnection and publisher confirms, at most W (default 5000)
    unconfirmed (a nack fails the subcommand). The bodies are preload's (the same templates, the same bytes as
    oslo's serializer, checked for a sample) with real times: the first L (default 5 * U) messages create
    instances 0..L-1, then creates of the next instances and deletes of the oldest alternate, so that about L
    servers are live at any time. An instance's launched_at is the send time of its create.end (created_at
    10 s before), its deleted_at and terminated_at the send time of its delete.end, and each notification's
    timestamp its event time. Instance i: instance_id "benchR-J-%012d" % i, tenant_id "benchR-project-<i % U>",
    user_id "benchR-user-<i % U>", the rest as in preload. Times of the output are time.monotonic() (one clock
    for every process of the machine). Output {"published": N, "started": first publish, "finished": last
    confirm, "seconds": finished - started, "rate": N / seconds, "target_rate": R, "max_behind": the most
    messages the publisher was ever behind its schedule}.

probe --exchange E --topic T --queue Q --project P --warmup-project W [--interval-ms I] [--seconds S]
      [--start-at T]
    The freshness benchmark's probes, sent with a real oslo.messaging Notifier (driver messagingv2, topic T,
    publisher_id "compute.bench", control_exchange E, retry 3): first one compute.instance.create.end for
    project W (the warm-up: oslo connects on its first send), then n = floor(S * 1000 / I) create.end
    notifications (I default 100, S default 60) for project P, probe k (1..n) sent at T + k * I ms (T:
    --start-at, a time.monotonic() value, default the end of the warm-up; at once when late), each of a new
    instance "P-<k>" (m1.small, the preload's payload and context, real times), so that P's rate is k times
    one server's once probe k is billed. oslo declares its own queue "T.info" on E, which keeps a copy of the
    probes only (hence a topic of their own). Meanwhile a thread samples the ready messages of queue Q once a
    second from T (passive declare on a pika connection of its own), and once more after the last probe.
    Times are time.monotonic(). Output {"probes": [[k, sent, returned], ...] (returned: when oslo's send,
    which waits for the broker's confirm, returned), "depth": [[t, messages], ...], "warmup": seconds of the
    warm-up send}.

queue-depth --queue Q
    Passive queue.declare of Q with pika (a missing queue fails the subcommand). Output
    {"messages": n, "consumers": c} (messages ready, not counting unacknowledged ones).
"""

import argparse
import base64
import binascii
import datetime
import json
import logging
import os
import sys
import threading
import time
import urllib.parse
import uuid
import warnings

import pika
import pika.exceptions
import pika.spec

PROG = "notify-peer"
progress = {"text": ""}  # how far a waiting subcommand got, for the timeout's reason
OSLO_PRIORITIES = ("audit", "debug", "info", "warn", "warning", "error", "critical", "sample")
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S")
# The properties oslo.messaging (kombu) gives a notification (ENVELOPE.md, *seen*).
ENVELOPE_PROPERTIES = pika.BasicProperties(content_type="application/json", content_encoding="utf-8",
                                           delivery_mode=2, priority=0, headers={})


class PeerError(Exception):
    """A failure whose message is the reason printed on stderr."""


# Common helpers


def pika_parameters(url):
    params = pika.URLParameters(url)
    params.socket_timeout = 10
    params.blocked_connection_timeout = 30
    params.connection_attempts = 1
    return params


def rabbit_url(url):
    """The oslo.messaging (kombu) spelling of an amqp://user:pass@host:port/vhost URL."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "amqp":
        raise PeerError(f"oslo.messaging needs an amqp:// URL, not {parts.scheme}://")
    return urllib.parse.urlunsplit(("rabbit", parts.netloc, parts.path or "/", "", ""))


def quiet_oslo_import():
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")  # oslo.messaging imports eventlet
    from oslo_config import cfg
    import oslo_messaging

    return cfg, oslo_messaging


def serialize_envelope():
    """oslo.messaging's own envelope serializer (raw notification dict -> {"oslo.version", "oslo.message"})."""
    quiet_oslo_import()
    from oslo_messaging._drivers import common

    return common.serialize_msg


class ErrorCounter(logging.Handler):
    """Counts the ERROR records of a logger (oslo's notifier logs failed sends instead of raising)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage().splitlines()[0])


def parse_time(text):
    """A naive UTC datetime from "YYYY-MM-DD HH:MM:SS[.ffffff]"."""
    for fmt in TIME_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt)
        except ValueError:
            pass
    raise ValueError(f"{text!r} is not YYYY-MM-DD HH:MM:SS[.ffffff]")


def with_unique_id(notification):
    """The notification with oslo's "_unique_id" added (before the _context_* keys) when it has none."""
    if "_unique_id" in notification:
        return notification
    result, unique_id = {}, uuid.uuid4().hex
    for key, value in notification.items():
        if "_unique_id" not in result and key.startswith("_context_"):
            result["_unique_id"] = unique_id
        result[key] = value
    result.setdefault("_unique_id", unique_id)
    return result


def envelope_body(serialize_msg, notification):
    return json.dumps(serialize_msg(notification)).encode()


# publish


class PlainContext(dict):
    """A context dict that oslo.messaging sends as it is (oslo >= 14.4 drops a plain dict, keeps a redacted copy)."""

    def redacted_copy(self, **_kwargs):
        return dict(self)


def read_lines(path):
    """The checked lines of a publish file: [(where, line)]."""
    try:
        with open(path, encoding="utf-8") as file:
            texts = file.read().splitlines()
    except OSError as error:
        raise PeerError(f"cannot read {path}: {error.strerror}") from None
    lines = []
    for number, text in enumerate(texts, 1):
        if not text.strip():
            continue
        where = f"{path}:{number}"
        try:
            line = json.loads(text)
        except ValueError as error:
            raise PeerError(f"{where}: not JSON: {error}") from None
        if not isinstance(line, dict):
            raise PeerError(f"{where}: not a JSON object")
        check_line(where, line)
        lines.append((where, line))
    return lines


def check_line(where, line):
    def need(key, kind=str):
        if not isinstance(line.get(key), kind):
            raise PeerError(f"{where}: {line.get('kind')} line needs {key!r} ({kind.__name__})")

    def may(key, kind):
        if key in line and not isinstance(line[key], kind):
            raise PeerError(f"{where}: {key!r} must be {getattr(kind, '__name__', kind)}")

    kind = line.get("kind")
    if kind == "oslo":
        need("exchange")
        need("event_type")
        if "payload" not in line:
            raise PeerError(f"{where}: oslo line needs 'payload'")
        may("topic", str)
        may("priority", str)
        may("publisher_id", (str, type(None)))
        may("context", dict)
        may("redact", bool)
        if str(line.get("priority", "info")).lower() not in OSLO_PRIORITIES:
            raise PeerError(f"{where}: priority {line['priority']!r} is not one of {', '.join(OSLO_PRIORITIES)}")
        if "timestamp" in line:
            may("timestamp", str)
            try:
                parse_time(line["timestamp"])
            except ValueError as error:
                raise PeerError(f"{where}: timestamp {error}") from None
    elif kind in ("raw", "envelope"):
        need("exchange")
        need("routing_key")
        may("declare_exchange", bool)
        if kind == "raw":
            need("body_base64")
            may("content_type", (str, type(None)))
            may("content_encoding", (str, type(None)))
            try:
                base64.b64decode(line["body_base64"], validate=True)
            except (binascii.Error, ValueError) as error:
                raise PeerError(f"{where}: body_base64: {error}") from None
        else:
            need("notification", dict)
    else:
        raise PeerError(f"{where}: kind must be oslo, raw or envelope, not {kind!r}")


class OsloSender:
    """One oslo transport per exchange and one Notifier per (exchange, topic, publisher_id)."""

    def __init__(self, url):
        self.url = url
        self.cfg = self.oslo_messaging = None
        self.transports, self.notifiers = {}, {}
        self.errors = ErrorCounter()

    def _notifier(self, exchange, topic, publisher_id):
        if self.oslo_messaging is None:
            self.cfg, self.oslo_messaging = quiet_oslo_import()
            logging.getLogger("oslo_messaging.notify").addHandler(self.errors)
        key = (exchange, topic, publisher_id)
        if key not in self.notifiers:
            if exchange not in self.transports:
                conf = self.cfg.ConfigOpts()  # its own, so the exchanges do not clash
                conf.register_opts(self.oslo_messaging.transport._transport_opts)
                conf.set_override("control_exchange", exchange)  # read when the driver is made
                self.transports[exchange] = self.oslo_messaging.get_notification_transport(
                    conf, url=rabbit_url(self.url))
            self.notifiers[key] = self.oslo_messaging.Notifier(
                self.transports[exchange], publisher_id=publisher_id, driver="messagingv2", topics=[topic],
                retry=3)
        return self.notifiers[key]

    def send(self, where, line):
        notifier = self._notifier(line["exchange"], line.get("topic", "notifications"), line.get("publisher_id"))
        context = line.get("context") or {}
        if line.get("redact"):
            from oslo_context import context as oslo_context

            context = oslo_context.RequestContext.from_dict(context)
        else:
            context = PlainContext(context)
        method = getattr(notifier, str(line.get("priority", "info")).lower())
        before = len(self.errors.messages)
        if "timestamp" in line:
            from oslo_utils import timeutils

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # deprecated in oslo.utils 9+, still works
                timeutils.set_time_override(parse_time(line["timestamp"]))
            try:
                method(context, line["event_type"], line["payload"])
            finally:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    timeutils.clear_time_override()
        else:
            method(context, line["event_type"], line["payload"])
        if len(self.errors.messages) > before:
            raise PeerError(f"{where}: notification not sent: {self.errors.messages[before]}")

    def cleanup(self):
        for transport in self.transports.values():
            transport.cleanup()


class PikaSender:
    """One BlockingConnection with publisher confirms for the raw and envelope lines."""

    def __init__(self, url):
        self.url = url
        self.connection = self.channel = None
        self.declared = set()
        self.serialize_msg = None

    def _channel(self):
        if self.channel is None:
            self.connection = pika.BlockingConnection(pika_parameters(self.url))
            self.channel = self.connection.channel()
            self.channel.confirm_delivery()
        return self.channel

    def send(self, where, line):
        channel = self._channel()
        exchange = line["exchange"]
        if line.get("declare_exchange", True) and exchange not in self.declared:
            channel.exchange_declare(exchange, exchange_type="topic", durable=False, auto_delete=False)
            self.declared.add(exchange)
        if line["kind"] == "raw":
            body = base64.b64decode(line["body_base64"], validate=True)
            properties = pika.BasicProperties(content_type=line.get("content_type", "application/json"),
                                              content_encoding=line.get("content_encoding"), delivery_mode=2)
        else:
            if self.serialize_msg is None:
                self.serialize_msg = serialize_envelope()
            body = envelope_body(self.serialize_msg, with_unique_id(line["notification"]))
            properties = ENVELOPE_PROPERTIES
        try:
            channel.basic_publish(exchange, line["routing_key"], body, properties, mandatory=False)
        except pika.exceptions.NackError:
            raise PeerError(f"{where}: the broker nacked the message") from None

    def close(self):
        if self.connection is not None and self.connection.is_open:
            self.connection.close()


def publish(args):
    lines = read_lines(args.file)
    counts = {"oslo": 0, "raw": 0, "envelope": 0}
    oslo, rabbit = OsloSender(args.url), PikaSender(args.url)
    try:
        for index, (where, line) in enumerate(lines):
            (oslo if line["kind"] == "oslo" else rabbit).send(where, line)
            counts[line["kind"]] += 1
            progress["text"] = f"published {index + 1} of {len(lines)} lines"
    finally:
        rabbit.close()
        oslo.cleanup()
    return {"published": sum(counts.values()), **counts}


# preload


CHECK_EVERY = 499  # preload: messages 0, 1, 499, 500, 998, 999, …, the first 2 deletes and the last 2 are also
# made by oslo's serializer and compared
IMAGE = "e52f1321-fb9e-40fb-8057-555a850462e8"
# Nova's legacy instance payload (create.end; delete.end has no fixed_ips and no message), what every message
# of the preload shares; the per-instance fields are filled in by bench_notification.
BENCH_PAYLOAD = {
    "tenant_id": None, "user_id": None, "instance_id": None, "display_name": None, "hostname": None,
    "reservation_id": None, "instance_type": "m1.small", "instance_type_id": 5, "instance_flavor_id": "2",
    "memory_mb": 2048, "vcpus": 1, "root_gb": 20, "disk_gb": 20, "ephemeral_gb": 0, "host": "bench",
    "node": "bench", "availability_zone": "nova", "cell_name": "", "state": None, "state_description": "",
    "progress": "", "created_at": None, "launched_at": None, "terminated_at": "", "deleted_at": "",
    "image_ref_url": f"http://192.0.2.98:9292/images/{IMAGE}",
    "image_meta": {"base_image_ref": IMAGE, "container_format": "bare", "disk_format": "qcow2", "min_disk": "20",
                   "min_ram": "0"},
    "kernel_id": "", "ramdisk_id": "", "architecture": None, "os_type": None, "access_ip_v4": None,
    "access_ip_v6": None, "metadata": {},
}
# A current redacted context (ENVELOPE.md), after message_id … timestamp and _unique_id.
BENCH_CONTEXT = {
    "_context_user": None, "_context_project_id": None, "_context_project": None, "_context_system_scope": None,
    "_context_domain": None, "_context_user_domain": None, "_context_project_domain": None,
    "_context_is_admin": False, "_context_read_only": False, "_context_show_deleted": False,
    "_context_auth_token": None, "_context_request_id": None, "_context_global_request_id": None,
    "_context_resource_uuid": None, "_context_roles": ["member", "reader"], "_context_user_identity": None,
    "_context_is_admin_project": True,
}


def random_uuid4():
    """(str(uuid.uuid4()), uuid.uuid4().hex) from one urandom call: a message_id and a _unique_id."""
    h = os.urandom(32).hex()
    return (f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:32]}",
            f"{h[32:44]}4{h[45:48]}{'89ab'[int(h[48], 16) & 3]}{h[49:64]}")


def bench_fields(index, half, users, start, run=""):
    """(is it a create, the varying string fields) of message `index` of the preload: create.end of instance
    `index`, or delete.end of instance `index - half`. Every value is plain ASCII that JSON does not escape."""
    create = index < half
    i = index if create else index - half
    tenant, user = f"bench{run}-project-{i % users}", f"bench{run}-user-{i % users}"
    launched = start + datetime.timedelta(seconds=i)
    moment = launched if create else launched + datetime.timedelta(seconds=3600)
    message_id, unique_id = random_uuid4()
    return create, {
        "message_id": message_id, "unique_id": unique_id, "timestamp": str(moment),
        "tenant": tenant, "user": user,
        "instance_id": ("00000000-0000-4000-8000-%012d" % i) if not run else f"bench{run}-{i:012d}",
        "name": f"bench-{i}", "reservation_id": "r-%08x" % i,
        "created_at": (launched - datetime.timedelta(seconds=10)).isoformat(" ", "seconds"),
        "launched_at": launched.isoformat(" ", "microseconds"),
        "ended_at": moment.isoformat(" ", "microseconds"),
        "address": f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}",
        "mac": "fa:16:3e:%02x:%02x:%02x" % (i >> 16 & 255, i >> 8 & 255, i & 255),
        "request_id": "req-00000000-0000-4000-8000-%012d" % index,
    }


def bench_notification(create, fields):
    """The notification object (as oslo's driver hands it to serialize_msg) of a preload message."""
    payload = dict(BENCH_PAYLOAD)
    payload.update(tenant_id=fields["tenant"], user_id=fields["user"], instance_id=fields["instance_id"],
                   display_name=fields["name"], hostname=fields["name"], reservation_id=fields["reservation_id"],
                   created_at=fields["created_at"], launched_at=fields["launched_at"])
    if create:
        payload["state"] = "active"
        payload["fixed_ips"] = [{"address": fields["address"], "floating_ips": [], "label": "private", "meta": {},
                                 "type": "fixed", "version": 4, "vif_mac": fields["mac"]}]
        payload["message"] = "Success"
    else:
        payload["state"] = "deleted"
        payload["terminated_at"] = payload["deleted_at"] = fields["ended_at"]
    notification = {"message_id": fields["message_id"], "publisher_id": "compute.bench",
                    "event_type": "compute.instance.create.end" if create else "compute.instance.delete.end",
                    "priority": "INFO", "payload": payload, "timestamp": fields["timestamp"],
                    "_unique_id": fields["unique_id"]}
    notification.update(BENCH_CONTEXT)
    notification.update(_context_user=fields["user"], _context_project_id=fields["tenant"],
                        _context_project=fields["tenant"], _context_request_id=fields["request_id"],
                        _context_user_identity=f"{fields['user']} {fields['tenant']} - - -")
    return notification


class BenchBodies:
    """Preload bodies from two templates (create, delete) made by oslo's serializer with a marker in place of
    each varying field, filled in with %-formatting: oslo's serializer costs ~40 us a message, which alone
    would keep the preload under 10k msg/s. The fields need no JSON escaping, so a filled template is the
    bytes serialize_msg + json.dumps make; `check` compares the two for a sample of the messages."""

    MARK = "@@{}@@"

    def __init__(self, serialize_msg):
        self.serialize_msg = serialize_msg
        self.templates = {}
        for create in (True, False):
            names = bench_fields(0, 1, 1, datetime.datetime(2026, 1, 1))[1]
            markers = {name: self.MARK.format(name) for name in names}
            text = envelope_body(serialize_msg, bench_notification(create, markers)).decode("ascii")
            text = text.replace("%", "%%")
            for name, marker in markers.items():
                text = text.replace(marker, f"%({name})s")
            if "@@" in text:
                raise PeerError("a preload template kept a marker")
            self.templates[create] = text

    def body(self, create, fields):
        return (self.templates[create] % fields).encode("ascii")

    def check(self, create, fields, body):
        expected = envelope_body(self.serialize_msg, bench_notification(create, fields))
        if body != expected:
            raise PeerError(f"preload body of {fields['message_id']} differs from oslo's serializer's")


def ensure_bound(params, exchange, queue, routing_key):
    """Declares exchange and queue unless they exist (passive first), and binds the queue."""
    with pika.BlockingConnection(params) as connection:
        channel = connection.channel()
        try:
            channel.exchange_declare(exchange, passive=True)
        except pika.exceptions.ChannelClosedByBroker as error:
            if error.reply_code != 404:
                raise
            channel = connection.channel()
            channel.exchange_declare(exchange, exchange_type="topic", durable=False, auto_delete=False)
        try:
            channel.queue_declare(queue, passive=True)
        except pika.exceptions.ChannelClosedByBroker as error:
            if error.reply_code != 404:
                raise
            channel = connection.channel()
            channel.queue_declare(queue, durable=True, exclusive=False, auto_delete=False)
        channel.queue_bind(queue, exchange, routing_key=routing_key)


class Preloader:
    """SelectConnection: pipelined publishes with at most `window` unconfirmed."""

    def __init__(self, params, args, start):
        self.params, self.args, self.start = params, args, start
        self.bodies = BenchBodies(serialize_envelope())
        self.connection = self.channel = None
        self.error = None
        self.done = False
        self.published = 0
        self.unconfirmed = set()
        self.confirmed_below = 1  # every delivery tag below it is confirmed
        self.started = self.seconds = None

    def run(self):
        self.connection = pika.SelectConnection(self.params, on_open_callback=self._on_open,
                                                on_open_error_callback=self._on_open_error,
                                                on_close_callback=self._on_closed)
        self.connection.ioloop.start()
        if self.error:
            raise PeerError(self.error)
        if not self.done:
            raise PeerError("the I/O loop ended early")
        return self.seconds

    def _fail(self, reason):
        if self.error is None:
            self.error = reason
        if self.connection.is_open:
            self.connection.close()  # _on_closed stops the loop
        elif self.connection.is_closed:
            self.connection.ioloop.stop()

    def _on_open_error(self, connection, error):
        self.error = f"connection failed: {error!r}"
        connection.ioloop.stop()

    def _on_closed(self, connection, reason):
        if not self.done and self.error is None:
            self.error = f"connection closed: {reason!r}"
        connection.ioloop.stop()

    def _on_open(self, connection):
        connection.channel(on_open_callback=self._on_channel)

    def _on_channel(self, channel):
        self.channel = channel
        channel.add_on_close_callback(self._on_channel_closed)
        channel.confirm_delivery(ack_nack_callback=self._on_confirm, callback=self._on_confirm_mode)

    def _on_channel_closed(self, _channel, reason):
        if not self.done:
            self._fail(f"channel closed: {reason!r}")

    def _on_confirm_mode(self, _frame):
        self.started = time.perf_counter()
        self._publish_more()

    def _publish_more(self):
        count, half = self.args.count, self.args.count // 2
        while self.published < count and len(self.unconfirmed) < self.args.window:
            create, fields = bench_fields(self.published, half, self.args.users, self.start, self.args.run)
            body = self.bodies.body(create, fields)
            if self.published % CHECK_EVERY < 2 or self.published - half in (0, 1) or count - self.published <= 2:
                self.bodies.check(create, fields, body)
            self.channel.basic_publish(self.args.exchange, self.args.routing_key, body, ENVELOPE_PROPERTIES)
            self.published += 1
            self.unconfirmed.add(self.published)  # the delivery tag the broker confirms it with

    def _on_confirm(self, frame):
        method = frame.method
        if isinstance(method, pika.spec.Basic.Nack):
            self._fail(f"the broker nacked delivery tag {method.delivery_tag}")
            return
        if method.multiple:
            for tag in range(self.confirmed_below, method.delivery_tag + 1):
                self.unconfirmed.discard(tag)
            self.confirmed_below = max(self.confirmed_below, method.delivery_tag + 1)
        else:
            self.unconfirmed.discard(method.delivery_tag)
        progress["text"] = (f"{self.published - len(self.unconfirmed)} of {self.args.count} messages confirmed")
        if self.published < self.args.count:
            self._publish_more()
        elif not self.unconfirmed and self.seconds is None:
            self.seconds = time.perf_counter() - self.started
            self.done = True
            self.connection.close()


def preload(args):
    start = parse_time(args.start)  # checked by the parser
    params = pika_parameters(args.url)
    ensure_bound(params, args.exchange, args.queue, args.routing_key)
    seconds = Preloader(params, args, start).run()
    logging.info("preload: %d messages in %.3f s", args.count, seconds)
    return {"published": args.count, "seconds": round(seconds, 3), "rate": round(args.count / seconds, 1)}


# load and probe (scripts/bench-freshness)


def utc_now():
    """The current time as a naive UTC datetime (what oslo and Nova write)."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def live_fields(fields, launched, moment):
    """`fields` (bench_fields' of a create) with real times: launched at `launched`, the event at `moment` (the
    launch for a create.end, the deletion for a delete.end)."""
    fields["created_at"] = (launched - datetime.timedelta(seconds=10)).isoformat(" ", "seconds")
    fields["launched_at"] = launched.isoformat(" ", "microseconds")
    fields["ended_at"] = moment.isoformat(" ", "microseconds")
    fields["timestamp"] = str(moment)  # as oslo writes its timestamp: str(datetime)
    return fields


class LoadPublisher(Preloader):
    """Preloader's connection and confirms, paced: what is due at `rate` a second is sent on a 5 ms tick."""

    TICK = 0.005

    def __init__(self, params, args):
        super().__init__(params, args, datetime.datetime(2026, 1, 1))
        self.live = {}  # instance -> launched_at of the live instances
        self.max_behind = 0
        self.first_publish = self.finished = None

    def _on_confirm_mode(self, _frame):
        self.started = time.perf_counter()
        delay = self.args.start_at - time.monotonic()
        self.connection.ioloop.call_later(max(0.0, delay), self._tick)

    def _tick(self):
        if self.done or self.error is not None:
            return
        if self.first_publish is None:
            self.first_publish = time.monotonic()  # the schedule's origin (a late connection does not burst)
        self._publish_more()
        if self.published < self.args.count:
            self.connection.ioloop.call_later(self.TICK, self._tick)

    def _publish_more(self):
        if self.first_publish is None:
            return  # a confirm before the start cannot happen; nothing is due yet anyway
        args = self.args
        due = min(args.count, int(args.rate * (time.monotonic() - self.first_publish)) + 1)
        self.max_behind = max(self.max_behind, due - self.published)
        while self.published < due and len(self.unconfirmed) < args.window:
            create, fields = self._next()
            body = self.bodies.body(create, fields)
            if self.published % CHECK_EVERY < 2 or self.published - args.live in (1, 3):
                self.bodies.check(create, fields, body)
            self.channel.basic_publish(args.exchange, args.routing_key, body, ENVELOPE_PROPERTIES)
            self.published += 1
            self.unconfirmed.add(self.published)

    def _next(self):
        """(is it a create, fields) of message number `published`: L creates, then a create and a delete of the
        oldest live instance alternately."""
        index, live = self.published, self.args.live
        if index < live:
            create, instance = True, index
        elif (index - live) % 2 == 0:
            create, instance = True, live + (index - live) // 2
        else:
            create, instance = False, (index - live) // 2
        now = utc_now()
        if create:
            launched = self.live[instance] = now
        else:
            launched = self.live.pop(instance)
        fields = bench_fields(instance, instance + 1, self.args.users, launched, self.args.run)[1]
        fields["instance_id"] = f"bench{self.args.run}-{self.args.publisher}-{instance:012d}"
        fields["request_id"] = "req-00000000-0000-4000-8000-%012d" % index
        return create, live_fields(fields, launched, now)

    def _on_confirm(self, frame):
        super()._on_confirm(frame)
        if self.done and self.finished is None:
            self.finished = time.monotonic()


def load(args):
    args.count = round(args.rate * args.seconds)
    if args.count < 1:
        raise PeerError("--rate * --seconds is less than one message")
    if args.live is None:
        args.live = 5 * args.users
    if args.start_at is None:
        args.start_at = time.monotonic()
    params = pika_parameters(args.url)
    with pika.BlockingConnection(params) as connection:
        try:
            connection.channel().exchange_declare(args.exchange, passive=True)
        except pika.exceptions.ChannelClosedByBroker as error:
            raise PeerError(f"exchange {args.exchange!r}: {error.reply_code} {error.reply_text}") from None
    publisher = LoadPublisher(params, args)
    publisher.run()
    seconds = publisher.finished - publisher.first_publish
    return {"published": args.count, "started": publisher.first_publish, "finished": publisher.finished,
            "seconds": round(seconds, 3), "rate": round(args.count / seconds, 1), "target_rate": args.rate,
            "max_behind": publisher.max_behind}


def probe(args):
    cfg, oslo_messaging = quiet_oslo_import()
    errors = ErrorCounter()
    logging.getLogger("oslo_messaging.notify").addHandler(errors)
    conf = cfg.ConfigOpts()
    conf.register_opts(oslo_messaging.transport._transport_opts)
    conf.set_override("control_exchange", args.exchange)
    transport = oslo_messaging.get_notification_transport(conf, url=rabbit_url(args.url))
    notifier = oslo_messaging.Notifier(transport, publisher_id="compute.bench", driver="messagingv2",
                                       topics=[args.topic], retry=3)

    def send(project, number):
        now = utc_now()
        fields = live_fields(bench_fields(number, number + 1, 1, now)[1], now, now)
        fields.update(tenant=project, user=f"{project}-user", instance_id=f"{project}-{number}",
                      name=f"{project}-{number}")
        notification = bench_notification(True, fields)
        context = PlainContext({key[len("_context_"):]: value for key, value in notification.items()
                                if key.startswith("_context_")})
        before = len(errors.messages)
        notifier.info(context, "compute.instance.create.end", notification["payload"])
        if len(errors.messages) > before:
            raise PeerError(f"probe {project}-{number} not sent: {errors.messages[before]}")

    began = time.monotonic()
    send(args.warmup_project, 0)
    warmup = time.monotonic() - began

    depth, failures, stop = [], [], threading.Event()

    def sample_depth():
        try:
            with pika.BlockingConnection(pika_parameters(args.url)) as connection:
                channel = connection.channel()
                while True:
                    method = channel.queue_declare(args.queue, passive=True).method
                    depth.append([time.monotonic(), method.message_count])
                    if stop.is_set():
                        break
                    stop.wait(1.0)
        except Exception as error:  # noqa: BLE001 - reported by the main thread
            failures.append(repr(error))

    start_at = time.monotonic() if args.start_at is None else args.start_at
    if start_at > time.monotonic():
        time.sleep(start_at - time.monotonic())
    sampler = threading.Thread(target=sample_depth, daemon=True)
    sampler.start()
    count = int(args.seconds * 1000 // args.interval_ms)
    probes = []
    try:
        for number in range(1, count + 1):
            delay = start_at + number * args.interval_ms / 1000 - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            sent = time.monotonic()
            send(args.project, number)
            probes.append([number, sent, time.monotonic()])
            progress["text"] = f"{number} of {count} probes sent"
    finally:
        stop.set()
        sampler.join(30)
        transport.cleanup()
    if failures:
        raise PeerError(f"queue depth: {failures[0]}")
    return {"probes": probes, "depth": depth, "warmup": round(warmup, 3)}


# queue-depth


def queue_depth(args):
    with pika.BlockingConnection(pika_parameters(args.url)) as connection:
        channel = connection.channel()
        try:
            method = channel.queue_declare(args.queue, passive=True).method
        except pika.exceptions.ChannelClosedByBroker as error:
            raise PeerError(f"queue {args.queue!r}: {error.reply_code} {error.reply_text}") from None
    return {"messages": method.message_count, "consumers": method.consumer_count}


# Command line


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive integer")
    return value


def positive_number(text):
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def even_positive(text):
    value = positive(text)
    if value % 2:
        raise argparse.ArgumentTypeError(f"{text} is odd (N/2 creates and N/2 deletes)")
    return value


def start_time(text):
    try:
        parse_time(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def parser():
    top = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    subs = top.add_subparsers(dest="command", required=True, metavar="SUBCOMMAND")

    def sub(name, function, help_text):
        command = subs.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(function=function)
        command.add_argument("--url", required=True, help="amqp://user:password@host:port/vhost")
        command.add_argument("--timeout", type=float, default=60, help="seconds before giving up (default 60)")
        command.add_argument("-v", "--verbose", action="count", default=0, help="pika/oslo logs (-vv: debug)")
        return command

    command = sub("publish", publish, "publish the oslo, raw and envelope lines of a JSONL file, in order")
    command.add_argument("--file", required=True, help="JSONL file, one line per message")

    command = sub("preload", preload, "publish N Nova create.end/delete.end envelopes fast (benchmark)")
    command.add_argument("--queue", required=True)
    command.add_argument("--exchange", default="nova")
    command.add_argument("--count", type=even_positive, required=True)
    command.add_argument("--users", type=positive, default=100, help="number of tenants (default 100)")
    command.add_argument("--start", type=start_time, default="2026-01-01 00:00:00",
                         help="launched_at of instance 0 (default 2026-01-01 00:00:00)")
    command.add_argument("--routing-key", default="notifications.info")
    command.add_argument("--window", type=positive, default=5000, help="unconfirmed publishes (default 5000)")
    command.add_argument("--run", default="", help="a run tag: ids bench<RUN>-… instead of the defaults")

    command = sub("load", load, "publish Nova create/delete envelopes at a fixed rate (bench-freshness)")
    command.add_argument("--exchange", required=True)
    command.add_argument("--rate", type=positive_number, required=True, help="messages a second")
    command.add_argument("--seconds", type=positive_number, required=True)
    command.add_argument("--users", type=positive, default=100, help="number of tenants (default 100)")
    command.add_argument("--live", type=positive, default=None, help="live instances (default 5 * users)")
    command.add_argument("--run", default="", help="a run tag: ids bench<RUN>-…")
    command.add_argument("--publisher", default="0", help="this publisher's tag in the instance ids (default 0)")
    command.add_argument("--routing-key", default="notifications.info")
    command.add_argument("--window", type=positive, default=5000, help="unconfirmed publishes (default 5000)")
    command.add_argument("--start-at", type=float, default=None, help="time.monotonic() of the start (default now)")

    command = sub("probe", probe, "send create.end probes with oslo.messaging at intervals (bench-freshness)")
    command.add_argument("--exchange", required=True)
    command.add_argument("--topic", required=True)
    command.add_argument("--queue", required=True, help="the queue whose depth is sampled")
    command.add_argument("--project", required=True)
    command.add_argument("--warmup-project", required=True)
    command.add_argument("--interval-ms", type=positive_number, default=100)
    command.add_argument("--seconds", type=positive_number, default=60)
    command.add_argument("--start-at", type=float, default=None, help="time.monotonic() of the start (default now)")

    command = sub("queue-depth", queue_depth, "messages ready in queue Q and its consumers")
    command.add_argument("--queue", required=True)
    return top


def main():
    args = parser().parse_args()
    # Only the final JSON goes to the real stdout: anything else written to fd 1 lands on stderr.
    sys.stdout.flush()
    result_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    level = {0: logging.WARNING, 1: logging.INFO}.get(args.verbose, logging.DEBUG)
    logging.basicConfig(level=level, stream=sys.stderr, format=f"{PROG}: %(name)s: %(message)s")
    if not args.verbose:
        logging.getLogger("pika").setLevel(logging.CRITICAL)  # its connection errors are in the reason line

    def timed_out():
        detail = f" ({progress['text']})" if progress["text"] else ""
        print(f"{PROG}: {args.command}: timed out after {args.timeout:g} s{detail}", file=sys.stderr, flush=True)
        os._exit(1)

    watchdog = threading.Timer(args.timeout, timed_out)
    watchdog.daemon = True
    watchdog.start()
    try:
        result = args.function(args)
    except Exception as error:  # noqa: BLE001 - any failure is reported the same way
        reason = str(error) if isinstance(error, PeerError) else repr(error)
        print(f"{PROG}: {args.command}: {reason}", file=sys.stderr, flush=True)
        os._exit(1)  # no waiting for library threads
    watchdog.cancel()
    with os.fdopen(result_fd, "w", encoding="utf-8") as out:
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    sys.stderr.flush()
    os._exit(0)  # oslo's and pika's non-daemon threads must not keep the process alive


if __name__ == "__main__":
    main()
