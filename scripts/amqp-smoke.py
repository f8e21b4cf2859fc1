"""Smoke check of the test broker and the Python peers; run with the test venv's python.

    "$BILEAN_TEST_PYTHON" scripts/amqp-smoke.py [amqp://guest:guest@127.0.0.1:PORT/]

1. pika: publishes one message with publisher confirms (mandatory) to a fresh queue and gets it back with
   basic_get.
2. oslo.messaging: builds a notification transport over rabbit://…, sends one `notifier.info({}, 'test.event',
   {'a': 1})` (driver messagingv2, as OpenStack services do) and checks, with pika, that it arrived on
   `<topic>.info` in the oslo 2.0 envelope.
Cleans up what it declared. The URL defaults to $BILEAN_TEST_RABBITMQ_URL. Exits 0 when everything worked,
1 with the reason on stderr otherwise.
"""

import json
import logging
import os
import sys
import time
import uuid
import warnings

import pika

EXCHANGE = "bilean-smoke"  # oslo's control_exchange for this check, deleted at the end


def pika_round_trip(url):
    params = pika.URLParameters(url)
    params.socket_timeout = 10
    params.blocked_connection_timeout = 10
    with pika.BlockingConnection(params) as connection:
        channel = connection.channel()
        channel.confirm_delivery()
        queue = channel.queue_declare(queue="", exclusive=True).method.queue
        body = uuid.uuid4().bytes
        # Raises pika.exceptions.NackError / UnroutableError when the broker does not confirm it.
        channel.basic_publish("", queue, body, mandatory=True)
        method, _, got = channel.basic_get(queue, auto_ack=True)
        if method is None or got != body:
            raise RuntimeError(f"basic_get returned {got!r}, expected the published {body!r}")


def oslo_notify(url):
    from oslo_config import cfg
    import oslo_messaging

    oslo_messaging.set_transport_defaults(EXCHANGE)
    rabbit_url = "rabbit://" + url.split("://", 1)[1]
    topic = f"bilean-smoke-{uuid.uuid4().hex[:8]}"
    transport = oslo_messaging.get_notification_transport(cfg.ConfigOpts(), url=rabbit_url)
    try:
        notifier = oslo_messaging.Notifier(
            transport, publisher_id="bilean.smoke", driver="messagingv2", topics=[topic], retry=2
        )
        notifier.info({}, "test.event", {"a": 1})  # logs (does not raise) when it cannot send
    finally:
        transport.cleanup()

    # The messaging driver declares the queue `<topic>.<priority>` on the control exchange and publishes to it.
    params = pika.URLParameters(url)
    params.socket_timeout = 10
    with pika.BlockingConnection(params) as connection:
        channel = connection.channel()
        queue = f"{topic}.info"
        try:
            method, _, body = channel.basic_get(queue, auto_ack=True)
            if method is None:
                raise RuntimeError(f"oslo.messaging notification not found on queue {queue}")
            message = json.loads(json.loads(body)["oslo.message"])
            if message["event_type"] != "test.event" or message["payload"] != {"a": 1}:
                raise RuntimeError(f"unexpected oslo.messaging notification: {message}")
        finally:
            channel.queue_delete(queue)
            channel.exchange_delete(EXCHANGE)


def main():
    url = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("BILEAN_TEST_RABBITMQ_URL", "")
    if not url:
        print("amqp-smoke: no URL (argument or BILEAN_TEST_RABBITMQ_URL)", file=sys.stderr)
        return 2
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")  # oslo.messaging imports eventlet
    logging.basicConfig(level=logging.WARNING, format="amqp-smoke: %(name)s: %(message)s")
    logging.getLogger("pika").setLevel(logging.CRITICAL)  # its connection errors are in the FAILED line
    for name, step in (("pika publish+confirm+get", pika_round_trip), ("oslo.messaging notify", oslo_notify)):
        start = time.monotonic()
        try:
            step(url)
        except Exception as error:  # noqa: BLE001 - any failure fails the check
            print(f"amqp-smoke: {name} FAILED against {url.rsplit('@', 1)[-1]}: {error!r}", file=sys.stderr)
            return 1
        print(f"amqp-smoke: {name} OK ({time.monotonic() - start:.2f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
