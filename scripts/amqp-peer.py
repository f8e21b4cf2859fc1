"""Python peer of the AMQP interop tests and benchmark: pika and oslo.messaging on the other end of our client.

Run it with the test venv's python (scripts/python-test-venv DIR prints the export of BILEAN_TEST_PYTHON):

    "$BILEAN_TEST_PYTHON" scripts/amqp-peer.py SUBCOMMAND --url amqp://guest:guest@127.0.0.1:PORT/ [options]

Every subcommand prints exactly one JSON object on stdout when it is done (nothing else goes to stdout, even
from libraries: fd 1 is pointed at stderr while working) and exits 0; on a failure, or when `--timeout` seconds
(default 60) have passed, it prints `amqp-peer: SUBCOMMAND: reason` on stderr and exits 1 (2 for a usage error).
Logs go to stderr (`-v` for pika's and oslo's info logs, `-vv` for debug). The oslo subcommands turn the
amqp://… URL into rabbit://… (same user, password, host, port and vhost; a query string is dropped).

pika-publish --queue Q --count N [--size B] [--prefix P] [--declare durable|transient|passive]
    Declares queue Q (durable by default: durable=True, exclusive=False, auto_delete=False), then publishes N
    messages to the default exchange with routing key Q, with publisher confirms (each waited for) and
    mandatory, delivery_mode 2, content_type text/plain, headers {"index": i}, body f"{P}{i}" (P defaults to
    "message-") UTF-8 encoded and padded with '.' to B bytes (a longer one is left as it is). Output
    {"published": N}.

pika-consume --queue Q --count N [--prefetch P] [--declare durable|transient|passive]
    Declares Q the same way (prefetch P, default 100), consumes with manual acks (one basic.ack per message)
    until N messages arrived, cancels (unacked extra deliveries go back to the queue). Output
    {"received": N, "bodies": [str], "headers": [dict|null], "content_types": [str|null],
     "digests": [{"length": L, "sha256": hex}]}
    in arrival order; bodies are decoded as UTF-8 with errors='replace' and "bodies" is only present when every
    body is at most 1000 bytes ("digests" always is). Header values that JSON cannot hold are tagged:
    bytes -> {"$bytes": hex}, timestamps -> {"$timestamp": unix seconds}, decimals -> {"$decimal": "1.25"}.

    --declare: `transient` declares durable=False as oslo.messaging does by default (amqp_durable_queues False)
    and `passive` only checks that the queue exists, e.g. `pika-consume --declare passive --queue T.info`
    after `oslo-notify --topic T`: a durable declaration of oslo's queue fails with PRECONDITION_FAILED.

oslo-notify --exchange E --topic T --count N [--event-type X] [--publisher-id P]
    oslo.messaging notification transport with control_exchange E, Notifier(driver='messagingv2', topics=[T],
    publisher_id P (default "bilean.peer"), retry=3) sending N notifier.info({}, X (default "test.event"),
    {"index": i, "text": "é ✓ message"}). oslo declares topic exchange E and queue "T.info" bound with key
    "T.info" (both durable=False, auto_delete=False) and publishes the oslo 2.0 envelope
    {"oslo.version": "2.0", "oslo.message": "<JSON of the notification>"} (content_type application/json).
    A send that oslo only logs as failed fails the subcommand. Output {"sent": N}.

oslo-listen --exchange E --topic T --count N
    oslo.messaging notification listener (executor 'threading', Target(exchange=E, topic=T), an endpoint with
    info/warn/error methods, so oslo declares and binds the queues "T.info", "T.warn" and "T.error" on E,
    durable=False). Prints a line `READY` on stderr once they are declared and bound; waits for N
    notifications, stops the listener and prints
    {"received": [{"priority", "publisher_id", "event_type", "payload", "metadata_message_id"}, ...]}
    with every notification handled before the stop (more than N means duplicates or strays).

pika-bench --count N --size B --prefetch P [--window W] [--persistent]
    pika's own throughput, each style on a fresh server-named queue (exclusive, deleted at the end): publish N
    messages of B bytes with publisher confirms, then consume them with manual acks (one per message) at
    prefetch P. Styles: "blocking" (BlockingConnection; basic_publish waits for each confirm; basic_consume
    callback acking each message) and "async" (SelectConnection; up to W unconfirmed publishes in flight,
    default 1000). Rates are N / seconds, publish from the first publish to the last confirm, consume from
    the first delivery to the last ack written to the socket. Every message must be confirmed (no nack) and
    delivered with its body, and the queue must be empty at the end. Messages are transient in a
    non-durable queue unless --persistent (durable queue, delivery_mode 2). Output
    {"blocking": {"publish_per_s": x, "consume_per_s": y, "publish_cpu_us": a, "consume_cpu_us": b}, "async": {…}}
    (the *_cpu_us figures: this process's CPU time, user + system, per message during the phase)
"""

import argparse
import datetime
import decimal
import hashlib
import json
import logging
import os
import sys
import threading
import time
import urllib.parse
import warnings

import pika
import pika.spec

PROG = "amqp-peer"
BODY_LIMIT = 1000  # pika-consume outputs the bodies when none is longer
progress = {"text": ""}  # how far a waiting subcommand got, for the timeout's reason


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
        raise PeerError(f"the oslo subcommands need an amqp:// URL, not {parts.scheme}://")
    return urllib.parse.urlunsplit(("rabbit", parts.netloc, parts.path or "/", "", ""))


def declare_queue(channel, queue, mode):
    if mode == "passive":
        channel.queue_declare(queue=queue, passive=True)
    else:
        channel.queue_declare(queue=queue, durable=(mode == "durable"), exclusive=False, auto_delete=False)


def jsonable(value):
    """A JSON-compatible copy of a decoded AMQP field value (see the module docstring for the tags)."""
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": bytes(value).hex()}
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return {"$timestamp": int(value.timestamp())}
    if isinstance(value, decimal.Decimal):
        return {"$decimal": str(value)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return {"$repr": repr(value)}


def padded_body(prefix, index, size):
    body = f"{prefix}{index}".encode()
    if size is not None and len(body) < size:
        body += b"." * (size - len(body))
    return body


def quiet_oslo_import():
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")  # oslo.messaging imports eventlet
    from oslo_config import cfg
    import oslo_messaging

    return cfg, oslo_messaging


class ErrorCounter(logging.Handler):
    """Counts the ERROR records of a logger (oslo's notifier logs failed sends instead of raising)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage().splitlines()[0])


# Subcommands


def pika_publish(args):
    with pika.BlockingConnection(pika_parameters(args.url)) as connection:
        channel = connection.channel()
        declare_queue(channel, args.queue, args.declare)
        channel.confirm_delivery()
        for index in range(args.count):
            properties = pika.BasicProperties(content_type="text/plain", delivery_mode=2, headers={"index": index})
            # Raises NackError / UnroutableError when the broker does not take it.
            channel.basic_publish("", args.queue, padded_body(args.prefix, index, args.size), properties,
                                  mandatory=True)
            progress["text"] = f"published {index + 1} of {args.count} messages"
    return {"published": args.count}


def pika_consume(args):
    bodies, headers, content_types = [], [], []
    with pika.BlockingConnection(pika_parameters(args.url)) as connection:
        channel = connection.channel()
        declare_queue(channel, args.queue, args.declare)
        channel.basic_qos(prefetch_count=args.prefetch)
        for method, properties, body in channel.consume(args.queue, auto_ack=False, inactivity_timeout=1):
            if method is None:
                continue  # inactivity; the watchdog ends a wait that is too long
            bodies.append(body)
            headers.append(jsonable(properties.headers) if properties.headers is not None else None)
            content_types.append(properties.content_type)
            channel.basic_ack(method.delivery_tag)
            progress["text"] = f"received {len(bodies)} of {args.count} messages"
            if len(bodies) == args.count:
                break
        channel.cancel()
    result = {"received": len(bodies)}
    if all(len(body) <= BODY_LIMIT for body in bodies):
        result["bodies"] = [body.decode("utf-8", errors="replace") for body in bodies]
    result["headers"] = headers
    result["content_types"] = content_types
    result["digests"] = [{"length": len(body), "sha256": hashlib.sha256(body).hexdigest()} for body in bodies]
    return result


def oslo_notify(args):
    cfg, oslo_messaging = quiet_oslo_import()
    errors = ErrorCounter()
    logging.getLogger("oslo_messaging.notify").addHandler(errors)
    oslo_messaging.set_transport_defaults(args.exchange)  # control_exchange, where notifications go
    transport = oslo_messaging.get_notification_transport(cfg.ConfigOpts(), url=rabbit_url(args.url))
    try:
        notifier = oslo_messaging.Notifier(transport, publisher_id=args.publisher_id, driver="messagingv2",
                                           topics=[args.topic], retry=3)
        for index in range(args.count):
            notifier.info({}, args.event_type, {"index": index, "text": "é ✓ message"})
            progress["text"] = f"sent {index + 1} of {args.count} notifications"
            if errors.messages:
                raise PeerError(f"notification {index} not sent: {errors.messages[0]}")
    finally:
        transport.cleanup()
    return {"sent": args.count}


def oslo_listen(args):
    cfg, oslo_messaging = quiet_oslo_import()
    received = []
    lock = threading.Lock()
    enough = threading.Event()

    class Endpoint:
        def _record(self, priority, publisher_id, event_type, payload, metadata):
            with lock:
                received.append({
                    "priority": priority,
                    "publisher_id": publisher_id,
                    "event_type": event_type,
                    "payload": jsonable(payload),
                    "metadata_message_id": metadata.get("message_id"),
                })
                progress["text"] = f"received {len(received)} of {args.count} notifications"
                if len(received) >= args.count:
                    enough.set()

        def info(self, ctxt, publisher_id, event_type, payload, metadata):
            self._record("info", publisher_id, event_type, payload, metadata)

        def warn(self, ctxt, publisher_id, event_type, payload, metadata):
            self._record("warn", publisher_id, event_type, payload, metadata)

        def error(self, ctxt, publisher_id, event_type, payload, metadata):
            self._record("error", publisher_id, event_type, payload, metadata)

    oslo_messaging.set_transport_defaults(args.exchange)
    transport = oslo_messaging.get_notification_transport(cfg.ConfigOpts(), url=rabbit_url(args.url))
    listener = None
    try:
        target = oslo_messaging.Target(exchange=args.exchange, topic=args.topic)
        listener = oslo_messaging.get_notification_listener(transport, [target], [Endpoint()],
                                                            executor="threading")
        listener.start()  # declares the exchange and binds the queues before returning
        print("READY", file=sys.stderr, flush=True)
        if args.count > 0:
            enough.wait()  # the watchdog ends a wait that is too long
    finally:
        if listener is not None:
            listener.stop()
            listener.wait()
        transport.cleanup()
    with lock:
        return {"received": list(received)}


class BlockingBench:
    """Publishes with one confirm waited for per message, consumes with a basic_consume callback."""

    def __init__(self, params, count, body, properties, prefetch, durable):
        self.params, self.count, self.body, self.properties = params, count, body, properties
        self.prefetch, self.durable = prefetch, durable

    def run(self):
        with pika.BlockingConnection(self.params) as connection:
            channel = connection.channel()
            channel.confirm_delivery()
            queue = channel.queue_declare(queue="", durable=self.durable, exclusive=True).method.queue
            start, cpu_start = time.perf_counter(), time.process_time()
            for _ in range(self.count):
                channel.basic_publish("", queue, self.body, self.properties)  # raises NackError on a nack
            publish_s, publish_cpu = time.perf_counter() - start, time.process_time() - cpu_start

            state = {"received": 0, "first": None, "last": None, "bad": 0, "cpu_first": None, "cpu_last": None}

            def on_message(channel, method, _properties, body):
                if state["first"] is None:
                    state["first"], state["cpu_first"] = time.perf_counter(), time.process_time()
                if body != self.body:
                    state["bad"] += 1
                channel.basic_ack(method.delivery_tag)  # written to the socket before it returns
                state["received"] += 1
                if state["received"] == self.count:
                    state["last"], state["cpu_last"] = time.perf_counter(), time.process_time()
                    channel.stop_consuming()

            channel.basic_qos(prefetch_count=self.prefetch)
            channel.basic_consume(queue, on_message, auto_ack=False)
            channel.start_consuming()
            if state["bad"]:
                raise PeerError(f"blocking: {state['bad']} messages came back with another body")
            left = channel.queue_delete(queue).method.message_count
            if left:
                raise PeerError(f"blocking: {left} messages left in the queue after consuming {self.count}")
        return (publish_s, state["last"] - state["first"], publish_cpu, state["cpu_last"] - state["cpu_first"])


class AsyncBench:
    """SelectConnection: pipelined publishes (at most `window` unconfirmed), an ack per delivered message."""

    def __init__(self, params, count, body, properties, prefetch, window, durable):
        self.params, self.count, self.body, self.properties = params, count, body, properties
        self.prefetch, self.window, self.durable = prefetch, window, durable
        self.connection = self.channel = self.queue = self.consumer_tag = None
        self.error = None
        self.done = False
        self.published = 0
        self.unconfirmed = set()
        self.confirmed_below = 1  # every delivery tag below it is confirmed
        self.received = 0
        self.publish_start = self.publish_s = self.consume_start = self.consume_s = None
        self.publish_cpu_start = self.publish_cpu = self.consume_cpu_start = self.consume_cpu = None

    def run(self):
        self.connection = pika.SelectConnection(self.params, on_open_callback=self._on_open,
                                                on_open_error_callback=self._on_open_error,
                                                on_close_callback=self._on_closed)
        self.connection.ioloop.start()
        if self.error:
            raise PeerError(f"async: {self.error}")
        if not self.done:
            raise PeerError("async: the I/O loop ended early")
        return self.publish_s, self.consume_s, self.publish_cpu, self.consume_cpu

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
        self.channel.queue_declare(queue="", durable=self.durable, exclusive=True, callback=self._on_declared)

    def _on_declared(self, frame):
        self.queue = frame.method.queue
        self.publish_start, self.publish_cpu_start = time.perf_counter(), time.process_time()
        self._publish_more()

    def _publish_more(self):
        while self.published < self.count and len(self.unconfirmed) < self.window:
            self.channel.basic_publish("", self.queue, self.body, self.properties)
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
        if self.published < self.count:
            self._publish_more()
        elif not self.unconfirmed and self.publish_s is None:
            self.publish_s = time.perf_counter() - self.publish_start
            self.publish_cpu = time.process_time() - self.publish_cpu_start
            self.channel.basic_qos(prefetch_count=self.prefetch, callback=self._on_qos)

    def _on_qos(self, _frame):
        self.consumer_tag = self.channel.basic_consume(self.queue, self._on_message, auto_ack=False)

    def _on_message(self, channel, method, _properties, body):
        if self.consume_start is None:
            self.consume_start, self.consume_cpu_start = time.perf_counter(), time.process_time()
        if body != self.body:
            self._fail(f"delivery {method.delivery_tag} came back with another body")
            return
        channel.basic_ack(method.delivery_tag)  # buffered; written by the I/O loop
        self.received += 1
        if self.received == self.count:
            self._wait_written()

    def _wait_written(self):
        if self.connection._get_write_buffer_size():  # the last acks are still in pika's buffer
            self.connection.ioloop.call_later(0, self._wait_written)
            return
        self.consume_s = time.perf_counter() - self.consume_start
        self.consume_cpu = time.process_time() - self.consume_cpu_start
        self.channel.basic_cancel(self.consumer_tag, callback=self._on_cancelled)

    def _on_cancelled(self, _frame):
        self.channel.queue_delete(self.queue, callback=self._on_deleted)

    def _on_deleted(self, frame):
        if frame.method.message_count:
            self._fail(f"{frame.method.message_count} messages left in the queue after consuming {self.count}")
            return
        self.done = True
        self.connection.close()


def pika_bench(args):
    params = pika_parameters(args.url)
    body = padded_body("", 0, args.size)[: args.size] if args.size > 0 else b""
    properties = pika.BasicProperties(delivery_mode=2 if args.persistent else 1)
    result = {}
    for name, bench in (
        ("blocking", BlockingBench(params, args.count, body, properties, args.prefetch, args.persistent)),
        ("async", AsyncBench(params, args.count, body, properties, args.prefetch, args.window, args.persistent)),
    ):
        publish_s, consume_s, publish_cpu, consume_cpu = bench.run()
        result[name] = {"publish_per_s": round(args.count / publish_s, 1),
                        "consume_per_s": round(args.count / consume_s, 1),
                        "publish_cpu_us": round(publish_cpu * 1e6 / args.count, 2),
                        "consume_cpu_us": round(consume_cpu * 1e6 / args.count, 2)}
        logging.info("%s: publish %.3f s, consume %.3f s", name, publish_s, consume_s)
    return result


# Command line


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive integer")
    return value


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

    command = sub("pika-publish", pika_publish, "publish N confirmed persistent messages to queue Q with pika")
    command.add_argument("--queue", required=True)
    command.add_argument("--count", type=positive, required=True)
    command.add_argument("--size", type=int, help="pad each body with '.' to this many bytes")
    command.add_argument("--prefix", default="message-", help="body prefix before the index (default message-)")
    command.add_argument("--declare", choices=("durable", "transient", "passive"), default="durable")

    command = sub("pika-consume", pika_consume, "consume N messages from queue Q with pika, manual acks")
    command.add_argument("--queue", required=True)
    command.add_argument("--count", type=positive, required=True)
    command.add_argument("--prefetch", type=positive, default=100)
    command.add_argument("--declare", choices=("durable", "transient", "passive"), default="durable")

    command = sub("oslo-notify", oslo_notify, "send N oslo.messaging info notifications (messagingv2)")
    command.add_argument("--exchange", required=True, help="oslo control_exchange")
    command.add_argument("--topic", required=True)
    command.add_argument("--count", type=positive, required=True)
    command.add_argument("--event-type", default="test.event")
    command.add_argument("--publisher-id", default="bilean.peer")

    command = sub("oslo-listen", oslo_listen, "receive N notifications with an oslo.messaging listener")
    command.add_argument("--exchange", required=True)
    command.add_argument("--topic", required=True)
    command.add_argument("--count", type=int, required=True)

    command = sub("pika-bench", pika_bench, "pika's publish-with-confirms and consume-with-acks rates")
    command.add_argument("--count", type=positive, required=True)
    command.add_argument("--size", type=int, required=True)
    command.add_argument("--prefetch", type=positive, required=True)
    command.add_argument("--window", type=positive, default=1000, help="async: unconfirmed publishes (1000)")
    command.add_argument("--persistent", action="store_true", help="durable queue, delivery_mode 2")
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
