/// `bilean-server --print-sample-config`: every option of `bilean.conf`, commented out at its default, with its
/// help, as oslo-config-generator writes a sample. ``SampleConfiguration/options`` lists them next to the option
/// table (`BileanConfiguration.options`); a test checks that the two name the same options.
package enum SampleConfiguration {
    /// One option's entry in the sample.
    package struct Option: Sendable, Hashable {
        /// The section (`DEFAULT`, `database`, …).
        package var section: String
        /// The option.
        package var name: String
        /// Its default as written in the file (empty: none).
        package var value: String
        /// What it does.
        package var help: String
    }

    /// The sections in the order of the sample.
    static let sectionOrder = [
        "DEFAULT", "database", "bilean_api", "keystone_authtoken", "oslo_policy", "keystone_sync", "reconciliation",
        "scheduler",
        "freeze", "notification", "resource_definition", "oslo_messaging_notifications", "oslo_messaging_rabbit",
    ]

    /// Every option, with its default and help.
    package static let options: [Option] = [
        .init(
            section: "DEFAULT",
            name: "auth_strategy",
            value: "noauth",
            help:
                "keystone validates every X-Auth-Token with Keystone; noauth trusts X-Project-Id / X-Roles (loopback only)."
        ),
        .init(
            section: "DEFAULT",
            name: "allow_insecure_noauth",
            value: "false",
            help: "Let noauth listen on a non-loopback address (anyone who reaches it is admin)."
        ),
        .init(section: "DEFAULT", name: "debug", value: "false", help: "Debug logging."),
        .init(
            section: "DEFAULT",
            name: "log_format",
            value: "text",
            help:
                "text, or json: one JSON object per line (timestamp, level, role, logger, message, request_id, metadata)."
        ),
        .init(
            section: "DEFAULT",
            name: "default_credit",
            value: "0",
            help: "The credit of a new user: how far below zero its balance may go before the freeze."
        ),
        .init(
            section: "DEFAULT",
            name: "transport_url",
            value: "",
            help:
                "The broker, e.g. rabbit://user:pass@host:5672/ (several hosts: comma-separated; amqps:// for TLS). Never logged."
        ),
        .init(
            section: "DEFAULT",
            name: "control_exchange",
            value: "bilean",
            help: "The exchange of billing.notify and of the engine RPC."
        ),
        .init(
            section: "DEFAULT",
            name: "host",
            value: "",
            help: "This host's name (default: the host name): publisher_id, lease owner, RPC server name."
        ),
        .init(
            section: "DEFAULT",
            name: "metrics_port",
            value: "0",
            help: "Port of /metrics, /healthz and /readyz on bind_host for roles without the API (0: off)."
        ),
        .init(
            section: "DEFAULT",
            name: "engine",
            value: "local",
            help:
                "local (the engine in process, over [database]) or rpc (bilean-server engine processes over RPC; no database here)."
        ),
        .init(
            section: "DEFAULT",
            name: "rpc_response_timeout",
            value: "60",
            help: "Seconds an RPC call to an engine waits for its answer."
        ),
        .init(
            section: "DEFAULT",
            name: "rpc_idempotency_retention",
            value: "86400",
            help:
                "Seconds an engine keeps the result of a state-changing RPC call, answered again to the same call delivered twice."
        ),
        .init(
            section: "database",
            name: "connection",
            value: "",
            help:
                "sqlite:///path or postgresql://user:pass@host:5432/db (default: SQLite under XDG_DATA_HOME or ~/.local/share/bilean)."
        ),
        .init(
            section: "database",
            name: "processed_message_retention",
            value: "604800",
            help:
                "Seconds a processed message id is kept (3600 to 315360000): a message delivered again after it would bill twice, so keep it far beyond any redelivery."
        ),
        .init(
            section: "database",
            name: "rejected_notification_retention",
            value: "2592000",
            help: "Seconds a rejected notification is kept (3600 to 315360000)."
        ),
        .init(section: "bilean_api", name: "bind_host", value: "127.0.0.1", help: "Address to listen on."),
        .init(section: "bilean_api", name: "bind_port", value: "8770", help: "Port (0: any free port, logged)."),
        .init(
            section: "bilean_api",
            name: "max_request_body_size",
            value: "1048576",
            help: "Largest request body in bytes; larger gets a 413."
        ),
        .init(
            section: "bilean_api",
            name: "public_endpoint",
            value: "",
            help:
                "The URL clients reach the API at, e.g. https://billing.example.com:8770 (behind a proxy): the version document's links start with it (default: http:// and the request's Host)."
        ),
        .init(
            section: "keystone_authtoken",
            name: "www_authenticate_uri",
            value: "",
            help: "Sent in WWW-Authenticate with every 401 (default: auth_url)."
        ),
        .init(
            section: "keystone_authtoken",
            name: "auth_uri",
            value: "",
            help: "Deprecated name of www_authenticate_uri."
        ),
        .init(
            section: "keystone_authtoken",
            name: "auth_url",
            value: "",
            help: "Keystone's URL for the service user (validation, project sync, freeze actions)."
        ),
        .init(section: "keystone_authtoken", name: "auth_type", value: "password", help: "Only password is supported."),
        .init(section: "keystone_authtoken", name: "username", value: "", help: "The service user."),
        .init(section: "keystone_authtoken", name: "password", value: "", help: "Its password (never logged)."),
        .init(section: "keystone_authtoken", name: "project_name", value: "", help: "Its project."),
        .init(section: "keystone_authtoken", name: "user_domain_name", value: "Default", help: "The user's domain."),
        .init(section: "keystone_authtoken", name: "user_domain_id", value: "", help: "The user's domain, by id."),
        .init(
            section: "keystone_authtoken",
            name: "project_domain_name",
            value: "Default",
            help: "The project's domain."
        ),
        .init(
            section: "keystone_authtoken",
            name: "project_domain_id",
            value: "",
            help: "The project's domain, by id."
        ),
        .init(
            section: "keystone_authtoken",
            name: "region_name",
            value: "",
            help: "The catalog region (default: any)."
        ),
        .init(section: "keystone_authtoken", name: "interface", value: "internal", help: "The catalog interface."),
        .init(
            section: "keystone_authtoken",
            name: "token_cache_time",
            value: "300",
            help: "Seconds a valid token is trusted without asking Keystone again."
        ),
        .init(
            section: "keystone_authtoken",
            name: "http_connect_timeout",
            value: "10",
            help: "Seconds a connection to Keystone may take."
        ),
        .init(section: "keystone_authtoken", name: "cafile", value: "", help: "CA bundle for an https:// Keystone."),
        .init(
            section: "keystone_authtoken",
            name: "insecure",
            value: "false",
            help: "Do not verify Keystone's certificate."
        ),
        .init(
            section: "oslo_policy",
            name: "policy_file",
            value: "policy.yaml",
            help: "Policy overrides, next to this file (a missing configured file stops the start)."
        ),
        .init(
            section: "keystone_sync",
            name: "interval",
            value: "0",
            help: "Seconds between two syncs of Keystone's projects into users (0: off)."
        ),
        .init(
            section: "reconciliation",
            name: "interval",
            value: "0",
            help: "Seconds between two inventory reconciliations with the cloud's listings, in the scheduler (0: off)."
        ),
        .init(
            section: "reconciliation",
            name: "repair",
            value: "false",
            help: "Bill what a reconciliation finds (missing resources, vanished ones, property drift); else report."
        ),
        .init(
            section: "reconciliation",
            name: "min_age",
            value: "600",
            help: "Seconds: what changed in the cloud more recently (or within the listeners' lag) is left alone."
        ),
        .init(
            section: "reconciliation",
            name: "interface",
            value: "internal",
            help: "The endpoints the listings use: public, internal or admin."
        ),
        .init(
            section: "scheduler",
            name: "prior_notify_time",
            value: "3",
            help: "Hours of credit left at which a project is warned."
        ),
        .init(
            section: "scheduler",
            name: "daily_settlement_time",
            value: "00:00",
            help: "UTC time of day of the daily settlement (none: off)."
        ),
        .init(
            section: "scheduler",
            name: "poll_interval",
            value: "1",
            help: "Seconds between two looks at the jobs (at most)."
        ),
        .init(section: "scheduler", name: "look_ahead", value: "60", help: "Seconds ahead jobs are leased."),
        .init(
            section: "scheduler",
            name: "lease_time",
            value: "30",
            help: "Seconds a lease lives without renewal (a dead scheduler's jobs are taken over after it)."
        ),
        .init(section: "scheduler", name: "batch_size", value: "200", help: "Jobs per transaction."),
        .init(
            section: "freeze",
            name: "action",
            value: "none",
            help: "What a freeze does to every type that supports it: none, stop (servers), delete."
        ),
        .init(
            section: "freeze",
            name: "actions",
            value: "",
            help: "Per-type actions, e.g. os.nova.server:stop, os.cinder.volume:none, os.neutron.floatingip:release."
        ),
        .init(
            section: "freeze",
            name: "restart_on_thaw",
            value: "false",
            help: "A thaw starts again the servers the freeze stopped."
        ),
        .init(
            section: "freeze",
            name: "delete_after",
            value: "0",
            help: "Seconds after a stop-freeze at which what it stopped is deleted (0: never)."
        ),
        .init(
            section: "freeze",
            name: "grace_period",
            value: "0",
            help: "Seconds an overdrawn user stays WARNING, billed, before the freeze."
        ),
        .init(
            section: "freeze",
            name: "max_listener_lag",
            value: "60",
            help: "Freezes wait while a listener holds a delivery older than this, or has been silent this long."
        ),
        .init(
            section: "freeze",
            name: "max_queue_depth",
            value: "1000",
            help: "Freezes wait while more notifications than this wait to be billed."
        ),
        .init(
            section: "freeze",
            name: "settle_time",
            value: "5",
            help: "Seconds the listeners must have been caught up before a freeze relies on them."
        ),
        .init(
            section: "freeze",
            name: "max_hold",
            value: "3600",
            help: "Seconds a freeze is held at most; then FREEZE and stops go, deletions still wait."
        ),
        .init(
            section: "freeze",
            name: "max_attempts",
            value: "10",
            help: "Attempts of a freeze action before it is given up."
        ),
        .init(
            section: "freeze",
            name: "retry_interval",
            value: "10",
            help: "Seconds after a failed attempt, doubled after each further one."
        ),
        .init(
            section: "freeze",
            name: "interface",
            value: "internal",
            help: "The catalog interface of the services a freeze calls."
        ),
        .init(
            section: "notification",
            name: "exchanges",
            value: "nova, cinder, neutron, glance, keystone, octavia, manila, openstack",
            help: "The exchanges OpenStack services publish to."
        ),
        .init(section: "notification", name: "topics", value: "notifications", help: "oslo's notification topics."),
        .init(
            section: "notification",
            name: "versioned_topics",
            value: "versioned_notifications",
            help: "The versioned-notification topics."
        ),
        .init(
            section: "notification",
            name: "versioned_exchanges",
            value: "nova",
            help: "The exchanges that carry versioned notifications."
        ),
        .init(
            section: "notification",
            name: "queue",
            value: "bilean-notifications",
            help: "Bilean's own durable queue."
        ),
        .init(
            section: "notification",
            name: "prefetch",
            value: "",
            help:
                "Unacknowledged deliveries (default batch_size x (batches_in_flight + 2): 2000, 3000 with engine = rpc)."
        ),
        .init(
            section: "notification",
            name: "batch_size",
            value: "500",
            help: "The most messages billed in one transaction."
        ),
        .init(
            section: "notification",
            name: "batch_max_wait",
            value: "10",
            help:
                "Milliseconds (0 to 10000) after its first delivery at which a batch commits; sooner when it is full or nothing more waits."
        ),
        .init(
            section: "notification",
            name: "batches_in_flight",
            value: "",
            help: "Batches committing at once (default 2, 4 with engine = rpc)."
        ),
        .init(
            section: "notification",
            name: "max_body_size",
            value: "1048576",
            help: "A larger body is set aside unread."
        ),
        .init(
            section: "resource_definition",
            name: "definitions_cfg_file",
            value: "",
            help: "The notification definitions (YAML; default: the shipped ones)."
        ),
        .init(
            section: "oslo_messaging_notifications",
            name: "driver",
            value: "messagingv2",
            help: "messagingv2 (or messaging) publishes billing.notify; noop and log only log it."
        ),
        .init(
            section: "oslo_messaging_notifications",
            name: "topics",
            value: "notifications",
            help: "The topics billing.notify is published to."
        ),
        .init(
            section: "oslo_messaging_rabbit",
            name: "amqp_durable_queues",
            value: "false",
            help: "As in the services' config: exchanges (and RPC queues) declared durable."
        ),
        .init(
            section: "oslo_messaging_rabbit",
            name: "rabbit_quorum_queue",
            value: "false",
            help: "Bilean's durable queues are quorum queues (a classic one cannot be converted: see the README)."
        ),
    ]

    /// The sample file.
    package static func text() -> String {
        var lines = [
            "# bilean.conf: every option, commented out at its default (bilean-server --print-sample-config).",
            "",
        ]
        for section in Self.sectionOrder {
            lines.append("[\(section)]")
            for option in Self.options where option.section == section {
                lines.append("")
                lines.append("# \(option.help)")
                lines.append(option.value.isEmpty ? "#\(option.name) =" : "#\(option.name) = \(option.value)")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
