import ArgumentParser

/// `bilean`: the command-line client of the Bilean billing service.
@main
struct BileanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bilean",
        abstract: "Command-line client of Bilean, the OpenStack billing service.",
        discussion: """
            Talks to the Bilean REST API v1 (bilean-api). Every command takes the connection options below \
            and -f/--format table|json|value (default: table).

            Keystone login, as every OpenStack client: when --os-auth-url ($OS_AUTH_URL) or --os-cloud \
            ($OS_CLOUD) is set, the CLI first logs in to Keystone v3 with a password (--os-username, \
            --os-password, --os-project-name or --os-project-id, --os-user-domain-name and \
            --os-project-domain-name, default Default; or the matching OS_* variables) or with a clouds.yaml \
            cloud (auth_type password or token; options and OS_* variables override it). It then sends the \
            token as X-Auth-Token to the URL given by --bilean-url (alias --os-bilean-url; $BILEAN_URL, \
            $OS_BILEAN_URL), else to the catalog's endpoint of service type billing for --os-interface \
            (default public) and --os-region-name. A refused login is one error line.

            Without Keystone: --bilean-url (with or without /v1; default: $BILEAN_URL, then $OS_BILEAN_URL, \
            then http://127.0.0.1:8770), --os-token (alias --os-auth-token; default: $OS_TOKEN, then \
            $OS_AUTH_TOKEN), --os-project-id and --os-roles (default: $OS_PROJECT_ID and $OS_ROLES; the \
            identity a server running without Keystone trusts).

            Amounts are exact decimal strings, never floating point. When the API answers with an error or \
            cannot be reached, the command prints "ERROR: <message>" on standard error and exits with \
            status 1; a wrong command line exits with status 64.
            """,
        subcommands: [
            UserList.self, UserShow.self, UserRecharge.self, UserSetCredit.self, UserProjectionCommand.self,
            UserAttachPolicy.self,
            RuleList.self, RuleShow.self, RuleCreate.self, RuleUpdate.self, RuleDelete.self,
            PolicyList.self, PolicyShow.self, PolicyCreate.self, PolicyUpdate.self, PolicyDelete.self,
            PolicyAddRules.self, PolicyRemoveRules.self,
            ResourceList.self, ResourceShow.self, ResourceValidate.self,
            EventList.self,
            RechargeList.self,
            ConsumptionList.self, ConsumptionStatistics.self,
            ReratingPreviewCommand.self, ReratingApply.self,
            RejectedNotificationList.self, RejectedNotificationShow.self,
            ReconciliationList.self,
        ]
    )
}
